package io.kontroler.cli.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tasks' own record of their executions: every task appends one line {@code <run> <task>
 * <attempt> <epoch millis>} when it starts, read from the variables the executor gives it. The one
 * source that no Kontroler component writes, so it shows what really ran.
 */
final class Ledger {
  /** One execution: a task process that started. */
  record Execution(String runId, String task, int attempt, long at) {
    String attemptKey() {
      return runId + " " + task + " " + attempt;
    }
  }

  private final Path file;

  private Ledger(Path file) {
    this.file = file;
  }

  /**
   * A ledger in {@code dir}, which every user may write: tasks may run as another user than the
   * executor (e.g. {@code nobody}).
   */
  static Ledger create(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      Path file = dir.resolve("executions.log");
      Files.createFile(file);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
      return new Ledger(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the ledger in " + dir, e);
    }
  }

  /**
   * The shell command a task runs: one line appended with {@code >>} (O_APPEND: lines of concurrent
   * tasks never interleave), then {@code seconds} of work.
   */
  String taskCommand(String seconds) {
    return "echo \"$KONTROLER_RUN_ID $KONTROLER_TASK $KONTROLER_ATTEMPT $(date +%s%3N)\" >> "
        + file
        + " && sleep "
        + seconds;
  }

  Path file() {
    return file;
  }

  /** Every execution of the runs in {@code runIds}. */
  List<Execution> executions(Collection<String> runIds) {
    Set<String> wanted = Set.copyOf(runIds);
    return all().stream().filter(e -> wanted.contains(e.runId())).toList();
  }

  /** (run, task, attempt) that started more than once, with how many times. */
  Map<String, Long> duplicates(Collection<String> runIds) {
    return executions(runIds).stream()
        .collect(Collectors.groupingBy(Execution::attemptKey, Collectors.counting()))
        .entrySet()
        .stream()
        .filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** The tasks of each run that started at least once. */
  Map<String, Set<String>> tasksPerRun(Collection<String> runIds) {
    return executions(runIds).stream()
        .collect(
            Collectors.groupingBy(
                Execution::runId, Collectors.mapping(Execution::task, Collectors.toSet())));
  }

  private List<Execution> all() {
    try {
      return Files.readAllLines(file).stream()
          .map(String::trim)
          .filter(l -> !l.isEmpty())
          .map(Ledger::parse)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the ledger " + file, e);
    }
  }

  private static Execution parse(String line) {
    String[] f = line.split(" ");
    if (f.length != 4) {
      throw new IllegalStateException("Expected '<run> <task> <attempt> <millis>', got: " + line);
    }
    return new Execution(f[0], f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]));
  }
}
