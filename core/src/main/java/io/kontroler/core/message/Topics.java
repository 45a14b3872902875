package io.kontroler.core.message;

import java.util.Map;

/** The topic names Kontroler uses; every component reads them from its configuration. */
public record Topics(
    String dags,
    String commands,
    String taskLaunches,
    String taskOutcomes,
    String runEvents,
    String deadLetters) {

  public static final Topics DEFAULT =
      new Topics(
          "kontroler.dags",
          "kontroler.commands",
          "kontroler.task-launches",
          "kontroler.task-outcomes",
          "kontroler.run-events",
          "kontroler.dead-letters");

  /**
   * The topic names in flat configuration: {@code topics.dags}, {@code topics.commands}, {@code
   * topics.task-launches}, {@code topics.task-outcomes}, {@code topics.run-events} and {@code
   * topics.dead-letters}, each defaulting to {@link #DEFAULT}'s.
   */
  public static Topics fromFlat(Map<String, String> c) {
    Topics d = DEFAULT;
    return new Topics(
        c.getOrDefault("topics.dags", d.dags()),
        c.getOrDefault("topics.commands", d.commands()),
        c.getOrDefault("topics.task-launches", d.taskLaunches()),
        c.getOrDefault("topics.task-outcomes", d.taskOutcomes()),
        c.getOrDefault("topics.run-events", d.runEvents()),
        c.getOrDefault("topics.dead-letters", d.deadLetters()));
  }
}
