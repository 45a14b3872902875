package io.kontroler.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.core.dag.Document;
import io.kontroler.core.dag.RunParameter;
import io.kontroler.core.parse.DocumentParser;
import io.kontroler.core.parse.ParsedDocument;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Starts a run of a DAG named on the command line, or as a DagRun document describes it; with
 * {@code --wait}, follows it and exits with its outcome.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Start a run of a DAG, named here or by a DagRun document (-f: its dagName, parameters and"
          + " name; --param adds to them). With --wait: exit 0 when it succeeds, 1 otherwise."
    })
public final class RunDagCommand extends ClientCommand {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DAG",
      description = "name or namespace/name")
  String dag;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "A DagRun document (YAML or JSON) to start.")
  Path file;

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
    Map<String, Object> body = file != null ? fromDagRun(file) : new LinkedHashMap<>();
    if (file == null) {
      if (dag == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "Expected a DAG name or -f with a DagRun document");
      }
      body.put("dagName", dag);
      body.put("parameters", new LinkedHashMap<String, Object>());
    } else if (dag != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Expected a DAG name or -f, not both");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> parameters = (Map<String, Object>) body.get("parameters");
    parameters.putAll(params);
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

  /** The run request a DagRun document stands for; an invalid document lists every problem. */
  static Map<String, Object> fromDagRun(Path file) throws IOException {
    List<ParsedDocument> docs = DocumentParser.parse(Files.readString(file));
    if (docs.size() != 1) {
      throw new IOException(file + ": expected one DagRun document, but got " + docs.size());
    }
    ParsedDocument doc = docs.get(0);
    if (!doc.ok() || !(doc.document() instanceof Document.DagRun run)) {
      StringBuilder why = new StringBuilder(file + ": expected a valid DagRun");
      doc.problems().forEach(p -> why.append("\n  ").append(p));
      if (doc.ok()) {
        why.append(", but got a ").append(doc.document().kind());
      }
      throw new IOException(why.toString());
    }
    String namespace = run.metadata().namespace();
    String dagName = run.spec().dagName();
    Map<String, Object> parameters = new LinkedHashMap<>();
    for (RunParameter p : run.spec().parameters()) {
      parameters.put(
          p.name(), p.fromSecret() != null ? Map.of("fromSecret", p.fromSecret()) : p.value());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("dagName", dagName.contains("/") ? dagName : namespace + "/" + dagName);
    body.put("parameters", parameters);
    body.put("name", run.metadata().name());
    return body;
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
