package io.kontroler.scheduler.it;

import io.kontroler.broker.KafkaSettings;
import io.kontroler.broker.TopicSetup;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.Topics;
import io.kontroler.core.run.RunIds;
import io.kontroler.embedded.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/** What the scheduler integration tests share: topics, configuration, DAGs and run requests. */
final class ItSupport {
  static final int PARTITIONS = 6;
  static final Topics TOPICS = Topics.DEFAULT;

  private ItSupport() {}

  /**
   * A broker with Kontroler's topics for a test that kills a scheduler instance: it looks for
   * timed-out transactions every second (default 10 s), since a killed instance's open transaction
   * blocks the readers of its partitions until it is rolled back.
   */
  static EmbeddedKafka startFailoverBroker(Path dataDir) {
    EmbeddedKafka kafka =
        io.kontroler.testkafka.TestKafka.start(
            dataDir, Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"));
    createTopics(kafka);
    return kafka;
  }

  static void createTopics(EmbeddedKafka kafka) {
    TopicSetup.ensureTopics(
        KafkaSettings.of(kafka.bootstrapServers()), TOPICS, PARTITIONS, (short) 1);
  }

  /**
   * Scheduler configuration for tests: the failover defaults (quick failure detection), one
   * standby, state under {@code stateDir}.
   */
  static Map<String, String> config(EmbeddedKafka kafka, String applicationId, Path stateDir) {
    Map<String, String> c = new HashMap<>();
    c.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    c.put("scheduler.application.id", applicationId);
    c.put("scheduler.partitions", String.valueOf(PARTITIONS));
    c.put("scheduler.state.dir", stateDir.toString());
    c.put("scheduler.standby.replicas", "1");
    return c;
  }

  static void publish(KafkaIo io, String dag, DagSpec spec) {
    io.send(TOPICS.dags(), dag, new Catalog.DagPublished(dag, 1, spec, Instant.now()));
  }

  /** Requests a run with {@code key} as idempotency key; returns its run id. */
  static String request(KafkaIo io, String dag, String key) {
    io.send(
        TOPICS.commands(), dag, new Inbound.RunRequested(dag, key, Map.of(), key, Instant.now()));
    return RunIds.forRequest(dag, key);
  }

  /** The partition Kafka's default partitioner gives {@code key}. */
  static int partitionOf(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }
}
