package io.kontroler.scheduler.topology;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.DagParts;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A DAG version as a head (its spec without tasks) and {@code count} slices of tasks read one at a
 * time, so that two versions compare without either being whole in memory.
 */
record VersionView(DagSpec head, int count, IntFunction<DagParts.Slice> slice) {

  /** A spec that is in memory whole: one slice. */
  static VersionView whole(DagSpec spec) {
    DagParts.Slice all = new DagParts.Slice(spec.task(), spec.onExit());
    return new VersionView(DagParts.headOf(spec), 1, i -> all);
  }

  /** The slices of a whole spec as they are written, at most {@code maxBytes} each. */
  static VersionView split(DagSpec spec, int maxBytes) {
    List<DagParts.Slice> slices = DagParts.slices(spec, maxBytes);
    return new VersionView(DagParts.headOf(spec), slices.size(), slices::get);
  }

  /** Whether both define the same runs: equal but for {@code suspended}, task for task. */
  boolean sameVersionAs(VersionView other) {
    return head.versionedPart().equals(other.head.versionedPart())
        && same(tasks(false), other.tasks(false))
        && same(tasks(true), other.tasks(true));
  }

  private static boolean same(Iterator<TaskSpec> a, Iterator<TaskSpec> b) {
    while (a.hasNext() && b.hasNext()) {
      if (!Objects.equals(a.next(), b.next())) {
        return false;
      }
    }
    return !a.hasNext() && !b.hasNext();
  }

  /** The tasks (or the exit tasks) in order, reading one slice at a time. */
  Iterator<TaskSpec> tasks(boolean exit) {
    return new Iterator<>() {
      private int next;
      private Iterator<TaskSpec> current = List.<TaskSpec>of().iterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && next < count) {
          DagParts.Slice s = slice.apply(next++);
          current = (exit ? s.onExit() : s.task()).iterator();
        }
        return current.hasNext();
      }

      @Override
      public TaskSpec next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }
}
