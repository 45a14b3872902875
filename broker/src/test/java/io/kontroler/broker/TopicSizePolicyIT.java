package io.kontroler.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kontroler.core.message.Topics;
import io.kontroler.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One size policy for every topic: applied when creating them, checked on those that exist. */
class TopicSizePolicyIT {
  @TempDir static Path dataDir;
  static EmbeddedKafka kafka;
  static KafkaSettings settings;

  @BeforeAll
  static void startBroker() {
    kafka = io.kontroler.testkafka.TestKafka.start(dataDir);
    settings = KafkaSettings.of(kafka.bootstrapServers());
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void createsKontrolerTopicsIdempotentlyWithCompactedDags() throws Exception {
    TopicSetup.ensureTopics(settings, Topics.DEFAULT, 3, (short) 1);
    TopicSetup.ensureTopics(settings, Topics.DEFAULT, 3, (short) 1);

    try (Admin admin = Admin.create(settings.clientProperties())) {
      var descriptions =
          admin
              .describeTopics(
                  List.of(Topics.DEFAULT.dags(), Topics.DEFAULT.commands(), Topics.DEFAULT.pools()))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS);
      assertThat(descriptions.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(3));
      ConfigResource dags = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DEFAULT.dags());
      var config = admin.describeConfigs(List.of(dags)).all().get(10, TimeUnit.SECONDS).get(dags);
      ConfigEntry cleanup = config.get("cleanup.policy");
      assertThat(cleanup.value()).isEqualTo("compact");
      assertThat(config.get("max.message.bytes").value())
          .isEqualTo(String.valueOf(TopicSetup.MAX_MESSAGE_BYTES));
    }
  }

  @Test
  void eachDeletingTopicIsCreatedWithItsRetention() throws Exception {
    Topics topics =
        Topics.fromFlat(
            Map.of(
                "topics.dags", "kept.dags",
                "topics.commands", "kept.commands",
                "topics.task-launches", "kept.launches",
                "topics.task-outcomes", "kept.outcomes",
                "topics.run-events", "kept.run-events",
                "topics.dead-letters", "kept.dead-letters",
                "topics.pools", "kept.pools",
                "topics.run-events.retention.ms", "5184000000",
                "topics.dead-letters.retention.ms", "-1"));

    TopicSetup.ensureTopics(settings, topics, 1, (short) 1);

    try (Admin admin = Admin.create(settings.clientProperties())) {
      assertThat(topicConfig(admin, "kept.run-events", "retention.ms")).isEqualTo("5184000000");
      assertThat(topicConfig(admin, "kept.dead-letters", "retention.ms")).isEqualTo("-1");
      assertThat(topicConfig(admin, "kept.commands", "retention.ms")).isEqualTo("604800000");
      assertThat(topicConfig(admin, "kept.launches", "retention.ms")).isEqualTo("604800000");
      assertThat(topicConfig(admin, "kept.outcomes", "retention.ms")).isEqualTo("604800000");
      // Requests to the pools' owner are kept as long as the commands to the DAGs'.
      assertThat(topicConfig(admin, "kept.pools", "retention.ms")).isEqualTo("604800000");
      assertThat(topicConfig(admin, "kept.dags", "cleanup.policy")).isEqualTo("compact");
    }
  }

  private static String topicConfig(Admin admin, String topic, String key) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin
        .describeConfigs(List.of(r))
        .all()
        .get(30, TimeUnit.SECONDS)
        .get(r)
        .get(key)
        .value();
  }

  @Test
  void everyTopicIsCreatedWithTheConfiguredRecordSize() throws Exception {
    Topics topics = prefixed("created", 2 * 1024 * 1024);

    TopicSetup.ensureTopics(settings, topics, 2, (short) 1);

    try (Admin admin = Admin.create(settings.clientProperties())) {
      for (String name : names(topics)) {
        assertThat(maxMessageBytes(admin, name))
            .as(name)
            .isEqualTo(String.valueOf(2 * 1024 * 1024));
      }
    }
  }

  @Test
  void taskOutcomesAreStampedByTheBrokerWhateverTimeTheExecutorSends() throws Exception {
    Topics topics = prefixed("stamped", 1024 * 1024);
    TopicSetup.ensureTopics(settings, topics, 1, (short) 1);
    long before = System.currentTimeMillis();

    long sentLongAgo = 1_000L;
    Properties p = new Properties();
    p.putAll(settings.clientProperties());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      long stamped =
          producer
              .send(new ProducerRecord<>(topics.taskOutcomes(), null, sentLongAgo, "k", "v"))
              .get(30, TimeUnit.SECONDS)
              .timestamp();
      long other =
          producer
              .send(new ProducerRecord<>(topics.runEvents(), null, sentLongAgo, "k", "v"))
              .get(30, TimeUnit.SECONDS)
              .timestamp();

      assertThat(stamped).isGreaterThanOrEqualTo(before);
      assertThat(other).isEqualTo(sentLongAgo);
    }
  }

  @Test
  void anExistingTopicThatTakesSmallerRecordsStopsTheStartNamingIt() throws Exception {
    Topics topics = prefixed("small", 2 * 1024 * 1024);
    try (Admin admin = Admin.create(settings.clientProperties())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topics.runEvents(), 2, (short) 1)
                      .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "500000"))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }

    assertThatThrownBy(() -> TopicSetup.ensureTopics(settings, topics, 2, (short) 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("topics.max.message.bytes = 2097152")
        .hasMessageContaining(topics.runEvents() + " (500000)")
        .hasMessageNotContaining(topics.commands() + " (");
  }

  @Test
  void aComponentsOwnTopicIsCreatedAlikeTheSharedOnes() throws Exception {
    Topics topics = prefixed("alike", 3 * 1024 * 1024);
    TopicSetup.ensureTopics(settings, topics, 3, (short) 1);

    TopicSetup.ensureAlike(settings, "alike.triggers", topics.commands());

    try (Admin admin = Admin.create(settings.clientProperties())) {
      Map<String, TopicDescription> d =
          admin
              .describeTopics(List.of("alike.triggers", topics.commands()))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS);
      TopicDescription triggers = d.get("alike.triggers");
      TopicDescription commands = d.get(topics.commands());
      assertThat(triggers.partitions()).hasSameSizeAs(commands.partitions());
      assertThat(triggers.partitions().get(0).replicas())
          .hasSameSizeAs(commands.partitions().get(0).replicas());
      assertThat(maxMessageBytes(admin, "alike.triggers"))
          .isEqualTo(String.valueOf(3 * 1024 * 1024));
    }
  }

  private static Topics prefixed(String prefix, int maxBytes) {
    Topics d = Topics.DEFAULT;
    return new Topics(
        prefix + "." + d.dags(),
        prefix + "." + d.commands(),
        prefix + "." + d.taskLaunches(),
        prefix + "." + d.taskOutcomes(),
        prefix + "." + d.runEvents(),
        prefix + "." + d.deadLetters(),
        maxBytes,
        null,
        prefix + "." + d.pools());
  }

  private static List<String> names(Topics t) {
    return List.of(
        t.dags(),
        t.commands(),
        t.taskLaunches(),
        t.taskOutcomes(),
        t.runEvents(),
        t.deadLetters(),
        t.pools());
  }

  private static String maxMessageBytes(Admin admin, String topic) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin
        .describeConfigs(List.of(r))
        .all()
        .get(30, TimeUnit.SECONDS)
        .get(r)
        .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)
        .value();
  }
}
