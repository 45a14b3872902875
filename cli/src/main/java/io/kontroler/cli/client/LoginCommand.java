package io.kontroler.cli.client;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Logs in and saves the server URL and token for the other client commands. */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = "Log in to a Kontroler server and save the token (~/.config/kontroler/login).")
public final class LoginCommand extends ClientCommand {
  @Option(
      names = {"-u", "--username"},
      defaultValue = "admin",
      description = "(${DEFAULT-VALUE})")
  String username;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean passwordStdin;

  @Override
  protected int run(ApiClient ignored, PrintWriter out) throws IOException {
    Credentials where = Credentials.resolve(options.url, null);
    String password = password();
    ApiClient anonymous = new ApiClient(URI.create(where.url()), null);
    var answer =
        anonymous.post("/api/v1/auth/login", Map.of("username", username, "password", password));
    new Credentials(where.url(), answer.path("token").asText()).save();
    out.println("Logged in to " + where.url() + " as " + username);
    return 0;
  }

  private String password() throws IOException {
    if (!passwordStdin) {
      Console console = System.console();
      if (console != null) {
        char[] typed = console.readPassword("Password for %s: ", username);
        return typed == null ? "" : new String(typed);
      }
    }
    var reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = reader.readLine();
    return line == null ? "" : line.strip();
  }
}
