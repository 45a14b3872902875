package io.kontroler.scheduler.topology;

import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.PoolMessage;
import io.kontroler.core.pool.PoolDecision;
import io.kontroler.core.pool.PoolMachine;
import io.kontroler.core.pool.PoolState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner of shared pools: reads {@code kontroler.pools} (keyed by pool name, so one partition
 * owns each pool whatever DAGs use it), applies {@link PoolMachine} to the pool's stored state and
 * sends its decisions on: each grant to the holder's DAG on {@code kontroler.commands}, the pool's
 * status to {@code kontroler.run-events} keyed {@code pool:<name>}. A wall-clock punctuator (the
 * only clock here) expires the leases that ran out. All of it inside the stream task's transaction:
 * a crash rolls back state and outputs together, so no slot is lost or granted twice.
 */
final class PoolProcessor implements Processor<String, byte[], String, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(PoolProcessor.class);
  private final Duration lease;
  private final Duration checkInterval;
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<String, PoolState> pools;

  PoolProcessor(Duration lease, Duration checkInterval) {
    this.lease = lease;
    this.checkInterval = checkInterval;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    pools = context.getStateStore(PoolStores.POOLS);
    context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::expireLeases);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    PoolMessage message;
    try {
      message = MessageCodec.decode(record.value(), PoolMessage.class);
    } catch (InvalidMessageException e) {
      deadLetter(record, e.getMessage());
      return;
    }
    if (message instanceof PoolMessage.PoolStatus) {
      return; // the owner's own output, if it ever lands here: nothing to decide
    }
    if (message.pool() == null || !message.pool().equals(record.key())) {
      deadLetter(
          record,
          "Expected the record key to be the pool '"
              + message.pool()
              + "', but got "
              + record.key());
      return;
    }
    PoolDecision d;
    try {
      d = PoolMachine.apply(pools.get(message.pool()), message, lease);
    } catch (IllegalArgumentException e) {
      deadLetter(record, e.getMessage());
      return;
    }
    send(d, record.timestamp());
  }

  private void expireLeases(long now) {
    List<PoolState> due = new ArrayList<>();
    try (KeyValueIterator<String, PoolState> it = pools.all()) {
      while (it.hasNext()) {
        KeyValue<String, PoolState> e = it.next();
        Instant next = e.value.nextExpiry();
        if (next != null && next.toEpochMilli() <= now) {
          due.add(e.value);
        }
      }
    }
    for (PoolState state : due) {
      PoolDecision d = PoolMachine.expire(state, Instant.ofEpochMilli(now), lease);
      LOG.info(
          "Pool {}: a lease ran out without renewal; its slot went to {} waiting request(s)",
          state.pool(),
          d.grants().size());
      send(d, now);
    }
  }

  private void send(PoolDecision d, long timestamp) {
    if (!d.changed()) {
      return;
    }
    pools.put(d.state().pool(), d.state());
    for (Inbound.SlotGranted g : d.grants()) {
      context.forward(
          new Record<>(g.dag(), MessageCodec.encode(g), timestamp), SchedulerTopology.GRANTS_SINK);
    }
    context.forward(
        new Record<>(
            PoolMessage.statusKey(d.state().pool()), MessageCodec.encode(d.status()), timestamp),
        SchedulerTopology.POOL_STATUS_SINK);
  }

  private void deadLetter(Record<String, byte[]> record, String reason) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    LOG.warn("Dead letter from the pools topic (key {}): {}", record.key(), reason);
    DeadLetter letter =
        new DeadLetter(
            InternalFailures.truncate(reason, InternalFailures.MESSAGE_CHARS),
            meta == null ? null : meta.topic(),
            meta == null ? -1 : meta.partition(),
            meta == null ? -1 : meta.offset(),
            record.key(),
            record.value() == null
                ? null
                : InternalFailures.truncate(
                    new String(record.value(), StandardCharsets.UTF_8),
                    RunDriver.DEAD_LETTER_VALUE_CHARS),
            Instant.ofEpochMilli(record.timestamp()));
    context.forward(
        new Record<>(record.key(), MessageCodec.encode(letter), record.timestamp()),
        SchedulerTopology.POOL_DEAD_LETTERS_SINK);
  }
}
