package io.kontroler.broker;

import io.kontroler.core.message.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Kontroler's topics if they are missing: every topic with the same partition count (the
 * scheduler joins them by DAG key, so they must be co-partitioned), {@code dags} compacted. Topics
 * that exist are left as they are; a different partition count is reported, not changed.
 */
public final class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

  /**
   * The largest record on the DAG topic (a DAG of thousands of tasks is megabytes of JSON);
   * producers of DAG records need {@code max.request.size} at least this large.
   */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private TopicSetup() {}

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
    List<NewTopic> wanted = new ArrayList<>();
    wanted.add(
        new NewTopic(topics.dags(), partitions, replicationFactor)
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    String.valueOf(MAX_MESSAGE_BYTES))));
    for (String name :
        List.of(
            topics.commands(),
            topics.taskLaunches(),
            topics.taskOutcomes(),
            topics.runEvents(),
            topics.deadLetters())) {
      wanted.add(new NewTopic(name, partitions, replicationFactor));
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
}
