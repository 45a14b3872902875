package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.broker.KafkaSettings;
import io.kontroler.broker.TopicSetup;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.PoolMessage;
import io.kontroler.core.message.Topics;
import io.kontroler.core.run.RunCommand;
import io.kontroler.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
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
 * The api against a real (in-process KRaft) Kafka broker: publishing, projecting, the catalog. DAG
 * submissions are answered by {@link KafkaFakeScheduler}, a stand-in for the scheduler's numbering.
 */
class KafkaApiIT {
  private static final Topics TOPICS = Topics.DEFAULT;
  @TempDir static Path kafkaDir;
  static EmbeddedKafka kafka;
  static KafkaFakeScheduler scheduler;

  @TempDir Path dir;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = io.kontroler.testkafka.TestKafka.start(kafkaDir);
    TopicSetup.ensureTopics(KafkaSettings.of(kafka.bootstrapServers()), TOPICS, 3, (short) 1);
    ensurePoolsTopic();
    // the scheduler's side of DAG submissions (versions are the scheduler's to decide)
    scheduler = new KafkaFakeScheduler(kafka.clientProperties(), TOPICS);
  }

  @AfterAll
  static void stopKafka() throws InterruptedException {
    scheduler.close();
    kafka.close();
  }

  private ApiConfig config(String group) {
    return ApiConfig.defaults(dir)
        .with(Topics.TABLE.flat(TOPICS))
        .with(
            Map.of(
                "api.port", "0",
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "api.password.iterations", "1000",
                "admin.password", "kafka-admin-pw",
                "api.webhook.backoff", "PT0.05S",
                "api.consumer.group", group,
                "api.lag.groups", group));
  }

  @Test
  void publishesDagsAndRunRequestsAndProjectsTheRunEvents() throws Exception {
    String group = "api-" + UUID.randomUUID();
    String runId;
    try (ApiServer server = new ApiServer(config(group))) {
      Http http = new Http(server.start());
      String admin = http.login("admin", "kafka-admin-pw");
      assertThat(
              http.post("/api/v1/dags", admin, Samples.diamond("diamond"), "application/yaml")
                  .statusCode())
          .isEqualTo(201);
      ConsumerRecord<String, byte[]> submitted = readOne(TOPICS.commands(), "default/diamond");
      assertThat(decode(submitted)).isInstanceOf(Inbound.DagSubmitted.class);
      ConsumerRecord<String, byte[]> dag = readOne(TOPICS.dags(), "default/diamond");
      assertThat(((Catalog.DagPublished) decode(dag)).submissionId())
          .isEqualTo(((Inbound.DagSubmitted) decode(submitted)).submissionId());

      runId =
          Http.json(http.post("/api/v1/runs", admin, "{\"dagName\":\"diamond\"}"))
              .get("id")
              .asText();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  readAll(TOPICS.commands(), "default/diamond").stream()
                      .anyMatch(r -> decodeQuietly(r) instanceof Inbound.RunRequested));

      produce(ApiTestBase.diamondSucceeds(runId, Instant.now()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Http.json(http.get("/api/v1/runs/" + runId, admin))
                      .get("phase")
                      .asText()
                      .equals("Succeeded"));
      String metrics = http.get("/metrics", admin).body();
      assertThat(metrics)
          .contains("kontroler_runs_started_total 1.0")
          .contains("kontroler_consumer_lag{group=\"" + group + "\"}");
    }

    String replayGroup = "api-" + UUID.randomUUID();
    try (ApiServer replay = new ApiServer(config(replayGroup))) {
      Http http = new Http(replay.start());
      String admin = http.login("admin", "kafka-admin-pw");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  http.get("/metrics", admin)
                      .body()
                      .contains("kontroler_consumer_lag{group=\"" + replayGroup + "\"} 0.0"));
      JsonNode run = Http.json(http.get("/api/v1/runs/" + runId, admin));
      assertThat(run.get("phase").asText()).isEqualTo("Succeeded");
      assertThat(run.get("tasks")).allMatch(t -> t.get("phase").asText().equals("Succeeded"));
      assertThat(http.get("/metrics", admin).body())
          .doesNotContain("kontroler_runs_started_total 1.0");
    }
  }

  @Test
  void versionsPublishedByOthersAreKnownAndNumberedAfter() throws Exception {
    DagSpec spec =
        DagSpec.of(List.of(TaskSpec.of("only", "busybox", List.of("echo", "hi"), List.of())));
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer
          .send(
              new ProducerRecord<>(
                  TOPICS.dags(),
                  "default/from-ingest",
                  MessageCodec.encode(
                      new Catalog.DagPublished("default/from-ingest", 3, spec, Instant.now()))))
          .get();
    }
    try (ApiServer server = new ApiServer(config("api-" + UUID.randomUUID()))) {
      Http http = new Http(server.start());
      String admin = http.login("admin", "kafka-admin-pw");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> http.get("/api/v1/dags/default/from-ingest", admin).statusCode() == 200);
      assertThat(
              Http.json(http.get("/api/v1/dags/default/from-ingest", admin)).get("version").asInt())
          .isEqualTo(3);
      String yaml =
          """
          apiVersion: kontroler.greedykomodo/v1alpha1
          kind: DAG
          metadata:
            name: from-ingest
          spec:
            task:
              - name: only
                image: busybox
                command: [echo, changed]
          """;
      JsonNode applied = Http.json(http.post("/api/v1/dags", admin, yaml, "application/yaml"));
      assertThat(applied.get("applied").get(0).get("version").asInt()).isEqualTo(4);
    }
  }

  @Test
  void setsPoolsOnThePoolsTopicAndProjectsTheirStatusAndTheTasksWaitingForThem() throws Exception {
    String group = "api-" + UUID.randomUUID();
    ApiConfig config = config(group).with(Map.of("api.pools", "reporting=4"));
    try (ApiServer server = new ApiServer(config)) {
      Http http = new Http(server.start());
      String admin = http.login("admin", "kafka-admin-pw");
      assertThat(
              http.post("/api/v1/dags", admin, Samples.diamond("pooled"), "application/yaml")
                  .statusCode())
          .isEqualTo(201);
      String runId =
          Http.json(http.post("/api/v1/runs", admin, "{\"dagName\":\"pooled\"}"))
              .get("id")
              .asText();

      assertThat(http.put("/api/v1/pools/warehouse", admin, "{\"slots\": 3}").statusCode())
          .isEqualTo(202);

      PoolMessage.PoolSlotsSet set =
          (PoolMessage.PoolSlotsSet) decode(readOne(TOPICS.pools(), "warehouse"));
      assertThat(set.slots()).isEqualTo(3);
      assertThat(set.user()).isEqualTo("admin");
      PoolMessage.PoolSlotsSet declared =
          (PoolMessage.PoolSlotsSet) decode(readOne(TOPICS.pools(), "reporting"));
      assertThat(declared.slots()).isEqualTo(4);
      assertThat(declared.user()).isEqualTo("api.pools");

      Instant t = Instant.now();
      String dag = "default/pooled";
      try (KafkaProducer<String, byte[]> producer = producer()) {
        PoolMessage.PoolHolder holder =
            new PoolMessage.PoolHolder(dag, runId, "a", 1, t, t.plusSeconds(60));
        producer.send(
            new ProducerRecord<>(
                TOPICS.runEvents(),
                PoolMessage.statusKey("warehouse"),
                MessageCodec.encode(
                    new PoolMessage.PoolStatus("warehouse", 3, List.of(holder), 1, true, t))));
        producer.send(
            new ProducerRecord<>(
                TOPICS.runEvents(),
                dag,
                MessageCodec.encode(
                    new RunCommand.TaskWaitingForPool(runId, dag, "b", 1, "warehouse", t))));
        producer.flush();
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> http.get("/api/v1/pools/warehouse", admin).statusCode() == 200);
      JsonNode pool = Http.json(http.get("/api/v1/pools/warehouse", admin));
      assertThat(pool.get("inUse").asInt()).isEqualTo(1);
      assertThat(pool.get("waiting").asInt()).isEqualTo(1);
      assertThat(pool.get("holders").get(0).get("runId").asText()).isEqualTo(runId);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Http.json(http.get("/api/v1/runs/" + runId, admin))
                      .get("tasks")
                      .toString()
                      .contains("\"waitingForPool\":\"warehouse\""));
    }
  }

  /** {@code kontroler.pools}, until the broker's topic setup creates it with the others. */
  private static void ensurePoolsTopic() throws Exception {
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(kafka.clientProperties())) {
      if (!admin.listTopics().names().get().contains(TOPICS.pools())) {
        admin
            .createTopics(
                List.of(new org.apache.kafka.clients.admin.NewTopic(TOPICS.pools(), 3, (short) 1)))
            .all()
            .get();
      }
    }
  }

  private static KafkaProducer<String, byte[]> producer() {
    Properties p = kafka.clientProperties();
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static void produce(List<RunCommand.Notification> events) {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (RunCommand.Notification e : events) {
        producer.send(
            new ProducerRecord<>(
                TOPICS.runEvents(), ApiTestBase.DIAMOND_KEY, MessageCodec.encode(e)));
      }
      producer.flush();
    }
  }

  private static Object decode(ConsumerRecord<String, byte[]> r) throws Exception {
    return MessageCodec.decode(r.value());
  }

  private static Object decodeQuietly(ConsumerRecord<String, byte[]> r) {
    try {
      return decode(r);
    } catch (Exception e) {
      return null;
    }
  }

  /** Every record of {@code topic} with {@code key} now. */
  private static List<ConsumerRecord<String, byte[]>> readAll(String topic, String key) {
    Properties p = kafka.clientProperties();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<org.apache.kafka.common.TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      var end = c.endOffsets(parts);
      List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  if (key.equals(r.key())) found.add(r);
                });
      }
      return found;
    }
  }

  private static ConsumerRecord<String, byte[]> readOne(String topic, String key) {
    Properties p = kafka.clientProperties();
    p.put("group.id", "probe-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                c.poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          if (key.equals(r.key())) found.add(r);
                        });
                return !found.isEmpty();
              });
      return found.get(0);
    }
  }
}
