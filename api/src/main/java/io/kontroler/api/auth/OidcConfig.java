package io.kontroler.api.auth;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.LIST;
import static io.kontroler.core.config.ValueType.TEXT;
import static io.kontroler.core.config.ValueType.TRIMMED;

import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ConfigValues;
import io.kontroler.core.config.ValueType;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Single sign-on with an OpenID Connect provider: where it is, who the api is to it, and how a
 * claim of its tokens becomes a role. Off while {@code api.oidc.issuer} is not set. Each key is
 * described once, in {@link #TABLE}.
 *
 * @param issuer the provider's issuer URL; null: single sign-on is off
 * @param clientId the api's client id at the provider, also the audience bearer tokens must name
 * @param clientSecret the client's secret; null: a public client (PKCE only)
 * @param scopes the scopes asked for at sign-in
 * @param displayName the name on the UI's "Sign in with …" button
 * @param usernameClaim the claim that names the user
 * @param roles how the roles claim maps to a role
 * @param redirectUri the callback URL registered at the provider; null: derived from the request
 */
public record OidcConfig(
    URI issuer,
    String clientId,
    String clientSecret,
    List<String> scopes,
    String displayName,
    String usernameClaim,
    OidcRoles roles,
    URI redirectUri) {

  public OidcConfig {
    scopes = List.copyOf(Objects.requireNonNullElse(scopes, List.of()));
    clientSecret = clientSecret == null || clientSecret.isEmpty() ? null : clientSecret;
    if (issuer != null && (clientId == null || clientId.isBlank())) {
      throw new IllegalArgumentException(
          "Expected api.oidc.client-id with api.oidc.issuer " + issuer + ", but it is not set");
    }
    if (issuer != null && !scopes.contains("openid")) {
      throw new IllegalArgumentException(
          "Expected api.oidc.scopes to contain openid, but got " + String.join(" ", scopes));
    }
  }

  private static final ValueType<URI> URL =
      ValueType.of("URL", s -> URI.create(s.trim()), URI::toString)
          .where(
              u -> u.isAbsolute() && List.of("http", "https").contains(u.getScheme()),
              "an http or https URL");
  private static final ValueType<List<String>> SPACED =
      ValueType.of(
          "list",
          s -> List.of(s.trim().split("[\\s,]+")).stream().filter(x -> !x.isEmpty()).toList(),
          l -> String.join(" ", l));
  private static final ValueType<String> DEFAULT_ROLE =
      ValueType.choice("none", "viewer", "editor", "admin");

  public static final ConfigKey<OidcConfig, URI> ISSUER =
      key("api.oidc.issuer", URL, null)
          .readFrom(OidcConfig::issuer)
          .doc(
              "Issuer URL of an OpenID Connect provider (its discovery document is <issuer>/.well-known/openid-configuration); none: single sign-on is off.");
  public static final ConfigKey<OidcConfig, String> CLIENT_ID =
      key("api.oidc.client-id", TRIMMED, null)
          .readFrom(OidcConfig::clientId)
          .doc(
              "The api's client id at the provider; bearer tokens must name it as their audience.");
  public static final ConfigKey<OidcConfig, String> CLIENT_SECRET =
      key("api.oidc.client-secret", TEXT, null)
          .readFrom(OidcConfig::clientSecret)
          .doc(
              "The client's secret, sent to the token endpoint (client_secret_basic); none: a public client, PKCE alone. Set it from a Kubernetes Secret or an environment variable, never in a file under version control.")
          .masked();
  public static final ConfigKey<OidcConfig, List<String>> SCOPES =
      key("api.oidc.scopes", SPACED, "openid profile email")
          .readFrom(OidcConfig::scopes)
          .doc("Scopes asked for at sign-in, space separated; must contain openid.");
  public static final ConfigKey<OidcConfig, String> DISPLAY_NAME =
      key("api.oidc.display-name", TRIMMED, null)
          .readFrom(OidcConfig::displayName)
          .doc("The name on the UI's \"Sign in with …\" button.")
          .shownAs("the issuer's host");
  public static final ConfigKey<OidcConfig, String> USERNAME_CLAIM =
      key("api.oidc.username-claim", TRIMMED, "preferred_username")
          .readFrom(OidcConfig::usernameClaim)
          .doc(
              "Claim that names the user (1-100 letters, digits, '.', '_', '@' or '-'); email, then sub, when the token lacks it. A local account of that name is never taken over: such a sign-in is refused.");
  public static final ConfigKey<OidcConfig, String> ROLES_CLAIM =
      key("api.oidc.roles.claim", TRIMMED, "groups")
          .readFrom((OidcConfig c) -> c.roles().claim())
          .doc(
              "Claim that holds the user's groups or roles: a list or a single string; a dotted path reads into objects (realm_access.roles).");
  public static final ConfigKey<OidcConfig, List<String>> ADMIN_VALUES =
      key("api.oidc.roles.admin-values", LIST, null)
          .readFrom((OidcConfig c) -> c.roles().admin())
          .doc("Values of the roles claim that make a user admin, comma separated.");
  public static final ConfigKey<OidcConfig, List<String>> EDITOR_VALUES =
      key("api.oidc.roles.editor-values", LIST, null)
          .readFrom((OidcConfig c) -> c.roles().editor())
          .doc("Values of the roles claim that make a user editor, comma separated.");
  public static final ConfigKey<OidcConfig, List<String>> VIEWER_VALUES =
      key("api.oidc.roles.viewer-values", LIST, null)
          .readFrom((OidcConfig c) -> c.roles().viewer())
          .doc("Values of the roles claim that make a user viewer, comma separated.");
  public static final ConfigKey<OidcConfig, String> DEFAULT_ROLE_KEY =
      key("api.oidc.roles.default", DEFAULT_ROLE, "none")
          .readFrom((OidcConfig c) -> c.roles().fallback().map(Role::name).orElse("none"))
          .doc(
              "Role of a user none of whose claim values is listed: none refuses the sign-in and the token (the secure default), or viewer, editor or admin.");
  public static final ConfigKey<OidcConfig, URI> REDIRECT_URI =
      key("api.oidc.redirect-uri", URL, null)
          .readFrom(OidcConfig::redirectUri)
          .doc(
              "Callback URL registered at the provider, ending in /api/v1/auth/oidc/callback; none: built from the request's Host (and X-Forwarded-Proto).")
          .shownAs("from the request");

  /** The single sign-on keys of the api. */
  public static final ConfigTable<OidcConfig> TABLE =
      ConfigTable.of(
          ISSUER,
          CLIENT_ID,
          CLIENT_SECRET,
          SCOPES,
          DISPLAY_NAME,
          USERNAME_CLAIM,
          ROLES_CLAIM,
          ADMIN_VALUES,
          EDITOR_VALUES,
          VIEWER_VALUES,
          DEFAULT_ROLE_KEY,
          REDIRECT_URI);

  /** Reads the keys of {@link #TABLE}; absent keys take their defaults. */
  public static OidcConfig fromFlat(Map<String, String> c) {
    return from(TABLE.require(c));
  }

  /** The single sign-on settings in {@code v}, read by a table that includes {@link #TABLE}. */
  public static OidcConfig from(ConfigValues v) {
    return new OidcConfig(
        v.get(ISSUER),
        v.get(CLIENT_ID),
        v.get(CLIENT_SECRET),
        v.get(SCOPES),
        v.get(DISPLAY_NAME),
        v.get(USERNAME_CLAIM),
        new OidcRoles(
            v.get(ROLES_CLAIM),
            v.get(ADMIN_VALUES),
            v.get(EDITOR_VALUES),
            v.get(VIEWER_VALUES),
            Role.parse(v.get(DEFAULT_ROLE_KEY))),
        v.get(REDIRECT_URI));
  }

  public boolean enabled() {
    return issuer != null;
  }

  /** The name on the sign-in button: the configured one, or the issuer's host. */
  public String buttonName() {
    return Optional.ofNullable(displayName)
        .filter(s -> !s.isBlank())
        .orElse(issuer == null ? "" : issuer.getHost());
  }

  /** The settings with the client secret masked, as every configuration is shown. */
  @Override
  public String toString() {
    return TABLE.show("OidcConfig", this);
  }
}
