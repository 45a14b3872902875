package io.kontroler.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints a task's log: the latest attempt unless one is named; {@code --follow} streams it. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = "Print the log of a task's attempt (the latest by default).")
public final class LogsCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "RUN")
  String run;

  @Parameters(index = "1", paramLabel = "TASK")
  String task;

  @Option(names = "--attempt", description = "Attempt number (default: the latest).")
  Integer attempt;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing while the task runs.")
  boolean follow;

  @Override
  protected int run(ApiClient api, PrintWriter out) throws IOException {
    String base = "/api/v1/runs/" + ApiClient.encode(run) + "/tasks/" + ApiClient.encode(task);
    int n = attempt != null ? attempt : latestAttempt(api, base);
    String path = base + "/attempts/" + n + "/log" + (follow ? "/follow" : "");
    out.flush();
    OutputStream raw = System.out;
    try (InputStream in = api.stream(path)) {
      byte[] buffer = new byte[8192];
      for (int read; (read = in.read(buffer)) >= 0; ) {
        raw.write(buffer, 0, read);
        raw.flush();
      }
    }
    return 0;
  }

  private static int latestAttempt(ApiClient api, String base) throws IOException {
    JsonNode attempts = api.get(base + "/attempts");
    JsonNode items = attempts.has("items") ? attempts.get("items") : attempts;
    int latest = 1;
    for (JsonNode a : items) {
      latest = Math.max(latest, a.path("attempt").asInt(1));
    }
    return latest;
  }
}
