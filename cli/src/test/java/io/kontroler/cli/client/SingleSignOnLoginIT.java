package io.kontroler.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.ApiConfig;
import io.kontroler.api.ApiServer;
import io.kontroler.api.auth.TestOidcProvider;
import io.kontroler.api.kafka.Publisher;
import io.kontroler.cli.Main;
import io.kontroler.logstore.LocalLogStore;
import io.kontroler.ui.Chromium;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code kontroler login --sso} against a real api whose single sign-on is a real OpenID Connect
 * provider: the command prints the address to open, headless Chromium plays the user's browser
 * through the provider's login page, the browser comes back to the command's loopback address, and
 * the token the command saved serves the next command.
 */
class SingleSignOnLoginIT {
  @RegisterExtension static final Chromium chromium = Chromium.sized(1200, 900);

  @TempDir static Path dir;
  private static TestOidcProvider provider;
  private static ApiServer server;
  private static String url;
  private static String home;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() {
    provider =
        new TestOidcProvider(Map.of("erin", List.of("developers"), "nobody", List.of("marketing")));
    Map<String, String> keys = new HashMap<>(provider.apiKeys());
    keys.putAll(
        Map.of(
            "api.data.dir", dir.resolve("api").toString(),
            "api.port", "0",
            "api.host", "127.0.0.1",
            "api.password.iterations", "1000",
            "admin.password", "sso-login-admin"));
    server =
        new ApiServer(
            ApiConfig.fromFlat(keys),
            new ApiServer.Adapters(
                new NoKafka(), new LocalLogStore(dir.resolve("logs")), false, Clock.systemUTC()));
    url = "http://127.0.0.1:" + server.start();
    home = System.getProperty("user.home");
    System.setProperty("user.home", dir.resolve("home").toString()); // where the login is saved
    browser = chromium.driver();
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() {
    System.setProperty("user.home", home);
    if (server != null) {
      server.close();
    }
    if (provider != null) {
      provider.close();
    }
  }

  @BeforeEach
  void noSavedLoginNorBrowserSession() throws IOException {
    Files.deleteIfExists(Credentials.savedFile());
    browser.get("about:blank");
    browser.manage().deleteAllCookies();
  }

  @Test
  void signsInThroughTheProviderInTheBrowserAndTheSavedTokenServesTheNextCommand()
      throws Exception {
    Running login = login();
    signInAtTheProvider(login.address(), "erin");

    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("p"), "Signed in"));
    assertThat(browser.getCurrentUrl()).startsWith("http://127.0.0.1:").contains("/callback?");
    assertThat(login.exit().get(30, TimeUnit.SECONDS)).as(login.err()).isZero();
    assertThat(login.out())
        .contains("Logged in to " + url + " as erin (editor) through single sign-on");
    assertThat(Files.readString(Credentials.savedFile())).contains("token=kt_");

    Result runs = run("runs", "--server", url);
    assertThat(runs.exit()).as(runs.err()).isZero();
    Result unknownRun = run("get", "run", "no-such-run", "--server", url);
    assertThat(unknownRun.exit()).as("authenticated, and the run is unknown").isEqualTo(7);
    assertThat(unknownRun.err()).contains("Not found (404): no run 'no-such-run'");
  }

  @Test
  void aUserTheServerRefusesIsToldWhyAndTheCommandExitsWithFive() throws Exception {
    Running login = login();
    signInAtTheProvider(login.address(), "nobody");

    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.tagName("p"), "Single sign-on failed"));
    assertThat(login.exit().get(30, TimeUnit.SECONDS)).isEqualTo(5);
    assertThat(login.err())
        .contains("Error: Single sign-on failed: you signed in, but none of your groups is allowed")
        .doesNotContain("null");
    assertThat(Files.exists(Credentials.savedFile())).isFalse();
  }

  @Test
  void aLoginAgainstAServerWithoutSingleSignOnSaysSo() throws Exception {
    ApiServer plain =
        new ApiServer(
            ApiConfig.fromFlat(
                Map.of(
                    "api.data.dir", dir.resolve("plain").toString(),
                    "api.port", "0",
                    "api.host", "127.0.0.1",
                    "api.password.iterations", "1000",
                    "admin.password", "plain-admin")),
            new ApiServer.Adapters(
                new NoKafka(),
                new LocalLogStore(dir.resolve("plain-logs")),
                false,
                Clock.systemUTC()));
    try {
      String plainUrl = "http://127.0.0.1:" + plain.start();
      Result result = run("login", "--sso", "--no-browser", "--server", plainUrl);
      assertThat(result.exit()).isEqualTo(5);
      assertThat(result.err())
          .contains("Single sign-on failed: single sign-on is not configured on " + plainUrl);
    } finally {
      plain.close();
    }
  }

  // --- steps --------------------------------------------------------------------------------

  /** {@code kontroler login --sso} running, its output so far. */
  private record Running(
      CompletableFuture<Integer> exit, StringWriter outText, StringWriter errText) {
    String out() {
      return outText.toString();
    }

    String err() {
      return errText.toString();
    }

    /** The address the command asks to open, once printed. */
    String address() {
      wait.until(d -> out().contains("/api/v1/auth/oidc/cli?"));
      return out()
          .lines()
          .map(String::strip)
          .filter(l -> l.startsWith(url + "/api/v1/auth/oidc/cli?"))
          .findFirst()
          .orElseThrow();
    }
  }

  private static Running login() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                Main.run(
                    new PrintWriter(out, true),
                    new PrintWriter(err, true),
                    "login",
                    "--sso",
                    "--no-browser",
                    "--sso-timeout",
                    "PT60S",
                    "--server",
                    url));
    return new Running(exit, out, err);
  }

  /** What a user does in the browser: opens the address, names themself at the provider. */
  private static void signInAtTheProvider(String address, String username) {
    browser.get(address);
    wait.until(ExpectedConditions.urlContains(provider.issuer() + "/authorize?"));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("provider-username")))
        .sendKeys(username);
    browser.findElement(By.id("provider-login")).click();
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** No Kafka: nothing here publishes. */
  private static final class NoKafka implements Publisher {
    @Override
    public void publish(List<Outgoing> records) {
      throw new PublishException("no Kafka in this test", null);
    }
  }
}
