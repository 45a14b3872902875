package io.kontroler.core.message;

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
}
