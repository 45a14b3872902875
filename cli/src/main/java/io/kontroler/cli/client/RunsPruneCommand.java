package io.kontroler.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runs prune --before DATE}: deletes old finished runs and their logs now (admins). */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description =
        "Delete the finished runs that ended before a date, with their attempts, webhook"
            + " deliveries and logs (admin). Runs not finished stay.")
public final class RunsPruneCommand extends ClientCommand {
  @Option(
      names = "--before",
      required = true,
      paramLabel = "DATE",
      description = "A date (2026-01-31, its start in UTC) or an instant (2026-01-31T12:00:00Z).")
  String before;

  @Override
  protected int run(ApiClient api, PrintWriter out) throws IOException {
    JsonNode answer = api.post("/api/v1/admin/prune", Map.of("before", before));
    if (options.json()) {
      printJson(out, answer);
      return 0;
    }
    out.println(
        "Deleted "
            + answer.path("deleted").asInt()
            + " runs that finished before "
            + answer.path("before").asText());
    return 0;
  }
}
