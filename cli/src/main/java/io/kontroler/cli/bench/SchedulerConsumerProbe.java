package io.kontroler.cli.bench;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Notes on {@link HopClock} when the scheduler's main consumer hands records to its thread. */
public final class SchedulerConsumerProbe implements ConsumerInterceptor<Object, Object> {

  @Override
  public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
    if (HopClock.armed() && !records.isEmpty()) {
      long now = System.nanoTime();
      for (ConsumerRecord<Object, Object> r : records) {
        if (r.value() instanceof byte[] value) {
          HopClock.received(r.topic(), value, now);
        }
      }
    }
    return records;
  }

  @Override
  public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
