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
}
