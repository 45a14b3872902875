package io.kontroler.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Shows one resource: {@code get run ID}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Show a run with its tasks: get run ID.")
public final class GetCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "KIND", description = "run")
  String kind;

  @Parameters(index = "1", paramLabel = "ID")
  String id;

  @Override
  protected int run(ApiClient api, PrintWriter out) throws IOException {
    if (!"run".equals(kind)) {
      spec.commandLine().getErr().println("Expected kind 'run', but got '" + kind + "'");
      return 2;
    }
    JsonNode run = api.get("/api/v1/runs/" + ApiClient.encode(id));
    if (options.json()) {
      printJson(out, run);
      return 0;
    }
    out.println("Run:      " + text(run, "id"));
    out.println("DAG:      " + text(run, "dag") + " (version " + text(run, "dagVersion") + ")");
    out.println(
        "Phase:    "
            + text(run, "phase")
            + (text(run, "message") == null ? "" : " - " + text(run, "message")));
    out.println("Started:  " + text(run, "startedAt"));
    out.println("Finished: " + text(run, "finishedAt"));
    out.println();
    Table table = new Table("TASK", "PHASE", "ATTEMPTS", "EXIT", "STARTED", "FINISHED");
    for (JsonNode t : run.path("tasks")) {
      table.row(
          text(t, "name"),
          text(t, "phase"),
          text(t, "attempts"),
          text(t, "exitCode"),
          text(t, "startedAt"),
          text(t, "finishedAt"));
    }
    table.print(out);
    return 0;
  }
}
