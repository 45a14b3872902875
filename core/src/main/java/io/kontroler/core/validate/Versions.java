package io.kontroler.core.validate;

import java.util.List;

/**
 * Version numbering of DAGs and DagTasks: versions start at 1; a spec equal to the latest version
 * keeps that version, any change makes the next one.
 */
public final class Versions {
  private Versions() {}

  /** The version {@code spec} gets after {@code existing} (oldest first). */
  public static <T> int next(List<T> existing, T spec) {
    if (!existing.isEmpty() && existing.get(existing.size() - 1).equals(spec)) {
      return existing.size();
    }
    return existing.size() + 1;
  }

  /**
   * The version {@code spec} gets when only the latest version is known, as on a compacted topic:
   * {@code latestVersion} if {@code spec} equals {@code latest}, else the one after; 1 when there
   * is no version yet ({@code latest} null).
   */
  public static <T> int nextAfter(int latestVersion, T latest, T spec) {
    if (latest == null || latestVersion < 1) {
      return 1;
    }
    return latest.equals(spec) ? latestVersion : latestVersion + 1;
  }
}
