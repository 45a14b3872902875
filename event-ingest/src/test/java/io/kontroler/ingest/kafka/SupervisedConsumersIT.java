package io.kontroler.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.broker.KafkaSettings;
import io.kontroler.broker.TopicSetup;
import io.kontroler.broker.loop.LoopHealth;
import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.ingest.InMemoryOutbox;
import io.kontroler.ingest.Outbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest's consumers on the in-process broker: they read committed records only, carry on after
 * a record whose handling throws, dead-letter a poison trigger, and tell readiness when they cannot
 * work.
 */
class SupervisedConsumersIT {
  private static final SupervisedLoop.Backoff FAST =
      new SupervisedLoop.Backoff(Duration.ofMillis(20), Duration.ofMillis(200));
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dataDir;
  private static EmbeddedKafka kafka;
  private static KafkaSettings settings;

  @BeforeAll
  static void startKafka() {
    kafka = io.kontroler.testkafka.TestKafka.start(dataDir);
    settings = KafkaSettings.of(kafka.bootstrapServers());
    TopicSetup.ensureTopics(settings, Topics.DEFAULT, 2, (short) 1);
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @Test
  void aForwarderWhoseOutboxThrowsOnOneRecordForwardsItAgainAndTheNextOnes() throws Exception {
    String topic = topic("triggers-transient");
    FlakyOutbox outbox = new FlakyOutbox(Set.of("default/flaky"), 1);
    try (TriggerForwarder forwarder =
        new TriggerForwarder(settings, topic, "g-transient", outbox, Clock.systemUTC(), FAST)) {
      forwarder.start();

      send(topic, request("default/flaky"));
      send(topic, request("default/next-1"));
      send(topic, request("default/next-2"));

      await().atMost(WAIT).until(() -> outbox.forwarded().size() == 3);
      assertThat(outbox.forwarded())
          .containsExactly("default/flaky", "default/next-1", "default/next-2");
      assertThat(outbox.inner.deadLetters()).isEmpty();
      assertThat(forwarder.loop().status().failures()).isEqualTo(1);
      assertThat(forwarder.loop().status().state()).isEqualTo(SupervisedLoop.State.RUNNING);
    }
  }

  @Test
  void aPoisonTriggerIsDeadLetteredAndTheLoopCarriesOn() throws Exception {
    String topic = topic("triggers-poison");
    FlakyOutbox outbox = new FlakyOutbox(Set.of("default/poison"), Integer.MAX_VALUE);
    try (TriggerForwarder forwarder =
        new TriggerForwarder(settings, topic, "g-poison", outbox, Clock.systemUTC(), FAST)) {
      forwarder.start();

      send(topic, "not json".getBytes(StandardCharsets.UTF_8));
      send(topic, request("default/poison"));
      send(topic, request("default/after"));

      await().atMost(WAIT).until(() -> outbox.forwarded().contains("default/after"));
      List<DeadLetter> letters = outbox.inner.deadLetters();
      assertThat(letters).hasSize(2);
      assertThat(letters.get(0).reason()).startsWith("not JSON");
      assertThat(letters.get(1).reason())
          .startsWith("forwarding failed 3 times")
          .contains("the outbox refused default/poison");
      assertThat(letters.get(1).value()).contains("default/poison");
      assertThat(outbox.forwarded()).containsExactly("default/after");
    }
  }

  @Test
  void theForwarderNeverSeesACommandFromAnAbortedTransaction() throws Exception {
    String topic = topic("triggers-transactional");
    InMemoryOutbox outbox = new InMemoryOutbox();
    Properties props = kafka.clientProperties();
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "outside-system");
    try (TriggerForwarder forwarder =
            new TriggerForwarder(settings, topic, "g-tx", outbox, Clock.systemUTC(), FAST);
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, 0, "default/aborted", request("default/aborted")));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(topic, 0, "default/committed", request("default/committed")));
      producer.commitTransaction();
      forwarder.start();

      await().atMost(WAIT).until(() -> !outbox.commands().isEmpty());
      assertThat(outbox.commands()).extracting(Inbound::dag).containsExactly("default/committed");
    }
  }

  @Test
  void aFollowerRetriesARecordWhoseHandlerThrewAndSkipsOneThatAlwaysThrows() throws Exception {
    String topic = topic("followed");
    List<String> handled = new CopyOnWriteArrayList<>();
    Map<String, Integer> calls = new ConcurrentHashMap<>();
    send(topic, "a", new byte[] {1});
    send(topic, "once", new byte[] {1});
    send(topic, "always", new byte[] {1});
    send(topic, "b", new byte[] {1});
    try (TopicFollower follower =
        new TopicFollower(
            settings,
            topic,
            "follower-test",
            r -> {
              int n = calls.merge(r.key(), 1, Integer::sum);
              if (r.key().equals("once") && n == 1 || r.key().equals("always")) {
                throw new IllegalStateException("cannot handle " + r.key() + " now");
              }
              handled.add(r.key());
            },
            FAST)) {
      follower.start();

      assertThat(follower.awaitCaughtUp(WAIT)).isTrue();
      assertThat(handled).containsExactly("a", "once", "b");
      assertThat(calls).containsEntry("once", 2).containsEntry("always", 3);
      assertThat(follower.loop().status().failures()).isEqualTo(3);
      send(topic, "c", new byte[] {1});
      await().atMost(WAIT).until(() -> handled.contains("c"));
    }
  }

  @Test
  void aFollowerOfATopicThatIsMissingIsNotReadyAndSaysWhich() {
    LoopHealth health = new LoopHealth();
    try (TopicFollower follower =
        new TopicFollower(settings, "no-such-topic", "follower-missing", r -> {}, FAST)) {
      health.watch(follower.loop());
      follower.start();

      await().atMost(WAIT).until(() -> !health.problems().isEmpty());
      assertThat(health.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.loop()).isEqualTo("follower-missing");
                assertThat(p.reason()).contains("no-such-topic");
              });
      assertThat(follower.loop().status().failures()).isPositive();
    }
  }

  private static String topic(String name) throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      admin.createTopics(List.of(new NewTopic(name, 2, (short) 1))).all().get();
    }
    return name;
  }

  private static byte[] request(String dag) {
    return MessageCodec.encode(new RunRequested(dag, null, Map.of(), "k-" + dag, null));
  }

  private static void send(String topic, byte[] value) throws Exception {
    send(topic, null, value);
  }

  private static void send(String topic, String key, byte[] value) throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
      // one partition for all, so that records are read in the order they were sent
      producer.send(new ProducerRecord<>(topic, 0, key, value)).get();
    }
  }

  /** Refuses commands of some DAGs for their first {@code failures} tries. */
  private static final class FlakyOutbox implements Outbox {
    final InMemoryOutbox inner = new InMemoryOutbox();
    private final Set<String> dags;
    private final int failures;
    private final Map<String, Integer> tries = new ConcurrentHashMap<>();

    FlakyOutbox(Set<String> dags, int failures) {
      this.dags = dags;
      this.failures = failures;
    }

    List<String> forwarded() {
      return inner.commands().stream().map(Inbound::dag).toList();
    }

    @Override
    public void command(Inbound command) {
      if (dags.contains(command.dag()) && tries.merge(command.dag(), 1, Integer::sum) <= failures) {
        throw new IllegalStateException("the outbox refused " + command.dag());
      }
      inner.command(command);
    }

    @Override
    public void catalog(String key, Catalog record) {
      inner.catalog(key, record);
    }

    @Override
    public void deadLetter(String key, DeadLetter letter) {
      inner.deadLetter(key, letter);
    }
  }
}
