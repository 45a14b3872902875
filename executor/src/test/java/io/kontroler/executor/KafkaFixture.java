package io.kontroler.executor;

import static org.awaitility.Awaitility.await;

import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.Topics;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunEvent;
import io.kontroler.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Fresh topics on a running broker for one test, a producer of commands and a reader of what the
 * workers publish (outcomes and dead letters).
 */
public final class KafkaFixture implements AutoCloseable {
  private static final AtomicInteger SUITE = new AtomicInteger();

  private final EmbeddedKafka kafka;
  private final Topics topics;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> reader;
  private final List<Object> published = new ArrayList<>();
  private final List<Read> read = new ArrayList<>();
  private final AtomicInteger workers = new AtomicInteger();

  /** One record read from the outcomes or dead-letter topic. */
  public record Read(int partition, String key, Object message) {}

  public KafkaFixture(EmbeddedKafka kafka) {
    this.kafka = kafka;
    String prefix = "t" + SUITE.incrementAndGet() + ".";
    topics =
        new Topics(
            prefix + "dags",
            prefix + "commands",
            prefix + "task-launches",
            prefix + "task-outcomes",
            prefix + "run-events",
            prefix + "dead-letters");
    createTopics(6, topics.taskLaunches(), topics.taskOutcomes(), topics.deadLetters());
    producer =
        new KafkaProducer<>(
            kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer());
    Properties props = kafka.clientProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    reader = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    reader.subscribe(List.of(topics.taskOutcomes(), topics.deadLetters()));
  }

  public Topics topics() {
    return topics;
  }

  public String groupId() {
    return "executors-" + topics.taskLaunches();
  }

  /**
   * A worker configuration on these topics, with fast timings; processes work in {@code workDir}.
   */
  public ExecutorConfig config(Path dataDir, Path workDir, int inFlightLimit) {
    return config(dataDir, inFlightLimit)
        .with(
            Map.of(
                "executor.process.work-dir",
                workDir.toString(),
                "executor.process.user",
                "nobody"));
  }

  /** A worker configuration on these topics, with fast timings. */
  public ExecutorConfig config(Path dataDir, int inFlightLimit) {
    Map<String, String> flat = new HashMap<>(Topics.TABLE.flat(topics));
    flat.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    flat.put("executor.data.dir", dataDir.toString());
    flat.put("executor.group.id", groupId());
    flat.put("executor.in.flight.limit", String.valueOf(inFlightLimit));
    flat.put("executor.poll.ms", "50");
    flat.put("executor.resync.ms", "10000");
    flat.put("executor.not.ready.retry.ms", "1000");
    flat.put("executor.id", "worker-" + workers.incrementAndGet());
    flat.put("executor.heartbeat.interval.ms", "500");
    return ExecutorConfig.fromFlat(flat);
  }

  /**
   * Sends {@code command} keyed by {@code dag} in a transaction of its own, committed or aborted,
   * as a scheduler does.
   */
  public void sendInTransaction(String dag, Object command, boolean commit) {
    Properties props = kafka.clientProperties();
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID());
    try (KafkaProducer<String, byte[]> tx =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      tx.initTransactions();
      tx.beginTransaction();
      tx.send(new ProducerRecord<>(topics.taskLaunches(), dag, MessageCodec.encode(command))).get();
      if (commit) {
        tx.commitTransaction();
      } else {
        tx.abortTransaction();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sets the largest record batch the outcomes topic takes. */
  public void limitOutcomeSize(int maxMessageBytes) {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, topics.taskOutcomes());
      AlterConfigOp set =
          new AlterConfigOp(
              new ConfigEntry("max.message.bytes", Integer.toString(maxMessageBytes)),
              AlterConfigOp.OpType.SET);
      admin.incrementalAlterConfigs(Map.of(topic, List.of(set))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends a command keyed by {@code dag} (a launch is moved to that DAG), waiting for the ack. */
  public void send(String dag, Object command) {
    Object message = command;
    if (command instanceof LaunchTask l) {
      message =
          new LaunchTask(
              l.runId(), dag, l.dagVersion(), l.task(), l.attempt(), l.container(), l.at());
    }
    sendRaw(dag, MessageCodec.encode(message));
  }

  public void sendRaw(String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topics.taskLaunches(), key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many messages of {@code type} were published so far (reads what is new). */
  public long count(Class<?> type) {
    for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(20))) {
      try {
        Object message = MessageCodec.decode(record.value());
        published.add(message);
        read.add(new Read(record.partition(), record.key(), message));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return published.stream().filter(type::isInstance).count();
  }

  /** The messages of {@code type} read so far, in the order of their partitions. */
  public <T> List<T> all(Class<T> type) {
    return published.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The records of {@code type} read so far, with their partition and key. */
  public List<Read> reads(Class<?> type) {
    return read.stream().filter(r -> type.isInstance(r.message())).toList();
  }

  /** Everything read so far. */
  public List<Object> published() {
    return List.copyOf(published);
  }

  public Map<String, Integer> perRun(Class<? extends RunEvent> type) {
    Map<String, Integer> counts = new HashMap<>();
    all(type).forEach(e -> counts.merge(e.runId(), 1, Integer::sum));
    return counts;
  }

  /** The sum of the workers' committed offsets on the launches topic. */
  public long committed() throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      Map<?, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(groupId()).partitionsToOffsetAndMetadata().get();
      return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }
  }

  private void createTopics(int partitions, String... names) {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      List<NewTopic> wanted =
          java.util.Arrays.stream(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList();
      admin.createTopics(wanted).all().get();
      // Produce only once every partition has a leader.
      await()
          .ignoreExceptions()
          .until(
              () ->
                  admin.describeTopics(List.of(names)).allTopicNames().get().values().stream()
                          .flatMap(d -> d.partitions().stream())
                          .filter(p -> p.leader() != null && !p.leader().isEmpty())
                          .count()
                      == (long) partitions * names.length);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    producer.close();
    reader.close();
  }
}
