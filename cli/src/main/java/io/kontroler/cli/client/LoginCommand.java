package io.kontroler.cli.client;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Logs in and saves the server URL and token for the other client commands: with a user name and
 * password, or through the server's single sign-on in a browser ({@code --sso}).
 */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = {
      "Log in to a Kontroler server and save the token (~/.config/kontroler/login).",
      "With --sso: sign in through the server's identity provider in a browser; the browser comes"
          + " back to this command on http://127.0.0.1 at a free port. A refused sign-in exits"
          + " with 5."
    })
public final class LoginCommand extends ClientCommand {
  @Option(
      names = {"-u", "--username"},
      defaultValue = "admin",
      description = "(${DEFAULT-VALUE})")
  String username;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean passwordStdin;

  @Option(
      names = "--sso",
      description = "Single sign-on: sign in through the server's identity provider in a browser.")
  boolean sso;

  @Option(
      names = "--no-browser",
      description = "With --sso: only print the address to open, do not start a browser.")
  boolean noBrowser;

  @Option(
      names = "--sso-timeout",
      defaultValue = "PT5M",
      description = "With --sso: how long to wait for the browser (${DEFAULT-VALUE}).")
  Duration ssoTimeout;

  @Override
  protected int run(ApiClient ignored, PrintWriter out) throws IOException {
    Credentials where = Credentials.resolve(options.url, null);
    if (sso) {
      SingleSignOn.Signed signed =
          new SingleSignOn(URI.create(where.url()), ssoTimeout)
              .signIn(out, noBrowser ? uri -> {} : Browser::open);
      new Credentials(where.url(), signed.token()).save();
      out.println(
          "Logged in to "
              + where.url()
              + " as "
              + signed.username()
              + " ("
              + signed.role()
              + ") through single sign-on");
      return 0;
    }
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
