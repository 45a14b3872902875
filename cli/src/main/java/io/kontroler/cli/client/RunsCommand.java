package io.kontroler.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists runs, newest first. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List runs, newest first.",
    subcommands = RunsPruneCommand.class)
public final class RunsCommand extends ClientCommand {
  @Option(names = "--dag", description = "Only runs of this DAG.")
  String dag;

  @Option(names = "--phase", description = "Only runs in this phase.")
  String phase;

  @Option(names = "--limit", defaultValue = "20", description = "(${DEFAULT-VALUE})")
  int limit;

  @Override
  protected int run(ApiClient api, PrintWriter out) throws IOException {
    StringBuilder query = new StringBuilder("/api/v1/runs?limit=" + limit);
    if (dag != null) {
      query.append("&dag=").append(ApiClient.encode(dag));
    }
    if (phase != null) {
      query.append("&phase=").append(ApiClient.encode(phase));
    }
    JsonNode page = api.get(query.toString());
    if (options.json()) {
      printJson(out, page);
      return 0;
    }
    Table table = new Table("ID", "DAG", "NAME", "PHASE", "STARTED", "FINISHED");
    for (JsonNode r : page.path("items")) {
      table.row(
          text(r, "id"),
          text(r, "dag"),
          text(r, "name"),
          text(r, "phase"),
          text(r, "startedAt"),
          text(r, "finishedAt"));
    }
    table.print(out);
    return 0;
  }
}
