package io.kontroler.api.auth;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import io.kontroler.api.http.ApiException;
import java.text.ParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer JWTs of the OpenID Connect provider, for machine clients: an ID token or a JWT access
 * token whose signature, issuer, audience (the client id) and expiry check out authenticates the
 * user its claims name, with the role they map to. Nothing is stored.
 */
public final class OidcBearer implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(OidcBearer.class);

  private final OidcProvider provider;
  private final Accounts accounts;

  public OidcBearer(OidcProvider provider, Accounts accounts) {
    this.provider = provider;
    this.accounts = accounts;
  }

  @Override
  public Optional<Principal> authenticate(String token) {
    if (token == null || token.chars().filter(c -> c == '.').count() != 2) {
      return Optional.empty();
    }
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      return Optional.empty();
    }
    JWTClaimsSet claims;
    try {
      claims = provider.verifyBearer(jwt);
    } catch (OidcProvider.Unavailable e) {
      throw new ApiException(503, "the bearer token can not be checked now: " + e.getMessage());
    } catch (Exception e) {
      LOG.debug("Bearer JWT refused: {}", e.toString());
      return Optional.empty();
    }
    OidcUsers.Claimed user =
        OidcUsers.of(claims.getClaims(), provider.config())
            .orElseThrow(
                () ->
                    new ApiException(
                        403,
                        "the token names no valid user in "
                            + provider.config().usernameClaim()
                            + ", email or sub"));
    Role role =
        user.role()
            .orElseThrow(
                () ->
                    new ApiException(
                        403,
                        "no role for user '"
                            + user.username()
                            + "': none of the values "
                            + user.roleValues()
                            + " of claim "
                            + provider.config().roles().claim()
                            + " is listed in api.oidc.roles.*-values"));
    Accounts.External outcome =
        accounts.signInExternal(
            user.username(), provider.config().issuer() + "#" + user.subject(), role);
    if (outcome == Accounts.External.TAKEN) {
      throw new ApiException(
          403,
          "user '"
              + user.username()
              + "' is a local account or another subject's; a token of the identity provider can"
              + " not act as it");
    }
    return Optional.of(new Principal(user.username(), role, "oidc"));
  }
}
