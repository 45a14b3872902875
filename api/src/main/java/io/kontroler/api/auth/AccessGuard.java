package io.kontroler.api.auth;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.kontroler.api.http.ApiException;
import java.util.Comparator;
import java.util.Optional;

/**
 * Checks every matched route before its handler: public routes pass; others need a valid token
 * (bearer header or session cookie), 401 without one, and a role at least the route's, 403 below.
 */
public final class AccessGuard implements Handler {
  public static final String COOKIE = "kontroler_session";
  private static final String PRINCIPAL = "kontroler.principal";

  private final Authenticator authenticator;

  public AccessGuard(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public void handle(Context ctx) {
    Optional<Role> required =
        ctx.routeRoles().stream()
            .filter(Role.class::isInstance)
            .map(Role.class::cast)
            .min(Comparator.naturalOrder());
    if (required.isEmpty()) {
      return;
    }
    Principal principal =
        authenticator
            .authenticate(token(ctx))
            .orElseThrow(() -> new ApiException(401, "authentication required: a valid token"));
    if (!principal.role().atLeast(required.get())) {
      throw new ApiException(
          403,
          "role "
              + required.get()
              + " required, but user '"
              + principal.username()
              + "' is "
              + principal.role());
    }
    ctx.attribute(PRINCIPAL, principal);
  }

  /** The principal of an authenticated request. */
  public static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) {
      throw new ApiException(401, "authentication required: a valid token");
    }
    return p;
  }

  static String token(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return ctx.cookie(COOKIE);
  }
}
