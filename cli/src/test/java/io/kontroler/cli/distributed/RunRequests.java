package io.kontroler.cli.distributed;

import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.RunIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Starts runs as an external system does: {@code RunRequested} on {@code kontroler.commands}, with
 * an idempotency key, so each run's id is known before the scheduler reads it.
 */
final class RunRequests implements AutoCloseable {
  /** Runs requested together, named {@code name}. */
  record Batch(String name, List<String> runIds) {}

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;

  RunRequests(String bootstrapServers, String topic) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "distributed-it-requests");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  /**
   * Requests {@code runs} runs, of each DAG of {@code dags} (namespace/name) in turn, and waits
   * until Kafka has them.
   */
  Batch request(List<String> dags, String name, int runs) {
    List<String> ids = new ArrayList<>();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      String dag = dags.get(i % dags.size());
      String key = name + "-" + i + "-" + UUID.randomUUID();
      Inbound.RunRequested request =
          new Inbound.RunRequested(dag, name + "-" + i, Map.of(), key, Instant.now());
      ids.add(RunIds.forRequest(dag, key));
      sent.add(producer.send(new ProducerRecord<>(topic, dag, MessageCodec.encode(request))));
    }
    for (Future<RecordMetadata> f : sent) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("Could not request a run: " + e.getCause(), e);
      }
    }
    return new Batch(name, List.copyOf(ids));
  }

  @Override
  public void close() {
    producer.close();
  }
}
