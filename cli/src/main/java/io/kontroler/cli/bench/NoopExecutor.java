package io.kontroler.cli.bench;

import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor that does no work: a real consumer of task launches (read committed) that publishes
 * TaskStarted and TaskSucceeded for each launch at once, the outcomes of one poll's launches in one
 * produce request. It notes when each launch arrived and when its success was sent, for hop
 * latency, and counts the launches it answered per run. It answers whatever LaunchTask it reads,
 * from any partition: a task's launch or an instance's ({@code process[12]}), keyed by run and task
 * since launches spread over the partitions.
 */
final class NoopExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NoopExecutor.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final String outcomesTopic;
  private final Thread thread;
  private final Map<String, Long> launchedAtNanos = new ConcurrentHashMap<>();
  private final Map<String, Long> succeededAtNanos = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> answeredByRun = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private volatile boolean recording;
  private volatile String ignoredDag = "";
  private volatile String countedDag = "";

  NoopExecutor(Properties client, String launchesTopic, String outcomesTopic, int partitions) {
    this.outcomesTopic = outcomesTopic;
    Properties c = new Properties();
    c.putAll(client);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(c);
    List<TopicPartition> all =
        java.util.stream.IntStream.range(0, partitions)
            .mapToObj(p -> new TopicPartition(launchesTopic, p))
            .toList();
    consumer.assign(all);
    consumer.seekToEnd(all);
    all.forEach(consumer::position);
    Properties p = new Properties();
    p.putAll(client);
    // Held until the flush after each poll's launches: a task's start and success leave as one
    // produce request, so the scheduler reads them in one fetch and commits once for both, where
    // a start read alone could be committed by an interval commit the success then waits behind.
    p.put(ProducerConfig.LINGER_MS_CONFIG, "1000");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(p);
    thread = new Thread(this::loop, "noop-executor");
    thread.setDaemon(true);
    thread.start();
  }

  static String key(String runId, String task) {
    return runId + "/" + task;
  }

  /** When the launch of {@code runId/task} arrived (System.nanoTime), or null. */
  Long launchedAt(String runId, String task) {
    return launchedAtNanos.get(key(runId, task));
  }

  /** When the success of {@code runId/task} was sent (System.nanoTime), or null. */
  Long succeededAt(String runId, String task) {
    return succeededAtNanos.get(key(runId, task));
  }

  /**
   * Counts the launches it answers for runs of {@code dag} from now on, forgetting other counts.
   */
  void countLaunchesOf(String dag) {
    answeredByRun.clear();
    countedDag = dag;
  }

  /**
   * How many launches of the counted DAG (see {@link #countLaunchesOf}) it answered for {@code
   * runIds} (every task, and every instance {@code task[i]} of a forEach task), forgetting them.
   */
  int answeredLaunches(List<String> runIds) {
    long n = 0;
    for (String runId : runIds) {
      LongAdder count = answeredByRun.remove(runId);
      n += count == null ? 0 : count.sum();
    }
    return Math.toIntExact(n);
  }

  /**
   * Forgets what it noted, and notes the instants of launches from now on only if {@code record}.
   */
  void forget(boolean record) {
    launchedAtNanos.clear();
    succeededAtNanos.clear();
    recording = record;
  }

  /** Leaves the launches of {@code dag} to other executors (empty: none). */
  void ignore(String dag) {
    ignoredDag = dag;
  }

  private void loop() {
    try {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(100));
        if (!records.isEmpty() && LOG.isDebugEnabled()) {
          LOG.debug("{} task launches", records.count());
        }
        for (ConsumerRecord<String, byte[]> r : records) {
          handle(r);
        }
        if (!records.isEmpty()) {
          producer.flush();
        }
      }
    } catch (WakeupException e) {
      // closing
    }
  }

  private void handle(ConsumerRecord<String, byte[]> r) {
    long now = System.nanoTime();
    RunCommand command;
    try {
      command = MessageCodec.decode(r.value(), RunCommand.class);
    } catch (InvalidMessageException e) {
      LOG.warn("Unreadable task launch at offset {}: {}", r.offset(), e.getMessage());
      return;
    }
    if (!(command instanceof LaunchTask l) || l.dag().equals(ignoredDag)) {
      return;
    }
    String key = key(l.runId(), l.task());
    if (recording) {
      launchedAtNanos.put(key, now);
    }
    Instant at = Instant.now();
    producer.send(
        new ProducerRecord<>(
            outcomesTopic,
            l.dag(),
            MessageCodec.encode(
                new RunEvent.TaskStarted(l.runId(), l.dag(), l.task(), l.attempt(), at))));
    producer.send(
        new ProducerRecord<>(
            outcomesTopic,
            l.dag(),
            MessageCodec.encode(
                new RunEvent.TaskSucceeded(l.runId(), l.dag(), l.task(), l.attempt(), at))));
    if (recording) {
      succeededAtNanos.put(key, System.nanoTime());
    }
    if (l.dag().equals(countedDag)) {
      answeredByRun.computeIfAbsent(l.runId(), id -> new LongAdder()).increment();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close();
    producer.close();
  }
}
