package io.kontroler.core.message;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.INT;
import static io.kontroler.core.config.ValueType.TEXT;

import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ConfigValues;
import java.util.Map;
import java.util.function.Function;

/**
 * The topic names Kontroler uses, and the one size policy of their records; every component reads
 * them from its configuration.
 *
 * @param maxMessageBytes the largest record on any of Kontroler's topics and store changelogs
 *     ({@code max.message.bytes} of the topics, {@code max.request.size} of the producers)
 * @param pools the records of shared pools, keyed by pool name (see {@link PoolMessage})
 */
public record Topics(
    String dags,
    String commands,
    String taskLaunches,
    String taskOutcomes,
    String runEvents,
    String deadLetters,
    int maxMessageBytes,
    TopicRetention retention,
    String pools) {

  /** The flat key of {@link #maxMessageBytes()}. */
  public static final String MAX_MESSAGE_BYTES_KEY = "topics.max.message.bytes";

  /** 1 MiB: Kafka's own default; a DAG of thousands of tasks may need more. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

  /** Below this, a dead letter (which copies up to 64 Ki characters) might not fit. */
  public static final int MIN_MAX_MESSAGE_BYTES = 256 * 1024;

  public static final Topics DEFAULT =
      new Topics(
          "kontroler.dags",
          "kontroler.commands",
          "kontroler.task-launches",
          "kontroler.task-outcomes",
          "kontroler.run-events",
          "kontroler.dead-letters");

  /** {@code topics.pools}'s default. */
  public static final String DEFAULT_POOLS = "kontroler.pools";

  public Topics {
    retention = retention == null ? TopicRetention.DEFAULT : retention;
    pools = pools == null ? DEFAULT_POOLS : pools;
    if (maxMessageBytes < MIN_MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "Expected "
              + MAX_MESSAGE_BYTES_KEY
              + " of at least "
              + MIN_MAX_MESSAGE_BYTES
              + ", but got "
              + maxMessageBytes);
    }
  }

  /** The given names, size policy and retention, with the default pools topic. */
  public Topics(
      String dags,
      String commands,
      String taskLaunches,
      String taskOutcomes,
      String runEvents,
      String deadLetters,
      int maxMessageBytes,
      TopicRetention retention) {
    this(
        dags,
        commands,
        taskLaunches,
        taskOutcomes,
        runEvents,
        deadLetters,
        maxMessageBytes,
        retention,
        DEFAULT_POOLS);
  }

  /** The given names and size policy with the default retention. */
  public Topics(
      String dags,
      String commands,
      String taskLaunches,
      String taskOutcomes,
      String runEvents,
      String deadLetters,
      int maxMessageBytes) {
    this(
        dags,
        commands,
        taskLaunches,
        taskOutcomes,
        runEvents,
        deadLetters,
        maxMessageBytes,
        TopicRetention.DEFAULT);
  }

  /** The given names with the default size policy. */
  public Topics(
      String dags,
      String commands,
      String taskLaunches,
      String taskOutcomes,
      String runEvents,
      String deadLetters) {
    this(
        dags,
        commands,
        taskLaunches,
        taskOutcomes,
        runEvents,
        deadLetters,
        DEFAULT_MAX_MESSAGE_BYTES);
  }

  public static final ConfigKey<Topics, String> DAGS =
      name("topics.dags", DEFAULT.dags(), "DAG versions, compacted.", Topics::dags);
  public static final ConfigKey<Topics, String> COMMANDS =
      name("topics.commands", DEFAULT.commands(), "Run commands.", Topics::commands);
  public static final ConfigKey<Topics, String> TASK_LAUNCHES =
      name(
          "topics.task-launches",
          DEFAULT.taskLaunches(),
          "Launches for the executors.",
          Topics::taskLaunches);
  public static final ConfigKey<Topics, String> TASK_OUTCOMES =
      name(
          "topics.task-outcomes",
          DEFAULT.taskOutcomes(),
          "Executors' acceptances, heartbeats and outcomes.",
          Topics::taskOutcomes);
  public static final ConfigKey<Topics, String> RUN_EVENTS =
      name("topics.run-events", DEFAULT.runEvents(), "Run history.", Topics::runEvents);
  public static final ConfigKey<Topics, String> DEAD_LETTERS =
      name(
          "topics.dead-letters",
          DEFAULT.deadLetters(),
          "Records that could not be read, with why.",
          Topics::deadLetters);
  public static final ConfigKey<Topics, String> POOLS =
      name(
          "topics.pools",
          DEFAULT_POOLS,
          "Shared pools: slot requests, releases and limits, keyed by pool name.",
          Topics::pools);
  public static final ConfigKey<Topics, Integer> MAX_MESSAGE_BYTES =
      key(MAX_MESSAGE_BYTES_KEY, INT, String.valueOf(DEFAULT_MAX_MESSAGE_BYTES))
          .readFrom(Topics::maxMessageBytes)
          .doc(
              "The largest record of every topic and store changelog, at least "
                  + MIN_MAX_MESSAGE_BYTES
                  + ": applied when topics are created, checked on those that exist, and the producers' max.request.size.");

  /** The keys of the topic names and their size policy, read the same by every component. */
  public static final ConfigTable<Topics> TABLE =
      ConfigTable.of(
              DAGS,
              COMMANDS,
              TASK_LAUNCHES,
              TASK_OUTCOMES,
              RUN_EVENTS,
              DEAD_LETTERS,
              POOLS,
              MAX_MESSAGE_BYTES)
          .with(TopicRetention.TABLE, Topics::retention);

  /** The names and size policy in {@code v}, read by a table that includes {@link #TABLE}. */
  public static Topics from(ConfigValues v) {
    return new Topics(
        v.get(DAGS),
        v.get(COMMANDS),
        v.get(TASK_LAUNCHES),
        v.get(TASK_OUTCOMES),
        v.get(RUN_EVENTS),
        v.get(DEAD_LETTERS),
        v.get(MAX_MESSAGE_BYTES),
        TopicRetention.from(v),
        v.get(POOLS));
  }

  /** The names and size policy in flat configuration; absent keys take {@link #DEFAULT}'s. */
  public static Topics fromFlat(Map<String, String> c) {
    return from(TABLE.require(c));
  }

  private static ConfigKey<Topics, String> name(
      String key, String defaultName, String doc, Function<Topics, String> getter) {
    return key(key, TEXT, defaultName).readFrom(getter).doc(doc);
  }
}
