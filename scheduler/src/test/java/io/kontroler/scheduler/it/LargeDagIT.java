package io.kontroler.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Catalog.DagPart;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.DagParts;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.shape.Shapes;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DAG of 20,000 tasks (about 7.7 MB encoded, over the default limit of 1 MiB a record) applied on
 * a broker of the default size policy: submitted as parts, numbered and published as parts on the
 * DAG's partition, kept as parts in the scheduler's store, and run to the end.
 */
class LargeDagIT {
  private static final String APP = "large-dag-it";
  private static final String DAG = "it/large";

  @TempDir static Path dir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start(dir.resolve("broker"));
    ItSupport.createTopics(kafka);
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void aDagOfTwentyThousandTasksAppliesInBoundedRecordsAndRuns() {
    DagSpec spec = Shapes.layered(200, 100);
    Inbound.DagSubmitted submitted = new Inbound.DagSubmitted(DAG, spec, "big-1", Instant.now());
    assertThat(MessageCodec.encode(submitted).length)
        .isGreaterThan(Topics.DEFAULT_MAX_MESSAGE_BYTES);
    try (KafkaIo io = new KafkaIo(kafka);
        TestExecutor executor = new TestExecutor(io, true, Duration.ZERO);
        RunEnds ends = new RunEnds(io);
        Scheduler scheduler =
            Scheduler.start(SchedulerConfig.fromFlat(ItSupport.config(kafka, APP, dir)))) {
      for (Inbound record : DagParts.submission(submitted)) {
        io.send(ItSupport.TOPICS.commands(), DAG, record);
      }
      await().atMost(Duration.ofMinutes(2)).until(() -> scheduler.dagVersion(DAG) == 1);
      String runId = ItSupport.request(io, DAG, "large-1");

      await()
          .atMost(Duration.ofMinutes(8))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> ends.ended().containsKey(runId));

      assertThat(ends.ended().get(runId)).isEqualTo(RunPhase.Succeeded);
      assertThat(executor.launches().stream().filter(l -> l.runId().equals(runId)))
          .hasSize(spec.task().size());
      assertThat(executor.launchedTwice()).isEmpty();

      List<ConsumerRecord<String, byte[]>> catalog =
          io.readRecords(ItSupport.TOPICS.dags(), Duration.ofSeconds(2));
      int partition = ItSupport.partitionOf(DAG);
      List<DagParts.Slice> slices = new ArrayList<>();
      DagPublished head = null;
      for (ConsumerRecord<String, byte[]> r : catalog) {
        assertThat(r.value().length).isLessThan(Topics.DEFAULT_MAX_MESSAGE_BYTES);
        Catalog c = (Catalog) KafkaIo.decode(r.value());
        assertThat(r.partition()).as("partition of %s", r.key()).isEqualTo(partition);
        if (c instanceof DagPart p) {
          assertThat(head).as("parts come before their head").isNull();
          assertThat(p.part()).isEqualTo(slices.size());
          slices.add(DagParts.Slice.of(p));
        } else {
          head = (DagPublished) c;
        }
      }
      assertThat(head).isNotNull();
      assertThat(head.partCount()).isEqualTo(slices.size()).isGreaterThan(1);
      assertThat(DagParts.join(head.spec(), slices)).isEqualTo(spec);

      int largest = 0;
      for (ConsumerRecord<String, byte[]> r :
          io.readRecords(APP + "-dag-versions-changelog", Duration.ofSeconds(2))) {
        largest = Math.max(largest, r.value() == null ? 0 : r.value().length);
      }
      assertThat(largest)
          .as("largest record of the dag-versions changelog")
          .isLessThan(DagParts.MAX_PART_BYTES + 4096);
    }
  }
}
