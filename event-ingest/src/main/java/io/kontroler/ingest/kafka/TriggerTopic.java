package io.kontroler.ingest.kafka;

import io.kontroler.broker.KafkaSettings;
import io.kontroler.broker.TopicSetup;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the trigger topic when it is missing, alike the commands topic (partitions, replication
 * factor, record size); with one partition and the broker's defaults when there is none yet.
 */
public final class TriggerTopic {
  private static final Logger LOG = LoggerFactory.getLogger(TriggerTopic.class);

  private TriggerTopic() {}

  public static void ensure(KafkaSettings kafka, String topic, String commandsTopic) {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      if (names.contains(topic)) {
        return;
      }
      if (names.contains(commandsTopic)) {
        TopicSetup.ensureAlike(kafka, topic, commandsTopic);
        return;
      }
      int partitions = 1;
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) -1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      LOG.info("Created the trigger topic {} with {} partition(s)", topic, partitions);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Expected to create topic " + topic + ", but " + e, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + topic, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Expected Kafka to answer within 30 s about " + topic, e);
    }
  }
}
