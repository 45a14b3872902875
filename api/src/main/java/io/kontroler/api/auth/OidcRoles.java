package io.kontroler.api.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the values of one claim become a role: the most powerful role any value is listed for wins;
 * with none listed, {@code fallback} (empty: no role, the sign-in or token is refused).
 *
 * @param claim the claim's name, or a dotted path into nested objects ({@code realm_access.roles})
 */
public record OidcRoles(
    String claim,
    List<String> admin,
    List<String> editor,
    List<String> viewer,
    Optional<Role> fallback) {

  public OidcRoles {
    Objects.requireNonNull(claim, "claim");
    admin = List.copyOf(Objects.requireNonNullElse(admin, List.of()));
    editor = List.copyOf(Objects.requireNonNullElse(editor, List.of()));
    viewer = List.copyOf(Objects.requireNonNullElse(viewer, List.of()));
    fallback = Objects.requireNonNullElse(fallback, Optional.empty());
  }

  /** The role the claims give, empty when none. */
  public Optional<Role> roleOf(Map<String, Object> claims) {
    List<String> values = values(claims);
    if (values.stream().anyMatch(admin::contains)) {
      return Optional.of(Role.admin);
    }
    if (values.stream().anyMatch(editor::contains)) {
      return Optional.of(Role.editor);
    }
    if (values.stream().anyMatch(viewer::contains)) {
      return Optional.of(Role.viewer);
    }
    return fallback;
  }

  /** The values of the claim: a list's strings, or a single string; none when absent. */
  public List<String> values(Map<String, Object> claims) {
    Object at = claims;
    for (String part : claim.split("\\.")) {
      if (!(at instanceof Map<?, ?> map)) {
        return List.of();
      }
      at = map.get(part);
    }
    List<String> out = new ArrayList<>();
    if (at instanceof Collection<?> many) {
      many.stream().filter(Objects::nonNull).map(String::valueOf).forEach(out::add);
    } else if (at != null) {
      out.add(String.valueOf(at));
    }
    return out;
  }
}
