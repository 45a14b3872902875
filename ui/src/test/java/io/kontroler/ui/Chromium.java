package io.kontroler.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium from the system packages ({@code chromium}, {@code chromium-driver}); never a
 * downloaded browser. Paths can be changed with {@code -Dkontroler.chromium} and {@code
 * -Dkontroler.chromedriver}.
 *
 * <p>Registered on a test class ({@code @RegisterExtension static final Chromium chromium =
 * Chromium.sized(1400, 1000);}) it is the browser of that class, started before the class's own
 * {@code @BeforeAll} and quit after its {@code @AfterAll}, and it fails every test during which a
 * page logged an error to the console: what Chromium reports at level SEVERE, which is {@code
 * console.error}, an uncaught exception or unhandled rejection, a failed or refused request (a 4xx
 * or 5xx answer, a network error) and a Content-Security-Policy violation. A test whose very
 * subject is such an error says so with {@link #expectErrors}, for itself only.
 */
public final class Chromium
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  public static final String BROWSER =
      System.getProperty("kontroler.chromium", "/usr/bin/chromium");
  static final String DRIVER =
      System.getProperty("kontroler.chromedriver", "/usr/bin/chromedriver");

  /** No DevTools protocol module is used: its version-match warning is noise. */
  private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  private final int width;
  private final int height;
  private final List<LogEntry> logged = new ArrayList<>();
  private final List<Allowed> allowed = new ArrayList<>();
  private Path profile;
  private ChromeDriver driver;

  /** An error a test provokes on purpose, and why. */
  private record Allowed(String why, Predicate<String> matches) {}

  private Chromium(int width, int height) {
    this.width = width;
    this.height = height;
  }

  /** The browser of a test class, with a window of that size. */
  public static Chromium sized(int width, int height) {
    return new Chromium(width, height);
  }

  /** The browser, once the class has started. */
  public ChromeDriver driver() {
    if (driver == null) {
      throw new IllegalStateException(
          "Expected the browser to be started, but it is not: register Chromium with"
              + " @RegisterExtension on a static field");
    }
    return driver;
  }

  /**
   * The messages the pages logged during this test so far, at every level (the check after the test
   * still sees them).
   */
  public synchronized List<String> console() {
    drain();
    return logged.stream().map(LogEntry::getMessage).toList();
  }

  /** The messages at {@code level} or above the pages logged during this test so far. */
  public synchronized List<String> console(Level level) {
    drain();
    return logged.stream()
        .filter(e -> e.getLevel().intValue() >= level.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  /** Forgets what was logged so far in this test (what a test does before the part it checks). */
  public synchronized void forgetConsole() {
    drain();
    logged.clear();
  }

  /**
   * Errors containing {@code fragment} are the behaviour under test (for this test only): they do
   * not fail it.
   */
  public synchronized void expectErrors(String why, String fragment) {
    allowed.add(new Allowed(why, m -> m.contains(fragment)));
  }

  /** The errors logged during this test that no {@link #expectErrors} allows. */
  public synchronized List<String> unexpectedErrors() {
    drain();
    return logged.stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> allowed.stream().noneMatch(a -> a.matches().test(m)))
        .toList();
  }

  private void drain() {
    if (driver != null) {
      logged.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    profile = Files.createTempDirectory("kontroler-chromium-");
    driver = start(profile, width, height);
  }

  @Override
  public synchronized void beforeEach(ExtensionContext context) {
    List<String> between = unexpectedErrors();
    logged.clear();
    allowed.clear();
    if (!between.isEmpty()) {
      throw new AssertionError(
          "Expected no console error before " + context.getDisplayName() + ", but got " + between);
    }
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    List<String> errors = unexpectedErrors();
    logged.clear();
    allowed.clear();
    if (!errors.isEmpty()) {
      throw new AssertionError(
          "Expected no console error in " + context.getDisplayName() + ", but got " + errors);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      driver = null;
      deleteProfile();
    }
  }

  private void deleteProfile() {
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A browser of its own, not checked (the benchmark's); the caller quits it. */
  public static ChromeDriver start(Path profile, int width, int height) throws IOException {
    if (!Files.isExecutable(Path.of(BROWSER)) || !Files.isExecutable(Path.of(DRIVER))) {
      throw new IllegalStateException(
          "Expected Debian's chromium and chromium-driver at "
              + BROWSER
              + " and "
              + DRIVER
              + " (apt-get install -y chromium chromium-driver)");
    }
    System.setProperty("webdriver.chrome.driver", DRIVER);
    DEVTOOLS_LOG.setLevel(Level.SEVERE);
    Files.createDirectories(profile);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER);
    // The console is read by the tests: every message, errors fail them.
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of(DRIVER).toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return driver;
  }
}
