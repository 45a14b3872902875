package io.kontroler.core.dag;

import java.util.List;
import java.util.Objects;

/**
 * An approval task's rule ({@code approval}): the task runs no container; it waits until a user
 * named in {@code approvers}, or holding a role named there, approves it (it succeeds) or rejects
 * it (it fails), and fails when nobody decided within {@code timeoutSeconds}.
 *
 * @param approvers user names and role names, any of which may decide
 * @param timeoutSeconds how long the task waits for a decision, more than 0
 */
public record Approval(List<String> approvers, long timeoutSeconds) {
  public Approval {
    approvers = List.copyOf(Objects.requireNonNullElse(approvers, List.of()));
  }

  /** Whether {@code user}, who holds {@code roles}, may decide. */
  public boolean allows(String user, List<String> roles) {
    return (user != null && approvers.contains(user))
        || (roles != null && roles.stream().anyMatch(approvers::contains));
  }
}
