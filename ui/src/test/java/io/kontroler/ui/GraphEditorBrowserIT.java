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
 * Drawing a DAG in headless Chromium: the editor page's graph, changed with the mouse (select and
 * delete tasks, add tasks in the side form, drag a link from one task to another), written back as
 * YAML, validated with the problem shown on its node, applied, and found through the api.
 */
class GraphEditorBrowserIT {
  private static final Path ARTIFACTS = Path.of("target", "ui-screenshots");

  @RegisterExtension static final Chromium chromium = Chromium.sized(1600, 1000);

  @TempDir static Path data;
  private static ApiHarness api;
  private static ChromeDriver browser;
  private static WebDriverWait wait;
  private static GraphEditorPage editor;

  @BeforeAll
  static void start() throws IOException {
    api = new ApiHarness(data.resolve("server"), Duration.ofMillis(500));
    browser = chromium.driver();
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.ignoring(StaleElementReferenceException.class);
    editor = new GraphEditorPage(browser, wait);
    Files.createDirectories(ARTIFACTS);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @BeforeEach
  void signedOut() {
    browser.get(api.url() + "/api/v1/health/live"); // no script of the UI runs without its cookie
    browser.manage().deleteAllCookies();
  }

  @Test
  void drawsATwoTaskDagSavesItAndTheApiHasIt() throws Exception {
    chromium.expectErrors(
        "the task without an image, a problem under test",
        "/api/v1/dags/validate - Failed to load resource: the server responded with a status of 400");
    signIn();
    browser.get(api.url() + "/editor");
    wait.until(d -> "first second".equals(graph().getAttribute("data-tasks")));

    editor.name("drawn");
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

  @Test
  void drawsADiamondFromAnEmptyCanvasAndRunsItFromTheDagPage() throws Exception {
    chromium.expectErrors(
        "the empty canvas is a DAG without tasks until the first is added",
        "/api/v1/dags/validate - Failed to load resource: the server responded with a status of 400");
    signIn();
    browser.get(api.url() + "/editor");
    wait.until(d -> !editor.tasks().isEmpty());

    editor.name("diamond-drawn");
    editor.startNew();
    for (String task : List.of("a", "b", "c", "d")) {
      editor.addTask(task, "alpine:3.20", "[\"sh\", \"-c\", \"echo " + task + "\"]");
    }
    editor.connect("a", "b");
    editor.connect("a", "c");
    editor.connect("b", "d");
    editor.connect("c", "d");
    wait.until(
        d ->
            d.findElement(By.id("editor-status"))
                .getText()
                .startsWith("Valid: DAG default/diamond-drawn"));
    assertThat(editor.links()).containsExactlyInAnyOrder("a>b", "a>c", "b>d", "c>d");
    screenshot("graph-editor-diamond");
    browser.findElement(By.id("editor-apply")).click();
    WebElement result =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("apply-result")));
    result.findElement(By.linkText("DAG default/diamond-drawn")).click();
    wait.until(d -> "true".equals(d.findElement(By.id("dag-graph")).getAttribute("data-drawn")));
    browser.findElement(By.id("run-button")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("run-submit"))).click();
    wait.until(ExpectedConditions.urlMatches("/runs/[^/?]+$"));
    String runId = browser.getCurrentUrl().replaceAll(".*/runs/", "");
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#run-phase .phase"), "Succeeded"));

    JsonNode run = apiGet("/api/v1/runs/" + runId);
    assertThat(run.path("phase").asText()).isEqualTo("Succeeded");
    List<String> succeeded = new java.util.ArrayList<>();
    run.path("tasks")
        .forEach(
            t -> {
              if (t.path("phase").asText().equals("Succeeded")) {
                succeeded.add(t.path("name").asText());
              }
            });
    assertThat(succeeded).containsExactlyInAnyOrder("a", "b", "c", "d");
    JsonNode spec = apiGet("/api/v1/dags/default/diamond-drawn").path("spec").path("task");
    assertThat(spec.get(3).path("runAfter").toString()).isEqualTo("[\"b\",\"c\"]");
  }

  private static void signIn() {
    browser.get(api.url() + "/login");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("username"))).sendKeys("admin");
    browser.findElement(By.id("password")).sendKeys(ApiHarness.ADMIN_PASSWORD);
    browser.findElement(By.id("login-submit")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("top")));
  }

  // --- steps --------------------------------------------------------------------------------

  private static WebElement graph() {
    return editor.graph();
  }

  private static void addTask(String name, String image, String command) {
    editor.addTask(name, image, command);
  }

  private static void clickNode(String task) {
    editor.clickNode(task);
  }

  private static void drag(String from, String to) {
    editor.drag(from, to);
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
