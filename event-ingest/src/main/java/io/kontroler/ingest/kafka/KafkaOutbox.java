package io.kontroler.ingest.kafka;

import io.kontroler.broker.KafkaSettings;
import io.kontroler.broker.TopicSetup;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import io.kontroler.ingest.Outbox;
import io.kontroler.ingest.trigger.CommandCheck;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The outbox on Kafka: an idempotent producer, each send awaited until acknowledged by all. */
public final class KafkaOutbox implements Outbox, AutoCloseable {
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaProducer<String, byte[]> producer;
  private final Topics topics;

  public KafkaOutbox(KafkaSettings kafka, Topics topics, String clientId) {
    Properties props = kafka.clientProperties();
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.putIfAbsent(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(TopicSetup.MAX_MESSAGE_BYTES));
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.topics = topics;
  }

  @Override
  public void command(Inbound command) {
    List<String> problems = CommandCheck.problems(command);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Expected a command that keeps the contract, but " + problems);
    }
    send(topics.commands(), command.dag(), MessageCodec.encode(command));
  }

  @Override
  public void catalog(String key, Catalog record) {
    send(topics.dags(), key, MessageCodec.encode(record));
  }

  @Override
  public void deadLetter(String key, DeadLetter letter) {
    send(topics.deadLetters(), key, MessageCodec.encode(letter));
  }

  private void send(String topic, String key, byte[] value) {
    try {
      producer
          .send(new ProducerRecord<>(topic, key, value))
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while publishing to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Expected " + topic + " to acknowledge the record keyed " + key + ", but " + e, e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
