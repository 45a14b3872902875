package io.kontroler.executor;

import io.kontroler.core.dag.PodTemplate;
import io.kontroler.core.run.ContainerSpec;
import io.kontroler.core.run.EnvVar;
import io.kontroler.core.run.RunCommand.LaunchTask;
import java.time.Instant;
import java.util.List;

/** Launch commands for tests. */
public final class Launches {
  private Launches() {}

  public static LaunchTask script(String run, String task, String script, EnvVar... env) {
    return launch(
        run,
        task,
        new ContainerSpec("alpine:3", null, List.of(), script, List.of(env), null, null));
  }

  public static LaunchTask command(String run, String task, String... commandLine) {
    return launch(
        run,
        task,
        new ContainerSpec(
            "alpine:3", List.of(commandLine), List.of(), null, List.of(), null, null));
  }

  public static LaunchTask withDeadline(LaunchTask launch, long seconds) {
    ContainerSpec c = launch.container();
    PodTemplate template = c.podTemplate().withActiveDeadlineSeconds(seconds);
    return launch(
        launch.runId(),
        launch.task(),
        new ContainerSpec(
            c.image(), c.command(), c.args(), c.script(), c.env(), template, c.workspace()));
  }

  /** {@code launch} declaring {@code outputs}. */
  public static LaunchTask withOutputs(LaunchTask launch, String... outputs) {
    ContainerSpec c = launch.container();
    return new LaunchTask(
        launch.runId(),
        launch.dag(),
        launch.dagVersion(),
        launch.task(),
        launch.attempt(),
        new ContainerSpec(
            c.image(),
            c.command(),
            c.args(),
            c.script(),
            c.env(),
            c.podTemplate(),
            c.workspace(),
            List.of(outputs)),
        launch.at());
  }

  /** {@code launch} as attempt {@code attempt}. */
  public static LaunchTask asAttempt(LaunchTask launch, int attempt) {
    return new LaunchTask(
        launch.runId(),
        launch.dag(),
        launch.dagVersion(),
        launch.task(),
        attempt,
        launch.container(),
        launch.at());
  }

  public static LaunchTask launch(String run, String task, ContainerSpec container) {
    return new LaunchTask(
        run, "team-a/etl", 1, task, 1, container, Instant.parse("2026-01-01T00:00:00Z"));
  }
}
