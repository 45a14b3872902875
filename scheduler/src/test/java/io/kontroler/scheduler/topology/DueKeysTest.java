package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.run.RunCommand.StartTimer;
import io.kontroler.core.run.TimerKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DueKeysTest {

  @Test
  void keysSortByDueTimeWhateverTheRunAndTask() {
    var early = DueKeys.of(timer("zzz", "z", Instant.ofEpochMilli(1_000)));
    var late = DueKeys.of(timer("aaa", "a", Instant.ofEpochMilli(256_000)));

    assertThat(early.compareTo(late)).isNegative();
    assertThat(DueKeys.dueMillis(late)).isEqualTo(256_000);
  }

  @Test
  void eachAttemptAndKindHasItsOwnKey() {
    Instant due = Instant.ofEpochMilli(5);
    assertThat(DueKeys.of(timer("r", "t", due)))
        .isNotEqualTo(DueKeys.of(new StartTimer("r", "d", "t", 2, TimerKind.RETRY, due)))
        .isNotEqualTo(DueKeys.of(new StartTimer("r", "d", "t", 1, TimerKind.TIMEOUT, due)));
  }

  private static StartTimer timer(String run, String task, Instant due) {
    return new StartTimer(run, "d", task, 1, TimerKind.RETRY, due);
  }
}
