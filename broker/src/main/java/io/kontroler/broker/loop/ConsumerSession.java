package io.kontroler.broker.loop;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A {@link SupervisedLoop.Session} around one Kafka consumer of Kontroler's records (string keys,
 * byte values): woken by the loop's {@code close}, closed with the session, so that a failed
 * session never leaks its consumer.
 */
public abstract class ConsumerSession implements SupervisedLoop.Session {
  protected final KafkaConsumer<String, byte[]> consumer;

  protected ConsumerSession(Properties properties) {
    this.consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public final void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
