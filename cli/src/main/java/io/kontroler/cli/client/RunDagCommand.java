package io.kontroler.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Starts a run; with {@code --wait}, follows it and exits with its outcome. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Start a run of a DAG. With --wait: exit 0 when it succeeds, 1 otherwise.")
public final class RunDagCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "DAG", description = "name or namespace/name")
  String dag;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "NAME=VALUE",
      description = "Repeatable.")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--name", description = "A name for the run.")
  String name;

  @Option(names = "--wait", description = "Wait for the run to end, showing its progress.")
  boolean await;

  @Override
  protected int run(ApiClient api, PrintWriter out) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("dagName", dag);
    body.put("parameters", params);
    if (name != null) {
      body.put("name", name);
    }
    String id = api.post("/api/v1/runs", body).path("id").asText();
    if (!await) {
      out.println(options.json() ? "{\"id\":\"" + id + "\"}" : id);
      return 0;
    }
    PrintWriter err = spec.commandLine().getErr();
    JsonNode run = api.get("/api/v1/runs/" + ApiClient.encode(id));
    while (!isFinal(text(run, "phase"))) {
      err.print("\r" + progress(id, run));
      err.flush();
      sleep();
      try {
        run = api.get("/api/v1/runs/" + ApiClient.encode(id));
      } catch (ApiClient.ApiError e) {
        if (e.status() != 404) {
          throw e;
        }
      }
    }
    err.println("\r" + progress(id, run));
    if (options.json()) {
      printJson(out, run);
    }
    return "Succeeded".equals(text(run, "phase")) ? 0 : 1;
  }

  static boolean isFinal(String phase) {
    return "Succeeded".equals(phase) || "Failed".equals(phase) || "Cancelled".equals(phase);
  }

  static String progress(String id, JsonNode run) {
    JsonNode c = run.path("counts");
    int total = 0;
    for (JsonNode v : c) {
      total += v.asInt();
    }
    return String.format(
        "run %s: %-9s %d/%d succeeded, %d running, %d failed, %d skipped",
        id,
        text(run, "phase") == null ? "Pending" : text(run, "phase"),
        c.path("succeeded").asInt(),
        total,
        c.path("running").asInt() + c.path("queued").asInt(),
        c.path("failed").asInt(),
        c.path("skipped").asInt());
  }

  private static void sleep() throws IOException {
    try {
      TimeUnit.MILLISECONDS.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
