package io.kontroler.cli.bench;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Notes on {@link HopClock} when the scheduler hands a record to its producer. */
public final class SchedulerProducerProbe implements ProducerInterceptor<Object, Object> {

  @Override
  public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
    if (HopClock.armed() && record.value() instanceof byte[] value) {
      HopClock.sent(record.topic(), value, System.nanoTime());
    }
    return record;
  }

  @Override
  public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
