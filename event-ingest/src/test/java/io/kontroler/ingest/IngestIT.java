package io.kontroler.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kontroler.broker.KafkaSettings;
import io.kontroler.broker.TopicSetup;
import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.message.Catalog.DagDeleted;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.ingest.cron.Dags;
import io.kontroler.ingest.k8s.MockCluster;
import io.kontroler.ingest.k8s.ResourceKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest on the in-process Kafka broker: as in {@code kontroler standalone}, and with the
 * Kubernetes controller on fabric8's mock API server.
 */
@EnableKubernetesMockClient(crud = true)
class IngestIT {
  private static final String DAG = "default/every-second";

  @TempDir static Path dataDir;
  KubernetesClient client;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = io.kontroler.testkafka.TestKafka.start(dataDir);
    TopicSetup.ensureTopics(
        KafkaSettings.of(kafka.bootstrapServers()), Topics.DEFAULT, 2, (short) 1);
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @Test
  void firesSchedulesFromTheCatalogAndForwardsTheTriggerTopic() throws Exception {
    Topics topics = Topics.DEFAULT;
    try (KafkaProducer<String, byte[]> producer = producer(kafka);
        KafkaConsumer<String, byte[]> commands = consumer(kafka, topics.commands());
        KafkaConsumer<String, byte[]> deadLetters = consumer(kafka, topics.deadLetters())) {
      // the catalog exists before the ingest starts
      send(producer, topics.dags(), DAG, MessageCodec.encode(Dags.scheduled(DAG, "* * * * * *")));

      try (Ingest ingest = Ingest.start(IngestConfig.standalone(kafka.bootstrapServers()))) {
        assertThat(ingest.loops())
            .extracting(SupervisedLoop.Status::name)
            .contains("kontroler-ingest-dags-standalone", "kontroler-ingest-triggers");
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> {
                  commands.poll(Duration.ofMillis(200)).forEach(seen::add);
                  return !seen.isEmpty();
                });
        RunRequested fired = MessageCodec.decode(seen.get(0).value(), RunRequested.class);
        assertThat(seen.get(0).key()).isEqualTo(DAG);
        assertThat(fired.idempotencyKey()).isEqualTo(DAG + "@" + fired.requestedAt());
        assertThat(fired.trigger()).isEqualTo(RunRequested.SCHEDULE);

        send(producer, topics.dags(), DAG, MessageCodec.encode(new DagDeleted(DAG, Instant.now())));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> ingest.schedules().trigger(DAG).isEmpty());

        send(
            producer,
            IngestConfig.DEFAULT_TRIGGER_TOPIC,
            "default/etl",
            MessageCodec.encode(new RunRequested("default/etl", null, Map.of(), null, null)));
        send(
            producer,
            IngestConfig.DEFAULT_TRIGGER_TOPIC,
            "default/etl",
            "not json".getBytes(StandardCharsets.UTF_8));

        List<RunRequested> forwarded = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> {
                  for (ConsumerRecord<String, byte[]> r : commands.poll(Duration.ofMillis(200))) {
                    RunRequested request = decode(r.value());
                    if (request.dag().equals("default/etl")) {
                      forwarded.add(request);
                    }
                  }
                  return !forwarded.isEmpty();
                });
        assertThat(forwarded.get(0).idempotencyKey())
            .startsWith(IngestConfig.DEFAULT_TRIGGER_TOPIC + "/");
        List<DeadLetter> letters = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> {
                  for (ConsumerRecord<String, byte[]> r :
                      deadLetters.poll(Duration.ofMillis(200))) {
                    letters.add(MessageCodec.decode(r.value(), DeadLetter.class));
                  }
                  return !letters.isEmpty();
                });
        assertThat(letters.get(0).reason()).startsWith("not JSON");
        assertThat(letters.get(0).value()).isEqualTo("not json");
        assertThat(letters.get(0).sourceTopic()).isEqualTo(IngestConfig.DEFAULT_TRIGGER_TOPIC);
        assertThat(ingest.problems()).isEmpty();
      }
    }
  }

  @Test
  void aDagRunAppliedToKubernetesRunsThroughKafkaAndItsStatusReachesSucceeded() throws Exception {
    Topics topics = Topics.DEFAULT;
    MockCluster.installCrds(client);
    try (KafkaProducer<String, byte[]> producer = producer(kafka);
        KafkaConsumer<String, byte[]> commands = consumer(kafka, topics.commands(), "k8s");
        // the scheduler numbers the DAG's version; this stand-in answers the ingest's submission
        KafkaCatalogOwner scheduler =
            new KafkaCatalogOwner(kafka.clientProperties(), topics, "fake-scheduler").start()) {
      IngestConfig standalone = IngestConfig.standalone(kafka.bootstrapServers());
      IngestConfig config =
          new IngestConfig(
              standalone.kafka(),
              topics,
              "",
              "it-k8s",
              standalone.quartz(),
              new IngestConfig.Kubernetes(true, List.of(), "default"),
              Duration.ofSeconds(60));
      try (Ingest ingest = Ingest.start(config, client)) {
        MockCluster resources = MockCluster.parts(client);
        resources.create(
            """
            apiVersion: kontroler.greedykomodo/v1alpha1
            kind: DAG
            metadata: {name: hello}
            spec:
              task:
                - {name: say, image: alpine, command: [echo, hello]}
            """);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    Integer.valueOf(1)
                        .equals(resources.status(ResourceKind.DAG, "hello").get("version")));
        assertThat(ingest.catalog().dag("default/hello").orElseThrow().submissionId()).isNotNull();
        var dagRun =
            resources.create(
                """
                apiVersion: kontroler.greedykomodo/v1alpha1
                kind: DagRun
                metadata: {name: hello-1}
                spec: {dagName: hello}
                """);
        String uid = dagRun.getMetadata().getUid();
        List<RunRequested> requested = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  for (ConsumerRecord<String, byte[]> r : commands.poll(Duration.ofMillis(200))) {
                    // the DAG's submission is on this topic too
                    if (MessageCodec.decode(r.value(), Inbound.class)
                            instanceof RunRequested request
                        && uid.equals(request.idempotencyKey())) {
                      requested.add(request);
                    }
                  }
                  return !requested.isEmpty();
                });
        assertThat(requested.get(0).dag()).isEqualTo("default/hello");

        String runId = RunIds.forRequest("default/hello", uid);
        Instant now = Instant.now();
        send(
            producer,
            topics.runEvents(),
            "default/hello",
            MessageCodec.encode(
                new RunPhaseChanged(
                    runId,
                    "default/hello",
                    1,
                    "hello-1",
                    RunPhase.Pending,
                    RunPhase.Running,
                    new PhaseCounts(1, 0, 0, 0, 0, 0, 0, 0),
                    null,
                    now)));
        send(
            producer,
            topics.runEvents(),
            "default/hello",
            MessageCodec.encode(
                new RunPhaseChanged(
                    runId,
                    "default/hello",
                    1,
                    "hello-1",
                    RunPhase.Running,
                    RunPhase.Succeeded,
                    new PhaseCounts(0, 0, 0, 0, 1, 0, 0, 0),
                    "done",
                    now.plusSeconds(3))));

        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    "Succeeded"
                        .equals(resources.status(ResourceKind.DAG_RUN, "hello-1").get("phase")));
        assertThat(resources.status(ResourceKind.DAG_RUN, "hello-1"))
            .containsEntry("progress", "1/1")
            .containsEntry("runId", runId);
        // the DAG's status shows its latest run, which the next run created replaces
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> "Succeeded".equals(lastRunPhase(resources)));
        assertThat(lastRun(resources))
            .containsEntry("id", runId)
            .containsEntry("startedAt", now.toString())
            .containsEntry("finishedAt", now.plusSeconds(3).toString());
        send(
            producer,
            topics.runEvents(),
            "default/hello",
            MessageCodec.encode(
                new RunPhaseChanged(
                    "next-run",
                    "default/hello",
                    1,
                    "next-run",
                    null,
                    RunPhase.Pending,
                    new PhaseCounts(1, 0, 0, 0, 0, 0, 0, 0),
                    null,
                    now.plusSeconds(60))));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> "Pending".equals(lastRunPhase(resources)));
        assertThat(lastRun(resources))
            .containsEntry("id", "next-run")
            .doesNotContainKey("startedAt");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> lastRun(MockCluster resources) {
    Object lastRun = resources.status(ResourceKind.DAG, "hello").get("lastRun");
    return lastRun == null ? Map.of() : (Map<String, Object>) lastRun;
  }

  private static Object lastRunPhase(MockCluster resources) {
    return lastRun(resources).get("phase");
  }

  private static RunRequested decode(byte[] value) {
    try {
      return MessageCodec.decode(value, RunRequested.class);
    } catch (InvalidMessageException e) {
      throw new AssertionError(e);
    }
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
    return new KafkaProducer<>(
        kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<String, byte[]> consumer(EmbeddedKafka kafka, String topic) {
    return consumer(kafka, topic, "test");
  }

  private static KafkaConsumer<String, byte[]> consumer(
      EmbeddedKafka kafka, String topic, String group) {
    Properties props = kafka.clientProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group + "-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }
}
