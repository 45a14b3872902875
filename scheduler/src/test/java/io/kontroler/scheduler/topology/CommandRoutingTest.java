package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class CommandRoutingTest {
  private final CommandRouting routing = new CommandRouting(6);

  @Test
  void theOwnerIsThePartitionJavasProducerPicksForTheKey() {
    for (String dag : new String[] {"default/diamond", "default/etl", "team-a/nightly", "x/y"}) {
      byte[] key = dag.getBytes(StandardCharsets.UTF_8);
      assertThat(routing.ownerOf(dag))
          .as(dag)
          .isEqualTo(BuiltInPartitioner.partitionForKey(key, 6));
    }
  }

  @Test
  void aCommandOnItsOwnersPartitionStays() {
    int owner = routing.ownerOf("default/diamond");
    assertThat(routing.misplaced("default/diamond", owner, new RecordHeaders())).isFalse();
  }

  @Test
  void aCommandOnAnotherPartitionMovesOnceOnly() {
    int other = (routing.ownerOf("default/diamond") + 1) % 6;
    assertThat(routing.misplaced("default/diamond", other, new RecordHeaders())).isTrue();
    RecordHeaders moved = new RecordHeaders();
    moved.add(CommandRouting.MOVED, "0".getBytes(StandardCharsets.UTF_8));
    assertThat(routing.misplaced("default/diamond", other, moved)).isFalse();
  }

  @Test
  void withoutAPartitionCountOrAKeyNothingMoves() {
    assertThat(new CommandRouting(0).misplaced("default/diamond", 3, new RecordHeaders()))
        .isFalse();
    assertThat(routing.misplaced(null, 3, new RecordHeaders())).isFalse();
  }
}
