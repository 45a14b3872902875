package io.kontroler.api.kafka;

import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each batch in one Kafka transaction, so the documents of one request become visible
 * together or not at all (readers use {@code read_committed}). The producer is created on first
 * use, so the api starts while Kafka is still coming up; after a failure it is recreated.
 */
public final class KafkaPublisher implements Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final Properties properties;
  private final Topics topics;
  private KafkaProducer<String, byte[]> producer;

  public KafkaPublisher(Properties clientProperties, Topics topics) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "kontroler-api");
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(ACK_TIMEOUT.toMillis()));
    // a DAG of thousands of tasks is megabytes of JSON; kontroler.dags accepts up to 16 MiB
    p.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(16 * 1024 * 1024));
    // one id per api process: batches are atomic; fencing of zombies is not needed here
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kontroler-api-" + UUID.randomUUID());
    this.properties = p;
    this.topics = topics;
  }

  @Override
  public synchronized void publish(List<Outgoing> records) {
    if (records.isEmpty()) {
      return;
    }
    KafkaProducer<String, byte[]> p = producer();
    try {
      p.beginTransaction();
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (Outgoing r : records) {
        String topic =
            switch (r.topic()) {
              case COMMANDS -> topics.commands();
              case DAGS -> topics.dags();
              case POOLS -> topics.pools();
            };
        sent.add(p.send(new ProducerRecord<>(topic, r.key(), MessageCodec.encode(r.message()))));
      }
      p.commitTransaction();
      for (Future<RecordMetadata> f : sent) {
        f.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      discard(p);
      throw new PublishException("interrupted while publishing", e);
    } catch (KafkaException | ExecutionException | TimeoutException e) {
      discard(p);
      throw new PublishException("could not publish " + records.size() + " record(s): " + e, e);
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      KafkaProducer<String, byte[]> p =
          new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
      try {
        p.initTransactions();
      } catch (KafkaException e) {
        p.close(Duration.ZERO);
        throw new PublishException("could not reach Kafka: " + e.getMessage(), e);
      }
      producer = p;
    }
    return producer;
  }

  /** Aborts what may be open and drops the producer; the next batch starts a fresh one. */
  private void discard(KafkaProducer<String, byte[]> p) {
    try {
      p.abortTransaction();
    } catch (KafkaException e) {
      LOG.debug("Aborting the transaction failed: {}", e.toString());
    }
    p.close(Duration.ofSeconds(5));
    producer = null;
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }
}
