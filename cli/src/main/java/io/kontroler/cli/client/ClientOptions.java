package io.kontroler.cli.client;

import java.io.IOException;
import java.net.URI;
import picocli.CommandLine.Option;

/** Options of every client command: the server, the token and the output format. */
public final class ClientOptions {
  @Option(
      names = {"--url", "--server"},
      description = "Server URL (KONTROLER_URL, saved login, " + Credentials.DEFAULT_URL + ").")
  String url;

  @Option(names = "--token", description = "API token (KONTROLER_TOKEN, saved login).")
  String token;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "Output: table or json (${DEFAULT-VALUE}).")
  String output;

  public boolean json() {
    return "json".equals(output);
  }

  public ApiClient client() throws IOException {
    Credentials c = Credentials.resolve(url, token);
    return new ApiClient(URI.create(c.url()), c.token());
  }
}
