package io.kontroler.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.PoolMessage;
import io.kontroler.core.message.PoolMessage.PoolHolder;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskWaitingForPool;
import io.kontroler.core.run.RunPhase;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What the ingest reads of run-events: the runs' news, not the shared pools' status. */
class RecordsTest {
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

  @Test
  void aPoolsStatusKeyedByThePoolIsNoNotification() {
    PoolMessage.PoolStatus status =
        new PoolMessage.PoolStatus(
            "warehouse",
            2,
            List.of(new PoolHolder("default/etl", "r1", "load", 1, T0, T0.plusSeconds(60))),
            3,
            true,
            T0);

    assertThat(Records.notification(record(PoolMessage.statusKey("warehouse"), status))).isEmpty();
  }

  @Test
  void aTaskWaitingForAPoolAndARunsPhaseChangeAreRead() {
    TaskWaitingForPool waiting =
        new TaskWaitingForPool("r1", "default/etl", "load", 1, "warehouse", T0);
    RunPhaseChanged running =
        new RunPhaseChanged(
            "r1", "default/etl", 1, null, RunPhase.Pending, RunPhase.Running, null, null, T0);

    assertThat(Records.notification(record("default/etl", waiting))).contains(waiting);
    assertThat(Records.notification(record("default/etl", running))).contains(running);
  }

  private static ConsumerRecord<String, byte[]> record(String key, Object message) {
    return new ConsumerRecord<>("kontroler.run-events", 0, 0, key, MessageCodec.encode(message));
  }
}
