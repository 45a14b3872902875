package io.kontroler.core.message;

import java.util.Map;

/**
 * The topic names Kontroler uses, and the one size policy of their records; every component reads
 * them from its configuration.
 *
 * @param maxMessageBytes the largest record on any of Kontroler's topics and store changelogs
 *     ({@code max.message.bytes} of the topics, {@code max.request.size} of the producers)
 */
public record Topics(
    String dags,
    String commands,
    String taskLaunches,
    String taskOutcomes,
    String runEvents,
    String deadLetters,
    int maxMessageBytes) {

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

  public Topics {
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

  /**
   * The topic names in flat configuration: {@code topics.dags}, {@code topics.commands}, {@code
   * topics.task-launches}, {@code topics.task-outcomes}, {@code topics.run-events} and {@code
   * topics.dead-letters}, each defaulting to {@link #DEFAULT}'s, and {@value
   * #MAX_MESSAGE_BYTES_KEY} (1 MiB).
   */
  public static Topics fromFlat(Map<String, String> c) {
    Topics d = DEFAULT;
    return new Topics(
        c.getOrDefault("topics.dags", d.dags()),
        c.getOrDefault("topics.commands", d.commands()),
        c.getOrDefault("topics.task-launches", d.taskLaunches()),
        c.getOrDefault("topics.task-outcomes", d.taskOutcomes()),
        c.getOrDefault("topics.run-events", d.runEvents()),
        c.getOrDefault("topics.dead-letters", d.deadLetters()),
        Integer.parseInt(
            c.getOrDefault(MAX_MESSAGE_BYTES_KEY, String.valueOf(d.maxMessageBytes())).trim()));
  }
}
