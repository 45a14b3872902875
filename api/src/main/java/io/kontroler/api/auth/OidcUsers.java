package io.kontroler.api.auth;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Who a provider's claims name, and with which role: the same rules for sign-ins and bearers. */
final class OidcUsers {
  static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

  /** A user the claims name, and the role they map to (empty: none). */
  record Claimed(String username, String subject, Optional<Role> role, Object roleValues) {}

  private OidcUsers() {}

  /**
   * The user of {@code claims}, or empty when no claim names one that is a valid username.
   *
   * @param usernameClaim the preferred claim; email and then sub when it is absent
   */
  static Optional<Claimed> of(Map<String, Object> claims, OidcConfig config) {
    String subject = text(claims.get("sub"));
    if (subject == null) {
      return Optional.empty();
    }
    String username = text(claims.get(config.usernameClaim()));
    if (username == null) {
      username = text(claims.get("email"));
    }
    if (username == null) {
      username = subject;
    }
    if (!USERNAME.matcher(username).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new Claimed(
            username, subject, config.roles().roleOf(claims), config.roles().values(claims)));
  }

  private static String text(Object value) {
    return value instanceof String s && !s.isBlank() ? s : null;
  }
}
