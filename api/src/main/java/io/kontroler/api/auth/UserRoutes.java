package io.kontroler.api.auth;

import io.javalin.http.Context;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.Bodies;
import io.kontroler.api.http.Route;
import io.kontroler.core.validate.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Users: listed, created, deleted and given roles by admins, who also list and revoke anyone's
 * tokens; a password changed by its owner or an admin, which revokes every session and token of
 * that user.
 */
public final class UserRoutes {
  static final int MIN_PASSWORD = 8;
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");

  record NewUser(String username, String password, String role) {}

  record PasswordChange(String currentPassword, String newPassword) {}

  record RoleChange(String role) {}

  private final Accounts accounts;
  private final Bodies bodies;

  public UserRoutes(Accounts accounts, Bodies bodies) {
    this.accounts = accounts;
    this.bodies = bodies;
  }

  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/users", Role.admin, "List users", this::list),
        Route.post("/api/v1/users", Role.admin, "Create a user with a role", this::create),
        Route.delete("/api/v1/users/{username}", Role.admin, "Delete a user", this::delete),
        Route.put(
            "/api/v1/users/{username}/password",
            Role.viewer,
            "Change a password (one's own, or anyone's as admin); revokes the user's tokens",
            this::changePassword),
        Route.put("/api/v1/users/{username}/role", Role.admin, "Change a user's role", this::role),
        Route.get(
            "/api/v1/users/{username}/tokens",
            Role.admin,
            "A user's sessions and API tokens",
            this::tokens),
        Route.delete(
            "/api/v1/users/{username}/tokens/{id}",
            Role.admin,
            "Revoke a user's session or API token",
            this::revoke));
  }

  private Accounts.User existing(String username) {
    return accounts
        .find(username)
        .orElseThrow(() -> ApiException.notFound("no user '" + username + "'"));
  }

  private void role(Context ctx) {
    Accounts.User user = existing(ctx.pathParam("username"));
    RoleChange body = bodies.json(ctx, RoleChange.class);
    Role role =
        Role.parse(body.role())
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        List.of(new Problem("role", "expected viewer, editor or admin"))));
    if (user.role() == Role.admin && role != Role.admin && accounts.countAdmins() <= 1) {
      throw ApiException.conflict("'" + user.username() + "' is the last admin");
    }
    accounts.setRole(user.username(), role);
    ctx.json(Map.of("username", user.username(), "role", role));
  }

  private void tokens(Context ctx) {
    Accounts.User user = existing(ctx.pathParam("username"));
    ctx.json(Map.of("items", accounts.tokens(user.username())));
  }

  private void revoke(Context ctx) {
    Accounts.User user = existing(ctx.pathParam("username"));
    if (!accounts.revoke(user.username(), ctx.pathParam("id"))) {
      throw ApiException.notFound(
          "no active token '" + ctx.pathParam("id") + "' of '" + user.username() + "'");
    }
    ctx.status(204);
  }

  private void list(Context ctx) {
    ctx.json(Map.of("items", accounts.list()));
  }

  private void create(Context ctx) {
    NewUser body = bodies.json(ctx, NewUser.class);
    List<Problem> problems = new ArrayList<>();
    if (body.username() == null || !USERNAME.matcher(body.username()).matches()) {
      problems.add(new Problem("username", "expected 1-100 letters, digits, '.', '_', '@' or '-'"));
    }
    checkPassword("password", body.password(), problems);
    Role role = Role.parse(body.role()).orElse(null);
    if (role == null) {
      problems.add(new Problem("role", "expected viewer, editor or admin"));
    }
    if (!problems.isEmpty()) {
      throw ApiException.badRequest(problems);
    }
    if (!accounts.create(body.username(), body.password(), role)) {
      throw ApiException.conflict("user '" + body.username() + "' exists");
    }
    ctx.status(201).json(Map.of("username", body.username(), "role", role));
  }

  private void delete(Context ctx) {
    String username = ctx.pathParam("username");
    Accounts.User user =
        accounts
            .find(username)
            .orElseThrow(() -> ApiException.notFound("no user '" + username + "'"));
    if (user.role() == Role.admin && accounts.countAdmins() <= 1) {
      throw ApiException.conflict("'" + username + "' is the last admin");
    }
    accounts.delete(username);
    ctx.status(204);
  }

  private void changePassword(Context ctx) {
    Principal p = AccessGuard.principal(ctx);
    String username = ctx.pathParam("username");
    PasswordChange body = bodies.json(ctx, PasswordChange.class);
    boolean self = p.username().equals(username);
    if (!self && p.role() != Role.admin) {
      throw new ApiException(403, "only an admin may change another user's password");
    }
    List<Problem> problems = new ArrayList<>();
    checkPassword("newPassword", body.newPassword(), problems);
    if (!problems.isEmpty()) {
      throw ApiException.badRequest(problems);
    }
    if (accounts.find(username).isEmpty()) {
      throw ApiException.notFound("no user '" + username + "'");
    }
    if (self
        && (body.currentPassword() == null
            || accounts.check(username, body.currentPassword()).isEmpty())) {
      throw ApiException.badRequest(
          List.of(new Problem("currentPassword", "does not match the current password")));
    }
    accounts.setPassword(username, body.newPassword());
    ctx.status(204);
  }

  static void checkPassword(String field, String password, List<Problem> problems) {
    if (password == null || password.length() < MIN_PASSWORD || password.length() > 1000) {
      problems.add(new Problem(field, "expected " + MIN_PASSWORD + " to 1000 characters"));
    }
  }
}
