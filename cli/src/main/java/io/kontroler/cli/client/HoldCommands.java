package io.kontroler.cli.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pause RUN}, {@code resume RUN}, {@code approve RUN TASK} and {@code reject RUN TASK}. */
public final class HoldCommands {
  private HoldCommands() {}

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Pause a run: no new task starts until it is resumed; running tasks finish.")
  public static final class Pause extends ClientCommand {
    @Parameters(index = "0", paramLabel = "RUN")
    String run;

    @Override
    protected int run(ApiClient api, PrintWriter out) throws IOException {
      api.post("/api/v1/runs/" + ApiClient.encode(run) + "/pause", null);
      out.println("Pause requested for run " + run);
      return 0;
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resume a paused run: the tasks that became ready start.")
  public static final class Resume extends ClientCommand {
    @Parameters(index = "0", paramLabel = "RUN")
    String run;

    @Override
    protected int run(ApiClient api, PrintWriter out) throws IOException {
      api.post("/api/v1/runs/" + ApiClient.encode(run) + "/resume", null);
      out.println("Resume requested for run " + run);
      return 0;
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = "Approve a waiting approval task: it succeeds and the run goes on.")
  public static final class Approve extends ClientCommand {
    @Parameters(index = "0", paramLabel = "RUN")
    String run;

    @Parameters(index = "1", paramLabel = "TASK")
    String task;

    @Option(names = "--comment", description = "Why, kept in the run's history.")
    String comment;

    @Override
    protected int run(ApiClient api, PrintWriter out) throws IOException {
      decide(api, run, task, "approve", comment);
      out.println("Approved task " + task + " of run " + run);
      return 0;
    }
  }

  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description = "Reject a waiting approval task: it fails with the comment.")
  public static final class Reject extends ClientCommand {
    @Parameters(index = "0", paramLabel = "RUN")
    String run;

    @Parameters(index = "1", paramLabel = "TASK")
    String task;

    @Option(names = "--comment", description = "Why, kept in the run's history.")
    String comment;

    @Override
    protected int run(ApiClient api, PrintWriter out) throws IOException {
      decide(api, run, task, "reject", comment);
      out.println("Rejected task " + task + " of run " + run);
      return 0;
    }
  }

  private static void decide(ApiClient api, String run, String task, String verb, String comment)
      throws IOException {
    api.post(
        "/api/v1/runs/" + ApiClient.encode(run) + "/tasks/" + ApiClient.encode(task) + "/" + verb,
        comment == null ? Map.of() : Map.of("comment", comment));
  }
}
