package io.kontroler.api.auth;

import java.util.Optional;

/** Who presents a token: empty when the token is unknown, expired, revoked or not valid. */
@FunctionalInterface
public interface Authenticator {
  Optional<Principal> authenticate(String token);

  /** The first of {@code these} that knows the token. */
  static Authenticator firstOf(Authenticator... these) {
    return token -> {
      for (Authenticator a : these) {
        Optional<Principal> p = a.authenticate(token);
        if (p.isPresent()) {
          return p;
        }
      }
      return Optional.empty();
    };
  }
}
