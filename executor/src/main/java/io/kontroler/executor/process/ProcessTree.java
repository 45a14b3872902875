package io.kontroler.executor.process;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Ends a process and every process it started: SIGTERM to all, SIGKILL after a grace period. */
final class ProcessTree {
  private ProcessTree() {}

  static void terminate(ProcessHandle root, Duration grace, ScheduledExecutorService timer) {
    // Take the tree before signalling: once a parent dies its children are re-parented away.
    List<ProcessHandle> tree =
        Stream.concat(Stream.of(root), root.descendants()).collect(Collectors.toList());
    tree.forEach(ProcessHandle::destroy);
    timer.schedule(
        () -> {
          for (ProcessHandle process : tree) {
            if (process.isAlive()) {
              process.destroyForcibly();
            }
          }
        },
        grace.toMillis(),
        TimeUnit.MILLISECONDS);
  }
}
