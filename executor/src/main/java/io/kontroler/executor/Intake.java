package io.kontroler.executor;

import io.kontroler.core.run.RunCommand.ExecutorCommand;
import io.kontroler.executor.backend.AttemptId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to do with one batch read from the launches topic, in this order: read again from {@code
 * readAgain} (where a launch waits for room), dead-letter {@code deadLetters}, publish TaskAccepted
 * for {@code announce} and wait for the broker to have them all, commit {@code commit} (next offset
 * by partition), then carry out {@code commands} and the kills read past a waiting launch ({@code
 * killsAhead}). If the commit is refused, nothing is carried out and the batch is read again from
 * {@code rewind}.
 */
record Intake(
    List<AttemptId> announce,
    Map<Integer, Long> commit,
    Map<Integer, Long> readAgain,
    Map<Integer, Long> rewind,
    List<Read> deadLetters,
    List<Read> commands,
    List<Read> killsAhead) {

  Intake {
    announce = List.copyOf(announce);
    commit = Map.copyOf(commit);
    readAgain = Map.copyOf(readAgain);
    rewind = Map.copyOf(rewind);
    deadLetters = List.copyOf(deadLetters);
    commands = List.copyOf(commands);
    killsAhead = List.copyOf(killsAhead);
  }

  /** One record of the launches topic: the command it holds, or the problem why it holds none. */
  record Read(int partition, long offset, ExecutorCommand command, String problem) {
    Read {
      if ((command == null) == (problem == null)) {
        throw new IllegalArgumentException(
            "Expected a command or a problem, but got " + command + " and " + problem);
      }
    }

    static Read of(int partition, long offset, ExecutorCommand command) {
      return new Read(partition, offset, Objects.requireNonNull(command, "command"), null);
    }

    static Read unreadable(int partition, long offset, String problem) {
      return new Read(partition, offset, null, Objects.requireNonNull(problem, "problem"));
    }
  }
}
