package io.kontroler.cli.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.cli.standalone.Standalone;
import io.kontroler.cli.standalone.StandaloneOptions;
import io.kontroler.ui.Chromium;
import io.kontroler.ui.GraphEditorPage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole product ({@code kontroler standalone}: broker, scheduler, executor with the process
 * backend, api and UI) driven through the UI in headless Chromium: log in, apply a DAG in the
 * editor, start a run and watch its graph turn green live, read a task's log, cancel a run.
 * Screenshots of the DAG page and the run page are saved in {@code target/ui-screenshots/}.
 */
class StandaloneUiIT {
  private static final Path ARTIFACTS = Path.of("target", "ui-screenshots");
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
  private static final String ADMIN_PASSWORD = "admin-password-for-browser-tests";

  @RegisterExtension static final Chromium chromium = Chromium.sized(1400, 1000);

  @TempDir static Path data;
  private static Standalone standalone;
  private static String base;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws IOException {
    standalone =
        Standalone.start(
            new StandaloneOptions(
                0, data.resolve("kontroler"), 1, Map.of("admin.password", ADMIN_PASSWORD)));
    base = standalone.url();
    browser = chromium.driver();
    wait = waitUpTo(Duration.ofSeconds(30));
    Files.createDirectories(ARTIFACTS);
  }

  @AfterAll
  static void stop() {
    if (standalone != null) {
      standalone.close();
    }
  }

  @BeforeEach
  void signedOut() {
    browser.get(base + "/api/v1/health/live"); // no script of the UI runs without its cookie
    browser.manage().deleteAllCookies();
  }

  @Test
  void deepLinkGoesThroughLoginAndBack() {
    browser.get(base + "/runs?phase=Succeeded");

    wait.until(ExpectedConditions.urlContains("/login?next="));
    logIn("admin", ADMIN_PASSWORD);

    wait.until(ExpectedConditions.urlToBe(base + "/runs?phase=Succeeded"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("runs-table")));
  }

