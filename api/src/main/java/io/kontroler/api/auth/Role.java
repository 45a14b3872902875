package io.kontroler.api.auth;

import io.javalin.security.RouteRole;
import java.util.Locale;
import java.util.Optional;

/** Roles in increasing power: a role may do everything the roles before it may. */
public enum Role implements RouteRole {
  viewer,
  editor,
  admin;

  public boolean atLeast(Role required) {
    return compareTo(required) >= 0;
  }

  public static Optional<Role> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (Role r : values()) {
      if (r.name().equals(text.toLowerCase(Locale.ROOT))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
