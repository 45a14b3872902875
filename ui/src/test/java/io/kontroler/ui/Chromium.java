package io.kontroler.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium from the system packages ({@code chromium}, {@code chromium-driver}); never a
 * downloaded browser. Paths can be changed with {@code -Dkontroler.chromium} and {@code
 * -Dkontroler.chromedriver}.
 */
public final class Chromium {
  public static final String BROWSER =
      System.getProperty("kontroler.chromium", "/usr/bin/chromium");
  static final String DRIVER =
      System.getProperty("kontroler.chromedriver", "/usr/bin/chromedriver");

  /** No DevTools protocol module is used: its version-match warning is noise. */
  private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  private Chromium() {}

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
    // The console is read by the tests: a Content-Security-Policy violation is an error there.
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
