package io.kontroler.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class SchedulerHealthTest {
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final SchedulerHealth health = new SchedulerHealth(Duration.ofSeconds(30), clock::get);

  @Test
  void readyOnlyWhileTheStreamsRun() {
    assertThat(health.problems(KafkaStreams.State.RUNNING)).isEmpty();
    assertThat(health.problems(KafkaStreams.State.ERROR))
        .singleElement()
        .asString()
        .contains("ERROR");
    assertThat(health.problems(KafkaStreams.State.PENDING_ERROR)).isNotEmpty();
    assertThat(health.problems(KafkaStreams.State.REBALANCING)).isNotEmpty();
    assertThat(health.problems(KafkaStreams.State.NOT_RUNNING)).isNotEmpty();
  }

  @Test
  void aFailedStreamThreadKeepsTheSchedulerNotReadyForAWhileAfterItWasReplaced() {
    health.threadFailed(new IllegalStateException("boom"));

    assertThat(health.problems(KafkaStreams.State.RUNNING))
        .singleElement()
        .asString()
        .contains("stream thread failed")
        .contains("boom");
    clock.addAndGet(30_001);
    assertThat(health.problems(KafkaStreams.State.RUNNING)).isEmpty();
  }
}