  @Test
  void editorShowsAProblemOnItsLineThenAppliesTheDag() {
    chromium.expectErrors(
        "the problem under test",
        "/api/v1/dags/validate - Failed to load resource: the server responded with a status of 400");
    signIn();
    browser.get(base + "/editor");
    WebElement area = wait.until(ExpectedConditions.elementToBeClickable(By.id("editor-text")));

    type(
        area,
        dagYaml("edited", task("first", "echo first") + task("second", "echo second", "nowhere")));

    WebElement marked =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".backdrop .error-line")));
    assertThat(marked.getAttribute("data-line")).isEqualTo("16");
    assertThat(marked.getText()).contains("nowhere");
    assertThat(browser.findElement(By.id("editor-problems")).getText())
        .contains("Line 16")
        .contains("spec.task[1].runAfter");
    screenshot("standalone-editor-error");

    type(
        area,
        dagYaml("edited", task("first", "echo first") + task("second", "echo second", "first")));
    wait.until(d -> editorStatus().startsWith("Valid"));
    assertThat(browser.findElements(By.cssSelector(".backdrop .error-line"))).isEmpty();
    browser.findElement(By.id("editor-apply")).click();

    WebElement result =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("apply-result")));
    assertThat(result.getText()).contains("DAG default/edited v1");
    result.findElement(By.linkText("DAG default/edited")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/dags/edited"));
    waitForGraph("dag-graph");
  }

  @Test
  void runTurnsGreenLiveAndShowsTheTaskLog() {
    signIn();
    applyInEditor(
        dagYaml(
            "diamond",
            task("start", "echo starting $greeting; sleep 1")
                + "      parameters: [greeting]\n"
                + task("left", "echo left side; sleep 1", "start")
                + task("right", "echo right side; sleep 1", "start")
                + task("join", "echo joined", "left", "right")));
    browser.get(base + "/dags/diamond?task=right");
    waitForGraph("dag-graph");
    screenshot("dag-page");

    browser.findElement(By.id("run-button")).click();
    WebElement greeting =
        wait.until(ExpectedConditions.elementToBeClickable(By.id("param-greeting")));
    assertThat(greeting.getAttribute("value")).isEqualTo("hello");
    greeting.clear();
    greeting.sendKeys("from the browser");
    browser.findElement(By.id("run-submit")).click();

    wait.until(ExpectedConditions.urlMatches("/runs/[^/?]+$"));
    waitForGraph("run-graph");
    js("window.kontrolerNoReload = 'same page';");
    waitUpTo(RUN_TIMEOUT).until(d -> "Succeeded:4".equals(attribute("run-graph", "data-phases")));
    assertThat(js("return window.kontrolerNoReload")).isEqualTo("same page");
    assertThat(Integer.parseInt(attribute("run-graph", "data-live-events")))
        .as("task changes received over the event stream")
        .isPositive();
    assertThat(js("return document.getElementById('run-graph').kontrolerGraph.colorOf('join')"))
        .isEqualTo("#86efac");
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#run-phase .phase"), "Succeeded"));

    browser.findElement(By.xpath("//tr[@data-task='start']//button")).click();
    WebElement log =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#task-log[data-state=stored]")));
    wait.until(d -> log.getText().contains("starting from the browser"));
    assertThat(browser.findElement(By.cssSelector("#task-attempts tr[data-attempt='1']")).getText())
        .contains("Succeeded");
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1600));
    screenshot("run-page");
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
  }

  @Test
  void followsARunningTaskLogAndCancelsTheRun() {
    signIn();
    applyInEditor(
        dagYaml(
            "long",
            task("quick", "echo quick")
                + task("slow", "echo slow begins; sleep 120; echo never printed", "quick")));
    browser.get(base + "/dags/long");
    waitForGraph("dag-graph");
    browser.findElement(By.id("run-button")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("run-submit"))).click();
    wait.until(ExpectedConditions.urlMatches("/runs/[^/?]+$"));

    waitUpTo(RUN_TIMEOUT).until(d -> "Running".equals(rowPhase("slow")));
    browser.findElement(By.xpath("//tr[@data-task='slow']//button")).click();
    WebElement log =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#task-log[data-state=following]")));
    wait.until(d -> log.getText().contains("slow begins"));

    browser.findElement(By.id("cancel-run")).click();
    browser.switchTo().alert().accept();

    waitUpTo(RUN_TIMEOUT)
        .until(ExpectedConditions.textToBe(By.cssSelector("#run-phase .phase"), "Cancelled"));
    wait.until(d -> "Cancelled".equals(rowPhase("slow")));
    assertThat(log.getText()).doesNotContain("never printed");
    assertThat(browser.findElements(By.id("cancel-run"))).isEmpty();
  }

  @Test
  void drawsADiamondInTheGraphEditorRunsItAndEachTaskStartsAfterItsUpstreamFinished()
      throws Exception {
    chromium.expectErrors(
        "the empty canvas is a DAG without tasks until the first is added",
        "/api/v1/dags/validate - Failed to load resource: the server responded with a status of 400");
    signIn();
    browser.get(base + "/editor");
    GraphEditorPage editor = new GraphEditorPage(browser, wait);
    wait.until(d -> !editor.tasks().isEmpty());

    editor.name("drawn-diamond");
    editor.startNew();
    for (String task : List.of("a", "b", "c", "d")) {
      editor.addTask(task, "alpine:3.20", "[\"sh\", \"-c\", \"echo " + task + "; sleep 1\"]");
    }
    editor.connect("a", "b");
    editor.connect("a", "c");
    editor.connect("b", "d");
    editor.connect("c", "d");
    wait.until(d -> editorStatus().startsWith("Valid: DAG default/drawn-diamond"));
    assertThat(editor.links()).containsExactlyInAnyOrder("a>b", "a>c", "b>d", "c>d");
    screenshot("standalone-graph-editor-diamond");
    browser.findElement(By.id("editor-apply")).click();
    WebElement result =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("apply-result")));
    assertThat(result.getText()).contains("DAG default/drawn-diamond v1");

    result.findElement(By.linkText("DAG default/drawn-diamond")).click();
    waitForGraph("dag-graph");
    browser.findElement(By.id("run-button")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("run-submit"))).click();
    wait.until(ExpectedConditions.urlMatches("/runs/[^/?]+$"));
    String runId = browser.getCurrentUrl().replaceAll(".*/runs/", "");
    waitUpTo(RUN_TIMEOUT)
        .until(ExpectedConditions.textToBe(By.cssSelector("#run-phase .phase"), "Succeeded"));

    JsonNode run = apiGet("/api/v1/runs/" + runId);
    assertThat(run.path("phase").asText()).isEqualTo("Succeeded");
    Map<String, JsonNode> tasks = new java.util.HashMap<>();
    run.path("tasks").forEach(t -> tasks.put(t.path("name").asText(), t));
    assertThat(tasks).containsOnlyKeys("a", "b", "c", "d");
    tasks.values().forEach(t -> assertThat(t.path("phase").asText()).isEqualTo("Succeeded"));
    assertThat(tasks.get("d").path("runAfter").toString()).contains("b").contains("c");
    assertStartsAfter(tasks, "b", "a");
    assertStartsAfter(tasks, "c", "a");
    assertStartsAfter(tasks, "d", "b");
    assertStartsAfter(tasks, "d", "c");
  }

  /** The run's record of {@code task} says it started once {@code upstream} had finished. */
  private static void assertStartsAfter(Map<String, JsonNode> tasks, String task, String upstream) {
    java.time.Instant started = java.time.Instant.parse(tasks.get(task).path("startedAt").asText());
    java.time.Instant finished =
        java.time.Instant.parse(tasks.get(upstream).path("finishedAt").asText());
    assertThat(started)
        .as(task + " started after " + upstream + " finished")
        .isAfterOrEqualTo(finished);
  }

  private static JsonNode apiGet(String path) throws Exception {
    String cookie = browser.manage().getCookieNamed("kontroler_session").getValue();
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                    .header("Authorization", "Bearer " + cookie)
                    .GET()
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
  }

  // --- steps --------------------------------------------------------------------------------

  /** A wait that reads the page again when the element it looked at was redrawn meanwhile. */
  private static WebDriverWait waitUpTo(Duration timeout) {
    WebDriverWait w = new WebDriverWait(browser, timeout);
    w.ignoring(StaleElementReferenceException.class);
    return w;
  }

  private static void logIn(String user, String password) {
    WebElement name = wait.until(ExpectedConditions.elementToBeClickable(By.id("username")));
    name.clear();
    name.sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(password);
    browser.findElement(By.id("login-submit")).click();
  }

  private static void signIn() {
    browser.get(base + "/login");
    logIn("admin", ADMIN_PASSWORD);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("top")));
  }

  /** Puts the text in the editor as if pasted, then types one more character. */
  private static void type(WebElement area, String text) {
    js(
        "arguments[0].value = arguments[1];"
            + " arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        area,
        text.substring(0, text.length() - 1));
    area.sendKeys(text.substring(text.length() - 1));
  }

  private static void applyInEditor(String yaml) {
    browser.get(base + "/editor");
    WebElement area = wait.until(ExpectedConditions.elementToBeClickable(By.id("editor-text")));
    type(area, yaml);
    wait.until(d -> editorStatus().startsWith("Valid"));
    browser.findElement(By.id("editor-apply")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("apply-result")));
  }

  private static String editorStatus() {
    List<WebElement> ok = browser.findElements(By.cssSelector("#editor-status.ok"));
    return ok.isEmpty() ? "" : ok.get(0).getText();
  }

  private static void waitForGraph(String id) {
    wait.until(d -> "true".equals(attribute(id, "data-drawn")));
  }

  private static String attribute(String id, String name) {
    List<WebElement> found = browser.findElements(By.id(id));
    return found.isEmpty() ? null : found.get(0).getAttribute(name);
  }

  private static String rowPhase(String task) {
    List<WebElement> rows =
        browser.findElements(By.cssSelector("#task-table tr[data-task='" + task + "']"));
    return rows.isEmpty() ? null : rows.get(0).getAttribute("data-phase");
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private static void screenshot(String name) {
    try {
      Files.write(ARTIFACTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String dagYaml(String name, String tasks) {
    return "apiVersion: kontroler.greedykomodo/v1alpha1\n"
        + "kind: DAG\n"
        + "metadata:\n"
        + "  name: "
        + name
        + "\n"
        + "spec:\n"
        + "  parameters:\n"
        + "    - name: greeting\n"
        + "      defaultValue: hello\n"
        + "  task:\n"
        + tasks;
  }

  /** A task that runs a shell line; {@code runAfter} in flow style, as people write it. */
  static String task(String name, String shell, String... runAfter) {
    return "    - name: "
        + name
        + "\n      image: alpine:3.20\n      command: [\"sh\", \"-c\", \""
        + shell
        + "\"]\n"
        + (runAfter.length == 0 ? "" : "      runAfter: [" + String.join(", ", runAfter) + "]\n");
  }
}
