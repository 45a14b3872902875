package io.kontroler.broker;

import io.kontroler.core.message.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Kontroler's topics if they are missing: every topic with the same partition count (the
 * scheduler joins them by DAG key, so they must be co-partitioned) and the same replication factor,
 * {@code dags} compacted, the others with the {@code retention.ms} of {@link Topics#retention()},
 * and every one with {@code max.message.bytes} of the one size policy ({@link
 * Topics#maxMessageBytes()}, key {@value Topics#MAX_MESSAGE_BYTES_KEY}). Topics that exist are left
 * as they are: a different partition count is reported, not changed; one that takes smaller records
 * than the size policy stops the start with an error that says what to change.
 */
public final class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

  /**
   * The largest record of the default size policy ({@link Topics#DEFAULT_MAX_MESSAGE_BYTES}); the
   * configured one is {@link Topics#maxMessageBytes()}, and producers set {@code max.request.size}
   * to it.
   */
  public static final int MAX_MESSAGE_BYTES = Topics.DEFAULT_MAX_MESSAGE_BYTES;

  /**
   * The timestamp type of {@code task-outcomes}: the broker stamps each outcome and heartbeat when
   * it appends it, so the scheduler measures attempt leases on one clock per partition.
   */
  static final String LOG_APPEND_TIME = "LogAppendTime";

  private TopicSetup() {}

  /**
   * How many partitions {@code topic} has, or empty when that can not be learned now (the topic is
   * missing, or the cluster does not answer within 30 s).
   */
  public static OptionalInt partitionCount(KafkaSettings settings, String topic) {
    try (Admin admin = Admin.create(settings.clientProperties())) {
      return OptionalInt.of(
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .size());
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    }
  }

  /** Creates the missing topics of {@code topics} with {@code partitions} partitions each. */
  public static void ensureTopics(
      KafkaSettings settings, Topics topics, int partitions, short replicationFactor) {
    try (Admin admin = Admin.create(settings.clientProperties())) {
      ensureTopics(admin, topics, partitions, replicationFactor);
    }
  }

  /** Same as above, with an existing admin client. */
  public static void ensureTopics(
      Admin admin, Topics topics, int partitions, short replicationFactor) {
    if (partitions < 1) {
      throw new IllegalArgumentException("Expected at least 1 partition, but got " + partitions);
    }
    String maxBytes = String.valueOf(topics.maxMessageBytes());
    List<NewTopic> wanted = new ArrayList<>();
    wanted.add(
        new NewTopic(topics.dags(), partitions, replicationFactor)
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    maxBytes)));
    for (String name :
        List.of(
            topics.commands(),
            topics.taskLaunches(),
            topics.taskOutcomes(),
            topics.runEvents(),
            topics.deadLetters(),
            topics.pools())) {
      Map<String, String> configs = new HashMap<>();
      configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxBytes);
      // The pools topic carries requests to the pools' owner, as the commands topic does to the
      // DAGs': it keeps them as long.
      Long retention =
          topics.retention().of(topics, name.equals(topics.pools()) ? topics.commands() : name);
      configs.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention));
      if (name.equals(topics.taskOutcomes())) {
        configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, LOG_APPEND_TIME);
      }
      wanted.add(new NewTopic(name, partitions, replicationFactor).configs(configs));
    }
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        createIgnoringExisting(admin, missing);
        LOG.info(
            "Created topics {} with {} partitions",
            missing.stream().map(NewTopic::name).toList(),
            partitions);
      }
      reportPartitionCounts(admin, wanted, partitions);
      checkSizePolicy(admin, wanted.stream().map(NewTopic::name).toList(), topics);
      checkOutcomeTimestamps(admin, topics.taskOutcomes());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not create Kontroler's topics: " + e.getMessage(), e);
    }
  }

  /**
   * Describes {@code wanted}; a topic created a moment ago may not be in every broker's metadata
   * yet, so an unknown topic is asked about again, for up to 30 seconds.
   */
  private static Map<String, TopicDescription> describeOnceKnown(Admin admin, List<NewTopic> wanted)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<String> names = wanted.stream().map(NewTopic::name).toList();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long backoffMillis = 10;
    while (true) {
      try {
        return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(backoffMillis);
        backoffMillis = Math.min(backoffMillis * 2, 500);
      }
    }
  }

  private static void createIgnoringExisting(Admin admin, List<NewTopic> missing)
      throws InterruptedException, TimeoutException, ExecutionException {
    var result = admin.createTopics(missing).values();
    for (var entry : result.entrySet()) {
      try {
        entry.getValue().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
  }

  private static void reportPartitionCounts(Admin admin, List<NewTopic> wanted, int partitions)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, TopicDescription> described = describeOnceKnown(admin, wanted);
    described.forEach(
        (name, description) -> {
          if (description.partitions().size() != partitions) {
            LOG.warn(
                "Topic {} has {} partitions, expected {}: the topics must stay co-partitioned",
                name,
                description.partitions().size(),
                partitions);
          }
        });
  }

  /**
   * Fails when a topic takes smaller records than the size policy: a producer would be allowed to
   * send records that the topic refuses, which surfaces much later as a stuck component.
   */
  static void checkSizePolicy(Admin admin, List<String> names, Topics topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<ConfigResource> resources =
        names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<ConfigResource, Config> configs =
        admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
    List<String> tooSmall = new ArrayList<>();
    configs.forEach(
        (resource, config) -> {
          ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
          if (entry != null
              && entry.value() != null
              && Long.parseLong(entry.value()) < topics.maxMessageBytes()) {
            tooSmall.add(resource.name() + " (" + entry.value() + ")");
          }
        });
    if (!tooSmall.isEmpty()) {
      throw new IllegalStateException(
          "Expected every topic to take records of "
              + Topics.MAX_MESSAGE_BYTES_KEY
              + " = "
              + topics.maxMessageBytes()
              + " bytes, but max.message.bytes is smaller on "
              + String.join(", ", tooSmall)
              + ": raise it on those topics (kafka-configs.sh --alter --entity-type topics"
              + " --add-config max.message.bytes=...) or lower "
              + Topics.MAX_MESSAGE_BYTES_KEY);
    }
  }

  /**
   * Warns when {@code task-outcomes} keeps the producers' timestamps (a topic created before
   * Kontroler set the type): attempt leases are then measured on the executors' clocks, which must
   * agree to well within a lease.
   */
  private static void checkOutcomeTimestamps(Admin admin, String outcomes)
      throws InterruptedException, ExecutionException, TimeoutException {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, outcomes);
    Config config =
        admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
    ConfigEntry entry =
        config == null ? null : config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
    if (entry != null && !LOG_APPEND_TIME.equals(entry.value())) {
      LOG.warn(
          "Topic {} has message.timestamp.type={}: attempt leases are measured on the executors'"
              + " clocks. Set it to LogAppendTime (kafka-configs.sh --alter --entity-type topics"
              + " --entity-name {} --add-config message.timestamp.type=LogAppendTime)",
          outcomes,
          entry.value(),
          outcomes);
    }
  }

  /**
   * Creates {@code topic} if it is missing, alike {@code like} (an existing Kontroler topic): the
   * same partition count, replication factor and {@code max.message.bytes}. For the topics a
   * component adds to the shared ones, such as the ingest's trigger topic.
   */
  public static void ensureAlike(KafkaSettings settings, String topic, String like) {
    try (Admin admin = Admin.create(settings.clientProperties())) {
      if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
        return;
      }
      TopicDescription model =
          describeOnceKnown(admin, List.of(new NewTopic(like, 1, (short) 1))).get(like);
      Config config =
          admin
              .describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, like)))
              .all()
              .get(30, TimeUnit.SECONDS)
              .values()
              .iterator()
              .next();
      ConfigEntry maxBytes = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      NewTopic wanted =
          new NewTopic(
              topic,
              model.partitions().size(),
              (short) model.partitions().get(0).replicas().size());
      if (maxBytes != null && maxBytes.value() != null) {
        wanted.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxBytes.value()));
      }
      createIgnoringExisting(admin, List.of(wanted));
      describeOnceKnown(admin, List.of(wanted));
      LOG.info(
          "Created topic {} alike {}: {} partitions, replication factor {}",
          topic,
          like,
          wanted.numPartitions(),
          wanted.replicationFactor());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Could not create topic " + topic + " alike " + like + ": " + e.getMessage(), e);
    }
  }
}
