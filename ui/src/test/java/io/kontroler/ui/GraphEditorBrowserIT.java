package io.kontroler.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Drawing a DAG in headless Chromium: the editor page's graph, changed with the mouse (select and
 * delete tasks, add tasks in the side form, drag a link from one task to another), written back as
 * YAML, validated with the problem shown on its node, applied, and found through the api.
 */
class GraphEditorBrowserIT {
  private static final Path ARTIFACTS = Path.of("target", "ui-screenshots");

  @TempDir static Path data;
  private static ApiHarness api;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws IOException {
    api = new ApiHarness(data.resolve("server"), Duration.ofMillis(500));
    browser = Chromium.start(data.resolve("profile"), 1600, 1000);
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.ignoring(StaleElementReferenceException.class);
    Files.createDirectories(ARTIFACTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (api != null) {
      api.close();
    }
  }

  @Test
  void drawsATwoTaskDagSavesItAndTheApiHasIt() throws Exception {
    browser.get(api.url() + "/login");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("username"))).sendKeys("admin");
    browser.findElement(By.id("password")).sendKeys(ApiHarness.ADMIN_PASSWORD);
    browser.findElement(By.id("login-submit")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("top")));
    browser.get(api.url() + "/editor");
    wait.until(d -> "first second".equals(graph().getAttribute("data-tasks")));

    WebElement name = browser.findElement(By.id("graph-dag-name"));
    name.clear();
    name.sendKeys("drawn", Keys.TAB);
    for (String task : List.of("first", "second")) {
      clickNode(task);
      browser.findElement(By.id("graph-delete")).click();
      wait.until(d -> !List.of(graph().getAttribute("data-tasks").split(" ")).contains(task));
    }

    addTask("extract", "alpine:3.20", "[\"sh\", \"-c\", \"echo extract\"]");
    addTask("load", "", "[\"sh\", \"-c\", \"echo load\"]");
    wait.until(d -> "extract load".equals(graph().getAttribute("data-tasks")));
    wait.until(d -> "1".equals(graph().getAttribute("data-faults")));
    assertThat(browser.findElement(By.id("editor-problems")).getText()).contains("spec.task[1]");
    screenshot("graph-editor-problem");

    clickNode("load");
    WebElement image =
        wait.until(ExpectedConditions.elementToBeClickable(By.id("graph-task-image")));
    image.sendKeys("alpine:3.20");
    browser.findElement(By.id("graph-task-save")).click();
    wait.until(d -> "".equals(graph().getAttribute("data-faults")));

    browser.findElement(By.id("graph-connect")).click();
    drag("extract", "load");
    wait.until(d -> "extract>load".equals(graph().getAttribute("data-links")));
    String yaml = browser.findElement(By.id("editor-text")).getAttribute("value");
    assertThat(yaml).contains("name: drawn").contains("runAfter:").contains("- extract");
    wait.until(
        d ->
            d.findElement(By.id("editor-status")).getText().startsWith("Valid: DAG default/drawn"));
    screenshot("graph-editor");

    browser.findElement(By.id("editor-apply")).click();
    WebElement result =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("apply-result")));
    assertThat(result.getText()).contains("DAG default/drawn v1");

    JsonNode dag = apiGet("/api/v1/dags/default/drawn");
    JsonNode tasks = dag.get("spec").get("task");
    assertThat(tasks).hasSize(2);
    assertThat(tasks.get(0).get("name").asText()).isEqualTo("extract");
    assertThat(tasks.get(0).get("image").asText()).isEqualTo("alpine:3.20");
    assertThat(tasks.get(0).get("command").toString())
        .isEqualTo("[\"sh\",\"-c\",\"echo extract\"]");
    assertThat(tasks.get(1).get("name").asText()).isEqualTo("load");
    assertThat(tasks.get(1).get("runAfter").toString()).isEqualTo("[\"extract\"]");
  }

  // --- steps --------------------------------------------------------------------------------

  private static WebElement graph() {
    return browser.findElement(By.id("graph-editor"));
  }

  private static void addTask(String name, String image, String command) {
    browser.findElement(By.id("graph-add")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("graph-task-name"))).sendKeys(name);
    browser.findElement(By.id("graph-task-image")).sendKeys(image);
    browser.findElement(By.id("graph-task-command")).sendKeys(command);
    browser.findElement(By.id("graph-task-save")).click();
    wait.until(d -> List.of(graph().getAttribute("data-tasks").split(" ")).contains(name));
  }

  /** Where a task's node is, from the graph element's centre (as Selenium offsets are). */
  private static int[] offsetOf(String task) {
    @SuppressWarnings("unchecked")
    List<Number> at =
        (List<Number>)
            browser.executeScript(
                "const n = document.getElementById('graph-editor').kontrolerEditor.network;"
                    + " const p = n.canvasToDOM(n.getPosition(arguments[0])); return [p.x, p.y];",
                task);
    Dimension size = graph().getSize();
    return new int[] {
      (int) Math.round(at.get(0).doubleValue() - size.getWidth() / 2.0),
      (int) Math.round(at.get(1).doubleValue() - size.getHeight() / 2.0)
    };
  }

  private static void clickNode(String task) {
    int[] at = offsetOf(task);
    new Actions(browser).moveToElement(graph(), at[0], at[1]).click().perform();
  }

  private static void drag(String from, String to) {
    int[] a = offsetOf(from);
    int[] b = offsetOf(to);
    int dx = b[0] - a[0];
    int dy = b[1] - a[1];
    new Actions(browser)
        .moveToElement(graph(), a[0], a[1])
        .clickAndHold()
        .moveByOffset(dx / 4, dy / 4)
        .moveByOffset(dx / 4, dy / 4)
        .moveByOffset(dx / 4, dy / 4)
        .moveByOffset(dx - 3 * (dx / 4), dy - 3 * (dy / 4))
        .release()
        .perform();
  }

  private static JsonNode apiGet(String path) throws Exception {
    String cookie = browser.manage().getCookieNamed("kontroler_session").getValue();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(api.url() + path))
                    .header("Authorization", "Bearer " + cookie)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  private static void screenshot(String name) {
    try {
      Files.write(ARTIFACTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new IllegalStateException("Expected to save a screenshot, but " + e, e);
    }
  }
}
