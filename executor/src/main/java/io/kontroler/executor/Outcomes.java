package io.kontroler.executor;

import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.ExecutorHeartbeat;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunEvent;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.Phase;
import io.kontroler.executor.backend.PhaseInfo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes what happened to attempts on the task-outcomes topic, keyed by the DAG. */
final class Outcomes {
  private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);

  private final Producer<String, byte[]> producer;
  private final Topics topics;

  Outcomes(Producer<String, byte[]> producer, Topics topics) {
    this.producer = producer;
    this.topics = topics;
  }

  /**
   * Publishes that {@code executor} holds the attempt; the launch's offset may be committed once
   * the returned future completed without error.
   */
  Future<RecordMetadata> accepted(AttemptId id, String executor, Instant at) {
    RunEvent.TaskAccepted event =
        new RunEvent.TaskAccepted(id.runId(), id.dag(), id.task(), id.attempt(), executor, at);
    return producer.send(
        new ProducerRecord<>(topics.taskOutcomes(), id.dag(), MessageCodec.encode(event)));
  }

  /** Publishes {@code heartbeat} to one {@code partition} of the outcomes topic. */
  Future<RecordMetadata> heartbeat(ExecutorHeartbeat heartbeat, int partition) {
    return producer.send(
        new ProducerRecord<>(
            topics.taskOutcomes(), partition, heartbeat.key(), MessageCodec.encode(heartbeat)));
  }

  /** The partitions of the outcomes topic. */
  List<PartitionInfo> outcomePartitions() {
    return producer.partitionsFor(topics.taskOutcomes());
  }

  void started(AttemptId id, Instant at) {
    send(new RunEvent.TaskStarted(id.runId(), id.dag(), id.task(), id.attempt(), at), id, r -> {});
  }

  /**
   * Publishes the end of an attempt; {@code acked} gets true once the broker has it, false when it
   * could not be written.
   */
  void ended(AttemptId id, PhaseInfo phase, Instant at, Consumer<Boolean> acked) {
    Object event;
    if (phase.phase() == Phase.Succeeded) {
      event =
          new RunEvent.TaskSucceeded(
              id.runId(), id.dag(), id.task(), id.attempt(), at, phase.outputs());
    } else {
      FailureKind kind = phase.failureKind();
      event =
          new RunEvent.TaskFailed(
              id.runId(),
              id.dag(),
              id.task(),
              id.attempt(),
              phase.exitCode(),
              kind,
              phase.message(),
              at);
    }
    send(event, id, acked);
  }

  private void send(Object event, AttemptId id, Consumer<Boolean> acked) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topics.taskOutcomes(), id.dag(), MessageCodec.encode(event));
    producer.send(
        record,
        (metadata, error) -> {
          if (error != null) {
            LOG.error(
                "Could not publish {} of {}: {}", MessageCodec.typeOf(event), id, error.toString());
          }
          acked.accept(error == null);
        });
  }

  /** A record of the launches topic that is not a command: kept aside with the reason. */
  void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
    String value =
        record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    DeadLetter letter =
        new DeadLetter(
            reason,
            record.topic(),
            record.partition(),
            record.offset(),
            record.key(),
            value,
            Instant.now());
    producer.send(
        new ProducerRecord<>(topics.deadLetters(), record.key(), MessageCodec.encode(letter)));
  }
}
