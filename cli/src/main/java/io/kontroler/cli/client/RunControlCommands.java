package io.kontroler.cli.client;

import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cancel RUN}, {@code retry RUN} and {@code rerun RUN TASK}. */
public final class RunControlCommands {
  private RunControlCommands() {}

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a run: running tasks are stopped.")
  public static final class Cancel extends ClientCommand {
    @Parameters(index = "0", paramLabel = "RUN")
    String run;

    @Override
    protected int run(ApiClient api, PrintWriter out) throws IOException {
      api.post("/api/v1/runs/" + ApiClient.encode(run) + "/cancel", null);
      out.println("Cancel requested for run " + run);
      return 0;
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Retry the failed, skipped and cancelled tasks of a finished run.")
  public static final class Retry extends ClientCommand {
    @Parameters(index = "0", paramLabel = "RUN")
    String run;

    @Override
    protected int run(ApiClient api, PrintWriter out) throws IOException {
      api.post("/api/v1/runs/" + ApiClient.encode(run) + "/retry", null);
      out.println("Retry requested for run " + run);
      return 0;
    }
  }

  @Command(
      name = "rerun",
      mixinStandardHelpOptions = true,
      description =
          "Run a task and every task downstream of it again, with fresh attempts, in a running"
              + " or finished run.")
  public static final class Rerun extends ClientCommand {
    @Parameters(index = "0", paramLabel = "RUN")
    String run;

    @Parameters(index = "1", paramLabel = "TASK")
    String task;

    @Override
    protected int run(ApiClient api, PrintWriter out) throws IOException {
      api.post(
          "/api/v1/runs/" + ApiClient.encode(run) + "/tasks/" + ApiClient.encode(task) + "/rerun",
          null);
      out.println("Re-run of task " + task + " and its downstream requested for run " + run);
      return 0;
    }
  }
}
