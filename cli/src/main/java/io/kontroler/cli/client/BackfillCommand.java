package io.kontroler.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code backfill DAG --from --to [--max-active N]}: one run of the DAG per cron slot of the range;
 * {@code backfill DAG --list} shows its backfills; {@code backfill cancel ID} stops one.
 */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    subcommands = BackfillCommand.Cancel.class,
    description = {
      "Run a DAG once per cron slot of its schedule from --from to --to (both included, ISO-8601"
          + " instants), oldest first, with {{ run.logicalDate }} set to the slot, at most"
          + " --max-active at once. Slots already run are not run again. Prints the backfill's"
          + " id; --list shows the DAG's backfills instead."
    })
public final class BackfillCommand extends ClientCommand {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DAG",
      description = "name or namespace/name")
  String dag;

  @Option(
      names = "--from",
      paramLabel = "INSTANT",
      description = "First slot, e.g. 2026-10-01T00:00:00Z.")
  String from;

  @Option(names = "--to", paramLabel = "INSTANT", description = "Last slot.")
  String to;

  @Option(
      names = "--max-active",
      paramLabel = "N",
      defaultValue = "1",
      description = "How many of its runs may be active at once (default: ${DEFAULT-VALUE}).")
  int maxActive;

  @Option(names = "--list", description = "List the DAG's backfills with their progress.")
  boolean list;

  @Override
  protected int run(ApiClient api, PrintWriter out) throws IOException {
    if (dag == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Expected a DAG name");
    }
    String path = "/api/v1/dags/" + dagPath(dag);
    if (list) {
      return list(api.get(path + "/backfills"), out);
    }
    if (from == null || to == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Expected --from and --to (or --list)");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", from);
    body.put("to", to);
    body.put("maxActive", maxActive);
    String id = api.post(path + "/backfill", body).path("backfillId").asText();
    out.println(options.json() ? "{\"backfillId\":\"" + id + "\"}" : id);
    return 0;
  }

  private int list(JsonNode answer, PrintWriter out) throws IOException {
    if (options.json()) {
      printJson(out, answer);
      return 0;
    }
    Table table = new Table("ID", "FROM", "TO", "DONE", "RUNNING", "WAITING", "STATE");
    for (JsonNode b : answer.path("items")) {
      table.row(
          text(b, "id"),
          text(b, "from"),
          text(b, "to"),
          b.path("done").asInt() + "/" + b.path("total").asInt(),
          b.path("running").asInt(),
          b.path("waiting").asInt(),
          state(b));
    }
    table.print(out);
    return 0;
  }

  private static String state(JsonNode b) {
    if (text(b, "message") != null) {
      return "refused: " + text(b, "message");
    }
    if (b.path("total").asInt() == 0) {
      return "requested";
    }
    boolean idle = b.path("running").asInt() == 0;
    if (b.path("cancelled").asBoolean()) {
      return idle ? "cancelled" : "cancelling";
    }
    return idle && b.path("waiting").asInt() == 0 ? "finished" : "running";
  }

  /** {@code ns/name} (or {@code name} in the default namespace) as path segments. */
  static String dagPath(String dag) {
    int slash = dag.indexOf('/');
    String ns = slash < 0 ? "default" : dag.substring(0, slash);
    String name = slash < 0 ? dag : dag.substring(slash + 1);
    return ApiClient.encode(ns) + "/" + ApiClient.encode(name);
  }

  /** {@code backfill cancel ID}. */
  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Stop a backfill: no more slots start, its active runs are cancelled.")
  public static final class Cancel extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    protected int run(ApiClient api, PrintWriter out) throws IOException {
      api.post("/api/v1/backfills/" + ApiClient.encode(id) + "/cancel", null);
      out.println("Cancel requested for backfill " + id);
      return 0;
    }
  }
}
