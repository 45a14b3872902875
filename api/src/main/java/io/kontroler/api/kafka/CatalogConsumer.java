package io.kontroler.api.kafka;

import io.kontroler.api.dags.DagStore;
import io.kontroler.api.db.Database;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the whole of {@code kontroler.dags} (no group: every replica reads every partition from the
 * start) so the api knows the DAG and DagTask versions that others published, such as the
 * Kubernetes ingest, and numbers its own versions after them.
 */
public final class CatalogConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogConsumer.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Database db;
  private final Supplier<String> secrets;
  private final Thread thread;
  private volatile boolean running = true;

  public CatalogConsumer(
      Properties clientProperties, String topic, Database db, Supplier<String> secrets) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kontroler-api-catalog");
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.db = db;
    this.secrets = secrets;
    this.thread = new Thread(this::run, "kontroler-api-catalog");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    try {
      assign();
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          apply(r);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void assign() {
    while (running) {
      List<PartitionInfo> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (parts != null && !parts.isEmpty()) {
        List<TopicPartition> tps =
            parts.stream().map(pi -> new TopicPartition(topic, pi.partition())).toList();
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        return;
      }
      LOG.info("Waiting for topic {} to exist", topic);
      consumer.poll(Duration.ofSeconds(2));
    }
  }

  private void apply(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return;
    }
    try {
      Catalog record = MessageCodec.decode(r.value(), Catalog.class);
      db.transaction(
          c -> {
            if (record instanceof Catalog.DagPublished d) {
              DagStore.recordDag(
                  c, d.dag(), d.version(), d.spec(), at(d.publishedAt()), secrets.get());
            } else if (record instanceof Catalog.DagDeleted d) {
              DagStore.markDeleted(c, d.dag(), at(d.deletedAt()));
            } else if (record instanceof Catalog.DagTaskPublished t) {
              DagStore.recordDagTask(
                  c, t.namespace(), t.name(), t.version(), t.spec(), Instant.now());
            }
            return null;
          });
    } catch (InvalidMessageException e) {
      LOG.warn("Skipping catalog record {}@{}: {}", r.key(), r.offset(), e.getMessage());
    }
  }

  private static Instant at(Instant t) {
    return t == null ? Instant.EPOCH : t;
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
