package io.kontroler.api.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenID Connect provider as the api knows it: its discovery document, read at start and read
 * again, at most every {@code retryAfter}, while it could not be; its signing keys (cached, read
 * again for an unknown key id); and the validators of its ID tokens and bearer JWTs. The api starts
 * and serves local logins whether or not the provider answers.
 */
public final class OidcProvider {
  private static final Logger LOG = LoggerFactory.getLogger(OidcProvider.class);
  private static final int TIMEOUT_MILLIS = 3000;

  /** Only asymmetric signatures: an HMAC key would be the client secret, shared with the client. */
  private static final Set<JWSAlgorithm> ALGORITHMS = algorithms();

  /** What discovery found, ready to validate tokens. */
  record Discovered(OIDCProviderMetadata metadata, JWKSource<SecurityContext> keys) {}

  /** Why the provider can not be used now, in words for a person. */
  public static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message);
    }
  }

  private final OidcConfig config;
  private final Clock clock;
  private final Duration retryAfter;
  private volatile Discovered discovered;
  private volatile String lastError;
  private Instant lastAttempt = Instant.MIN;

  public OidcProvider(OidcConfig config, Clock clock, Duration retryAfter) {
    this.config = config;
    this.clock = clock;
    this.retryAfter = retryAfter;
  }

  public OidcConfig config() {
    return config;
  }

  /** Reads the discovery document once, logging what went wrong if it could not. */
  public void start() {
    try {
      discovered();
      LOG.info("Single sign-on with {} (client {})", config.issuer(), config.clientId());
    } catch (Unavailable e) {
      LOG.error(
          "Single sign-on is unavailable until the provider answers; local logins work: {}",
          e.getMessage());
    }
  }

  /** The provider's metadata and keys, discovered now if they were not yet. */
  Discovered discovered() throws Unavailable {
    Discovered d = discovered;
    if (d != null) {
      return d;
    }
    synchronized (this) {
      if (discovered != null) {
        return discovered;
      }
      Instant now = clock.instant();
      if (lastError != null && now.isBefore(lastAttempt.plus(retryAfter))) {
        throw new Unavailable(lastError);
      }
      lastAttempt = now;
      try {
        OIDCProviderMetadata metadata =
            OIDCProviderMetadata.resolve(
                new Issuer(config.issuer().toString()), TIMEOUT_MILLIS, TIMEOUT_MILLIS);
        JWKSource<SecurityContext> keys =
            JWKSourceBuilder.create(
                    metadata.getJWKSetURI().toURL(),
                    new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS, 512 * 1024))
                .retrying(true)
                .build();
        discovered = new Discovered(metadata, keys);
        lastError = null;
        return discovered;
      } catch (Exception e) {
        lastError =
            "the OpenID Connect provider "
                + config.issuer()
                + " could not be reached or read ("
                + e.getClass().getSimpleName()
                + ": "
                + e.getMessage()
                + ")";
        LOG.warn("Single sign-on: {}; trying again in {}", lastError, retryAfter);
        throw new Unavailable(lastError);
      }
    }
  }

  /** A validator of this provider's ID tokens for this client. */
  IDTokenValidator idTokenValidator() throws Unavailable {
    Discovered d = discovered();
    IDTokenValidator v =
        new IDTokenValidator(
            d.metadata().getIssuer(),
            new ClientID(config.clientId()),
            new JWSVerificationKeySelector<>(ALGORITHMS, d.keys()),
            null);
    v.setMaxClockSkew(60);
    return v;
  }

  /**
   * The claims of a bearer JWT (an ID token or a JWT access token) when its signature is one of the
   * provider's keys, its issuer the provider, its audience this client, and it has not expired.
   *
   * @throws Unavailable when the provider's keys can not be had
   * @throws Exception (Nimbus' BadJOSEException, ParseException) when the token is not valid
   */
  JWTClaimsSet verifyBearer(JWT token) throws Exception {
    Discovered d = discovered();
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, d.keys()));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            config.clientId(),
            new JWTClaimsSet.Builder().issuer(d.metadata().getIssuer().getValue()).build(),
            Set.of("sub", "exp")) {
          @Override
          protected Date currentTime() {
            return Date.from(clock.instant());
          }
        };
    claims.setMaxClockSkew(60);
    processor.setJWTClaimsSetVerifier(claims);
    return processor.process(token, null);
  }

  private static Set<JWSAlgorithm> algorithms() {
    Set<JWSAlgorithm> all = new HashSet<>();
    all.addAll(JWSAlgorithm.Family.RSA);
    all.addAll(JWSAlgorithm.Family.EC);
    all.addAll(JWSAlgorithm.Family.ED);
    return Set.copyOf(all);
  }
}
