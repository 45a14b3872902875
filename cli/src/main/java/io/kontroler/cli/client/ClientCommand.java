package io.kontroler.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The shape of every client command: call the API, print a table or JSON. A failure (server not
 * reachable, TLS, 401, 403, 404, …) propagates to {@link io.kontroler.cli.Failures}, which says
 * what went wrong in words and picks the exit code.
 */
public abstract class ClientCommand implements Callable<Integer> {
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec protected CommandSpec spec;
  @Mixin protected ClientOptions options;

  protected abstract int run(ApiClient api, PrintWriter out) throws IOException;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    try {
      return run(options.client(), out);
    } finally {
      out.flush();
    }
  }

  protected void printJson(PrintWriter out, JsonNode node) throws IOException {
    out.println(PRETTY.writeValueAsString(node));
  }

  protected static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
