package io.kontroler.core.message;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.LONG;

import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ConfigValues;
import java.util.function.ToLongFunction;

/**
 * How long each of Kontroler's deleting topics keeps its records ({@code retention.ms}, applied
 * when the topic is created; -1 keeps them forever). {@code dags} is compacted and keeps the latest
 * version of every DAG whatever its age, so it has none.
 *
 * <p>The commands, launches and outcomes are read within seconds; a week covers an outage of their
 * readers. The run history in the api can be rebuilt from {@code run-events} only as far back as
 * that topic keeps, so it keeps as long as the history does ({@code api.history.retention}, 30
 * days); dead letters wait 30 days for someone to look at them.
 */
public record TopicRetention(
    long commandsMs,
    long taskLaunchesMs,
    long taskOutcomesMs,
    long runEventsMs,
    long deadLettersMs) {

  private static final long DAY_MS = 24L * 60 * 60 * 1000;

  public static final TopicRetention DEFAULT =
      new TopicRetention(7 * DAY_MS, 7 * DAY_MS, 7 * DAY_MS, 30 * DAY_MS, 30 * DAY_MS);

  public TopicRetention {
    for (long ms :
        new long[] {commandsMs, taskLaunchesMs, taskOutcomesMs, runEventsMs, deadLettersMs}) {
      if (ms < -1 || ms == 0) {
        throw new IllegalArgumentException(
            "Expected a topic retention of -1 (forever) or a positive number of ms, but got " + ms);
      }
    }
  }

  public static final ConfigKey<TopicRetention, Long> COMMANDS =
      retention(
          "topics.commands.retention.ms",
          DEFAULT.commandsMs(),
          "Run commands (7 days).",
          TopicRetention::commandsMs);
  public static final ConfigKey<TopicRetention, Long> TASK_LAUNCHES =
      retention(
          "topics.task-launches.retention.ms",
          DEFAULT.taskLaunchesMs(),
          "Launches (7 days).",
          TopicRetention::taskLaunchesMs);
  public static final ConfigKey<TopicRetention, Long> TASK_OUTCOMES =
      retention(
          "topics.task-outcomes.retention.ms",
          DEFAULT.taskOutcomesMs(),
          "Acceptances, heartbeats and outcomes (7 days).",
          TopicRetention::taskOutcomesMs);
  public static final ConfigKey<TopicRetention, Long> RUN_EVENTS =
      retention(
          "topics.run-events.retention.ms",
          DEFAULT.runEventsMs(),
          "Run history (30 days): the api's history can be rebuilt from it only this far back, so keep it at least as long as api.history.retention.",
          TopicRetention::runEventsMs);
  public static final ConfigKey<TopicRetention, Long> DEAD_LETTERS =
      retention(
          "topics.dead-letters.retention.ms",
          DEFAULT.deadLettersMs(),
          "Dead letters (30 days).",
          TopicRetention::deadLettersMs);

  /** The retention keys, read with the topic names by every component. */
  public static final ConfigTable<TopicRetention> TABLE =
      ConfigTable.of(COMMANDS, TASK_LAUNCHES, TASK_OUTCOMES, RUN_EVENTS, DEAD_LETTERS);

  /** The retentions in {@code v}, read by a table that includes {@link #TABLE}. */
  public static TopicRetention from(ConfigValues v) {
    return new TopicRetention(
        v.get(COMMANDS),
        v.get(TASK_LAUNCHES),
        v.get(TASK_OUTCOMES),
        v.get(RUN_EVENTS),
        v.get(DEAD_LETTERS));
  }

  /** The {@code retention.ms} of {@code topic} of {@code topics}; null for dags (compacted). */
  public Long of(Topics topics, String topic) {
    if (topic.equals(topics.commands())) {
      return commandsMs;
    } else if (topic.equals(topics.taskLaunches())) {
      return taskLaunchesMs;
    } else if (topic.equals(topics.taskOutcomes())) {
      return taskOutcomesMs;
    } else if (topic.equals(topics.runEvents())) {
      return runEventsMs;
    } else if (topic.equals(topics.deadLetters())) {
      return deadLettersMs;
    }
    return null;
  }

  private static ConfigKey<TopicRetention, Long> retention(
      String key, long defaultMs, String doc, ToLongFunction<TopicRetention> getter) {
    return key(key, LONG.atLeast(-1), String.valueOf(defaultMs))
        .readFrom((TopicRetention r) -> getter.applyAsLong(r))
        .doc(doc + " -1: forever. Applied when the topic is created.");
  }
}
