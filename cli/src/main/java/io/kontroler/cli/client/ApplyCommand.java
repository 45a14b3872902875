package io.kontroler.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.cli.ExitCode;
import io.kontroler.cli.Failures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Applies DAGs and DagTasks from files; a rejected file prints every problem. */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = "Apply DAG and DagTask documents (YAML or JSON) to the server.")
public final class ApplyCommand extends ClientCommand {
  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE",
      description = "A file with one or more documents; repeatable.")
  List<Path> files;

  @Override
  protected int run(ApiClient api, PrintWriter out) throws IOException {
    int failed = 0;
    for (Path file : files) {
      try {
        JsonNode result = api.postText("/api/v1/dags", Files.readString(file), "application/yaml");
        if (options.json()) {
          printJson(out, result);
        } else {
          out.println(file + ": applied " + summary(result));
        }
      } catch (ApiClient.ApiError e) {
        if (Failures.describe(e).code() != ExitCode.REJECTED) {
          throw e; // not about this file: the server, the login or the role
        }
        failed++;
        spec.commandLine().getErr().println(file + ": rejected\n" + e.getMessage());
      }
    }
    return failed == 0 ? 0 : ExitCode.REJECTED.code();
  }

  private static String summary(JsonNode result) {
    JsonNode items = result.has("items") ? result.get("items") : result.path("applied");
    if (!items.isArray()) {
      return result.toString();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode i : items) {
      text.append(text.length() == 0 ? "" : ", ")
          .append(i.path("kind").asText(""))
          .append(' ')
          .append(i.path("name").asText(""))
          .append(" v")
          .append(i.path("version").asText("?"));
    }
    return text.toString();
  }
}
