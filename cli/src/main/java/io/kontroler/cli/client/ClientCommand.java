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
 * The shape of every client command: call the API, print a table or JSON; an API error prints the
 * server's message and exits 1.
 */
public abstract class ClientCommand implements Callable<Integer> {
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec protected CommandSpec spec;
  @Mixin protected ClientOptions options;

  protected abstract int run(ApiClient api, PrintWriter out) throws IOException;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      int code = run(options.client(), out);
      out.flush();
      return code;
    } catch (ApiClient.ApiError e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("Error (" + e.status() + "): " + e.getMessage());
      err.flush();
      return 1;
    } catch (IOException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("Error: " + e.getMessage());
      err.flush();
      return 1;
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
