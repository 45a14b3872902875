package io.kontroler.cli.bench;

import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the scheduler's stream thread received each task's success and when it handed each launch to
 * its producer (System.nanoTime), noted by {@link SchedulerConsumerProbe} and {@link
 * SchedulerProducerProbe} while {@link #arm armed}. Kafka creates interceptors from class names, so
 * they reach the bench through this one shared clock; it notes nothing unless armed, so it costs
 * the scheduler nothing outside the chain workload.
 */
final class HopClock {
  private static final byte[] SUCCEEDED =
      "{\"type\":\"TaskSucceeded\"".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LAUNCH = "{\"type\":\"LaunchTask\"".getBytes(StandardCharsets.UTF_8);

  private static volatile boolean armed;
  private static volatile String outcomesTopic = "";
  private static volatile String launchesTopic = "";
  private static final Map<String, Long> successReceived = new ConcurrentHashMap<>();
  private static final Map<String, Long> launchSent = new ConcurrentHashMap<>();

  private HopClock() {}

  /** Starts noting, afresh, outcomes read from and launches written to these topics. */
  static void arm(String outcomes, String launches) {
    successReceived.clear();
    launchSent.clear();
    outcomesTopic = outcomes;
    launchesTopic = launches;
    armed = true;
  }

  static void disarm() {
    armed = false;
  }

  static boolean armed() {
    return armed;
  }

  /** The scheduler's consumer returned {@code value} of {@code topic} at {@code nanos}. */
  static void received(String topic, byte[] value, long nanos) {
    if (armed && topic.equals(outcomesTopic) && startsWith(value, SUCCEEDED)) {
      try {
        RunEvent.TaskSucceeded s = MessageCodec.decode(value, RunEvent.TaskSucceeded.class);
        successReceived.putIfAbsent(NoopExecutor.key(s.runId(), s.task()), nanos);
      } catch (InvalidMessageException e) {
        // not ours to judge: the scheduler reports unreadable records itself
      }
    }
  }

  /** The scheduler's producer was handed {@code value} for {@code topic} at {@code nanos}. */
  static void sent(String topic, byte[] value, long nanos) {
    if (armed && topic.equals(launchesTopic) && startsWith(value, LAUNCH)) {
      try {
        if (MessageCodec.decode(value, RunCommand.class) instanceof RunCommand.LaunchTask l) {
          launchSent.putIfAbsent(NoopExecutor.key(l.runId(), l.task()), nanos);
        }
      } catch (InvalidMessageException e) {
        // as above
      }
    }
  }

  /** When the scheduler received the success of {@code runId/task}, or null. */
  static Long successReceived(String runId, String task) {
    return successReceived.get(NoopExecutor.key(runId, task));
  }

  /** When the scheduler handed the launch of {@code runId/task} to its producer, or null. */
  static Long launchSent(String runId, String task) {
    return launchSent.get(NoopExecutor.key(runId, task));
  }

  static boolean startsWith(byte[] value, byte[] prefix) {
    if (value == null || value.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (value[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
