package io.kontroler.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.auth.TestOidcProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Single sign-on in headless Chromium: the UI's "Sign in with …" button, the provider's own login
 * page (a real OpenID Connect provider at 127.0.0.1, another site than the UI at localhost), the
 * callback, and the user back on the page they asked for with the role their groups map to.
 */
class OidcBrowserIT {
  private static final Path ARTIFACTS = Path.of("target", "ui-screenshots");

  @RegisterExtension static final Chromium chromium = Chromium.sized(1200, 900);

  @TempDir static Path data;
  private static TestOidcProvider provider;
  private static ApiHarness api;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws IOException {
    provider =
        new TestOidcProvider(
            Map.of(
                "erin", List.of("developers"),
                "nobody", List.of("marketing")));
    api = new ApiHarness(data.resolve("server"), Duration.ofMillis(500), provider.apiKeys());
    browser = chromium.driver();
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.ignoring(StaleElementReferenceException.class);
    Files.createDirectories(ARTIFACTS);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (provider != null) {
      provider.close();
    }
  }

  @BeforeEach
  void signedOut() {
    browser.get(api.url() + "/api/v1/health/live"); // no script of the UI runs without its cookie
    browser.manage().deleteAllCookies();
  }

  @Test
  void signsInThroughTheProvidersLoginPageAndLandsWhereItWasGoingAsAnEditor() {
    browser.get(api.url() + "/runs?phase=Failed");
    wait.until(ExpectedConditions.urlContains("/login?next="));
    WebElement button = wait.until(ExpectedConditions.elementToBeClickable(By.id("sso-login")));
    assertThat(button.getText()).isEqualTo("Sign in with Test IdP");
    screenshot("login-sso");
    button.click();

    wait.until(ExpectedConditions.urlContains(provider.issuer() + "/authorize?"));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("provider-username")))
        .sendKeys("erin");
    browser.findElement(By.id("provider-login")).click();

    wait.until(ExpectedConditions.urlToBe(api.url() + "/runs?phase=Failed"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("runs-table")));
    assertThat(browser.findElement(By.id("who-name")).getText()).isEqualTo("erin");
    assertThat(browser.findElement(By.id("who-role")).getText()).isEqualTo("editor");
    assertThat(browser.findElement(By.cssSelector("[data-nav=editor]")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.cssSelector("[data-nav=users]")).isDisplayed()).isFalse();
    assertThat(browser.manage().getCookieNamed("kontroler_session").isHttpOnly()).isTrue();
    assertThat(browser.manage().getCookieNamed("kontroler_oidc")).isNull();
    assertThat(errorsLogged()).isEmpty();
  }

  @Test
  void aUserOfNoListedGroupIsToldSoOnTheLoginPage() {
    browser.get(api.url() + "/login");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("sso-login"))).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("provider-username")))
        .sendKeys("nobody");
    browser.findElement(By.id("provider-login")).click();

    wait.until(ExpectedConditions.urlToBe(api.url() + "/login?sso-error=denied"));
    WebElement error =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#login-errors li")));
    assertThat(error.getText()).contains("none of your groups is allowed");
    assertThat(browser.manage().getCookieNamed("kontroler_session")).isNull();
    assertThat(browser.findElement(By.id("top")).isDisplayed()).isFalse();
  }

  private static List<String> errorsLogged() {
    return chromium.console(Level.WARNING);
  }

  private static void screenshot(String name) {
    try {
      Files.write(ARTIFACTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new IllegalStateException("Expected to save a screenshot, but " + e, e);
    }
  }
}
