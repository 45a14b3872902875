package io.kontroler.ui;

import static io.kontroler.ui.Documents.dagYaml;
import static io.kontroler.ui.Documents.diamondTasks;
import static io.kontroler.ui.Documents.task;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterEach;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in headless Chromium against the real api server; runs are played by {@link RunPlayer}
 * through the api's run-events projection, so the browser sees them live over server-sent events.
 */
class UiBrowserIT {
  private static final Path ARTIFACTS = Path.of("target", "ui-screenshots");

  @RegisterExtension static final Chromium chromium = Chromium.sized(1400, 1000);

  @TempDir static Path data;
  private static ApiHarness api;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws IOException {
    api = new ApiHarness(data.resolve("server"), Duration.ofMillis(1500));
    browser = chromium.driver();
    wait = waitUpTo(Duration.ofSeconds(20));
    Files.createDirectories(ARTIFACTS);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  /** Every page of every test works under the api's Content-Security-Policy. */
  @AfterEach
  void noContentSecurityPolicyViolation() {
    assertThat(cspViolations()).isEmpty();
  }

  private static List<String> cspViolations() {
    return chromium.console().stream()
        .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
        .toList();
  }

  @Test
  void theContentSecurityPolicyRefusesInlineScriptsAndTheConsoleShowsIt() {
    chromium.expectErrors("the script this test injects", "Content Security Policy");
    browser.get(api.url() + "/login");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form")));
    browser.executeScript(
        "const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
            + " document.head.appendChild(s);");
    assertThat(browser.executeScript("return window.injected === undefined")).isEqualTo(true);
    assertThat(cspViolations()).anyMatch(m -> m.contains("script-src 'self'"));
    chromium.forgetConsole(); // seen: the check after this test is about other errors
  }

  /**
   * Cookies are deleted on a page of the api's origin that runs no script: on a page of the UI, its
   * requests in flight would be refused for want of the cookie, as errors in the console.
   */
  @BeforeEach
  void signedOut() {
    browser.get(api.url() + "/api/v1/health/live");
    browser.manage().deleteAllCookies();
  }

  @Test
  void theFirstLoadBeforeLoginLogsNoErrorAndNoFailedRequest() {
    browser.get("about:blank"); // the page signedOut() left may still be asking the api
    chromium.forgetConsole(); // what earlier pages logged
    browser.get(api.url() + "/dags");

    wait.until(ExpectedConditions.urlContains("/login?next="));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("username")));
    assertThat(chromium.console(java.util.logging.Level.WARNING)).isEmpty();
    assertThat(browser.findElements(By.id("sso-login"))).isEmpty();
  }

  @Test
  void deepLinkGoesThroughLoginAndBack() {
    browser.get(api.url() + "/runs?phase=Failed");

    wait.until(ExpectedConditions.urlContains("/login?next="));
    logIn("admin", ApiHarness.ADMIN_PASSWORD);

    wait.until(ExpectedConditions.urlToBe(api.url() + "/runs?phase=Failed"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("runs-table")));
    assertThat(browser.findElement(By.id("runs-phase")).getAttribute("value")).isEqualTo("Failed");
  }

  @Test
  void wrongPasswordIsShown() {
    chromium.expectErrors(
        "the wrong password",
        "/api/v1/auth/login - Failed to load resource: the server responded with a status of 401");
    browser.get(api.url() + "/login");
    logIn("admin", "not-the-password");

    WebElement errors =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#login-errors li")));
    assertThat(errors.getText()).contains("invalid username or password");
  }

  @Test
  void editorShowsProblemsOnTheirLineThenApplies() {
    chromium.expectErrors(
        "the problems under test",
        "/api/v1/dags/validate - Failed to load resource: the server responded with a status of 400");
    signIn();
    browser.get(api.url() + "/editor");
    WebElement area = wait.until(ExpectedConditions.elementToBeClickable(By.id("editor-text")));
    setText(area, dagYaml("edited", task("a") + task("b", "nowhere")));
    area.sendKeys(" ");

    WebElement marked =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".backdrop .error-line")));
    assertThat(marked.getAttribute("data-line")).isEqualTo("18");
    assertThat(marked.getText()).contains("nowhere");
    assertThat(browser.findElement(By.id("editor-problems")).getText())
        .contains("Line 18")
        .contains("spec.task[1].runAfter");
    screenshot("editor-error");

    setText(area, dagYaml("edited", task("a") + task("b", "a")));
    area.sendKeys(" ");
    wait.until(d -> statusText().startsWith("Valid"));
    assertThat(browser.findElements(By.cssSelector(".backdrop .error-line"))).isEmpty();
    browser.findElement(By.id("editor-apply")).click();

    WebElement result =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("apply-result")));
    assertThat(result.getText()).contains("DAG default/edited v1");
    result.findElement(By.linkText("DAG default/edited")).click();
    wait.until(ExpectedConditions.urlToBe(api.url() + "/dags/edited"));
    waitForGraph("dag-graph");

    browser.findElement(By.linkText("Edit")).click();
    wait.until(d -> statusText().startsWith("Valid"));
    assertThat(statusText()).contains("DAG default/edited (unchanged, v1)");
  }

  @Test
  void runTurnsGreenLiveAndShowsATaskLog() throws Exception {
    signIn();
    apply(dagYaml("diamond", diamondTasks()));
    browser.get(api.url() + "/dags/diamond");
    waitForGraph("dag-graph");
    browser.findElement(By.id("run-button")).click();
    WebElement greeting =
        wait.until(ExpectedConditions.elementToBeClickable(By.id("param-greeting")));
    assertThat(greeting.getAttribute("value")).isEqualTo("hello");
    assertThat(browser.findElement(By.cssSelector("label[for=param-token]")).getText())
        .contains("secret: api-token");
    browser.findElement(By.id("run-submit")).click();

    wait.until(ExpectedConditions.urlMatches("/runs/[^/?]+"));
    waitForGraph("run-graph");
    Object marker = js("window.kontrolerNoReload = 'still here'; return 1;");
    assertThat(marker).isEqualTo(1L);
    waitUpTo(Duration.ofSeconds(30))
        .until(d -> "Succeeded:4".equals(attribute("run-graph", "data-phases")));
    assertThat(js("return window.kontrolerNoReload")).isEqualTo("still here");
    assertThat(Integer.parseInt(attribute("run-graph", "data-live-events")))
        .as("task changes received over the event stream")
        .isPositive();
    assertThat(js("return document.getElementById('run-graph').kontrolerGraph.colorOf('join')"))
        .isEqualTo("#86efac");
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#run-phase .phase"), "Succeeded"));
    screenshot("run-page");

    browser.findElement(By.xpath("//tr[@data-task='left']//button")).click();
    WebElement log =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#task-log[data-state=stored]")));
    assertThat(log.getText()).contains("task left attempt 1 started").contains("done");
    assertThat(browser.findElement(By.id("log-download")).getAttribute("href"))
        .endsWith("/tasks/left/attempts/1/log");
    assertThat(browser.findElement(By.cssSelector("#task-attempts tr[data-attempt='1']")).getText())
        .contains("Succeeded")
        .contains("0");
    tallScreenshot("run-page");

    browser.get(api.url() + "/dags/diamond?task=right");
    waitForGraph("dag-graph");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pod-template")));
    assertThat(browser.findElement(By.id("pod-template")).getText()).contains("disktype: ssd");
    screenshot("dag-page");
  }

  @Test
  void showsOutputsAndTellsASkippedConditionFromASkippedUpstream() {
    signIn();
    apply(
        dagYaml(
            "branches",
            task("list") + task("maybe-publish", "list") + task("report", "maybe-publish")));
    String runId = startRun("branches");
    browser.get(api.url() + "/runs/" + runId);
    waitForGraph("run-graph");
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#run-phase .phase"), "Succeeded"));
    wait.until(d -> "Skipped:2 Succeeded:1".equals(attribute("run-graph", "data-phases")));

    WebElement maybe = row("maybe-publish");
    WebElement report = row("report");
    assertThat(maybe.getAttribute("data-skip")).isEqualTo("condition");
    assertThat(maybe.getText()).contains("condition false").contains("params.env == 'prod'");
    assertThat(report.getAttribute("data-skip")).isEqualTo("trigger");
    assertThat(report.getText())
        .contains("upstream outcome")
        .contains("trigger rule allSucceeded not met: maybe-publish Skipped");
    assertThat(attribute("run-graph", "data-condition-skipped")).isEqualTo("maybe-publish");
    assertThat(
            js(
                "return document.getElementById('run-graph').kontrolerGraph.colorOf('maybe-publish')"))
        .isEqualTo("#faf5ff");
    assertThat(js("return document.getElementById('run-graph').kontrolerGraph.colorOf('report')"))
        .isEqualTo("#e9d5ff");

    maybe.findElement(By.tagName("button")).click();
    WebElement reason =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#task-panel-reason [data-skip=condition]")));
    assertThat(reason.getText()).contains("its condition was false");

    row("list").findElement(By.tagName("button")).click();
    WebElement count =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#task-outputs [data-output=count]")));
    assertThat(count.getText()).isEqualTo("3");
    assertThat(browser.findElement(By.cssSelector("#task-outputs [data-output=items]")).getText())
        .isEqualTo("[\"a\",\"b\",\"c\"]");
    assertThat(browser.findElements(By.cssSelector("#task-panel-reason [data-skip]"))).isEmpty();
    screenshot("run-outputs-and-skips");
  }

  @Test
  void aFanOutIsOneNodeWithCountsItsSubDagLinksBothWaysAndReRunFromHereAsksTheApi() {
    signIn();
    apply(
        dagYaml(
            "fanout", task("list") + task("each-item", "list") + task("sub-report", "each-item")));
    String runId = startRun("fanout");
    browser.get(api.url() + "/runs/" + runId);
    waitForGraph("run-graph");
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#run-phase .phase"), "Succeeded"));

    // One node for the fan-out, its label counting the instances; no node or row per instance.
    wait.until(d -> String.valueOf(graphLabel("each-item")).contains("25/25 done"));
    assertThat(graphLabel("each-item")).startsWith("each-item\n");
    assertThat(js("return document.getElementById('run-graph').kontrolerGraph.nodes.length"))
        .isEqualTo(3L);
    assertThat(browser.findElements(By.cssSelector("#task-table tr[data-task]"))).hasSize(3);
    wait.until(d -> "Succeeded:25".equals(row("each-item").getAttribute("data-instances")));

    // Its panel lists the instances a page at a time; one opens with its own attempts.
    row("each-item").findElement(By.tagName("button")).click();
    wait.until(d -> "Succeeded:25".equals(attribute("task-instances-counts", "data-counts")));
    assertThat(instanceNames()).hasSize(20).startsWith("each-item[0]", "each-item[1]");
    browser.findElement(By.id("instances-next")).click();
    wait.until(
        d ->
            instanceNames()
                .equals(
                    List.of(
                        "each-item[20]",
                        "each-item[21]",
                        "each-item[22]",
                        "each-item[23]",
                        "each-item[24]")));
    browser
        .findElement(
            By.cssSelector("#task-instances-list tr[data-instance='each-item[22]'] button"))
        .click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#task-panel h2"), "each-item[22]"));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#task-attempts tr[data-attempt='1'][data-phase='Succeeded']")));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("task-log"), "each-item[22]: item 22 done"));
    screenshot("run-fan-out");

    // Re-run from here: confirmed, it asks the api, which publishes RerunTask.
    row("list").findElement(By.tagName("button")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("rerun-task"))).click();
    browser.switchTo().alert().accept();
    wait.until(d -> !api.player().reruns.isEmpty());
    assertThat(api.player().reruns)
        .extracting(r -> r.runId() + " " + r.task())
        .containsExactly(runId + " list");

    // The sub-DAG task links to its child run, which links back.
    row("sub-report").findElement(By.tagName("button")).click();
    WebElement child = wait.until(ExpectedConditions.elementToBeClickable(By.id("child-run-link")));
    assertThat(child.getText()).contains(runId + "-child");
    assertThat(graphLabel("sub-report")).contains("child run");
    click(By.id("child-run-link"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("parent-run-link"), runId));
    assertThat(browser.findElement(By.id("run-facts")).getText()).contains("sub-report");
    click(By.id("parent-run-link"));
    waitForGraph("run-graph");
    assertThat(browser.getCurrentUrl()).endsWith("/runs/" + runId);

    assertThat(chromium.unexpectedErrors()).isEmpty();
  }

  /** Clicks what {@code by} finds, again if the page redrew it meanwhile. */
  private static void click(By by) {
    wait.until(
        d -> {
          try {
            d.findElement(by).click();
            return true;
          } catch (StaleElementReferenceException e) {
            return false;
          }
        });
  }

  private static String graphLabel(String task) {
    return (String)
        js(
            "return document.getElementById('run-graph').kontrolerGraph.labelOf(arguments[0])",
            task);
  }

  private static List<String> instanceNames() {
    return browser.findElements(By.cssSelector("#task-instances-list tr[data-instance]")).stream()
        .map(e -> e.getAttribute("data-instance"))
        .toList();
  }

  @Test
  @SuppressWarnings("unchecked")
  void exitTasksAreDrawnAfterTheMainGraphWithDashedLinksFromItsLastTasks() {
    signIn();
    java.util.Map<String, Object> drawn =
        (java.util.Map<String, Object>)
            ((JavascriptExecutor) browser)
                .executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                        + "import('/js/graph.js').then((g) => {"
                        + "  const el = document.createElement('div');"
                        + "  el.style.width = '800px'; el.style.height = '400px';"
                        + "  document.body.append(el);"
                        + "  const view = g.drawGraph(el, ["
                        + "    {name: 'a', phase: 'Succeeded'}, {name: 'b', phase: 'Failed'},"
                        + "    {name: 'c', phase: 'Succeeded'},"
                        + "    {name: 'notify', phase: 'Running', exit: true},"
                        + "    {name: 'cleanup', phase: 'Pending', exit: true}],"
                        + "    [{from: 'a', to: 'b'}, {from: 'a', to: 'c'},"
                        + "     {from: 'notify', to: 'cleanup'}]);"
                        + "  const dashed = view.edges.get()"
                        + "    .filter((e) => e.dashes).map((e) => e.from + '>' + e.to).sort();"
                        + "  const result = {"
                        + "    exitTasks: el.dataset.exitTasks, exitLinks: el.dataset.exitLinks,"
                        + "    levels: ['a', 'b', 'c', 'notify', 'cleanup'].map(view.levelOf),"
                        + "    dashed: dashed,"
                        + "    border: view.nodes.get('notify').shapeProperties.borderDashes,"
                        + "    mainBorder: view.nodes.get('a').shapeProperties.borderDashes };"
                        + "  view.destroy(); el.remove(); done(result);"
                        + "}).catch((e) => done({error: String(e)}));");

    assertThat(drawn).doesNotContainKey("error");
    assertThat(drawn.get("exitTasks")).isEqualTo("notify cleanup");
    assertThat(drawn.get("exitLinks")).isEqualTo("b>notify c>notify");
    assertThat((List<Object>) drawn.get("levels")).containsExactly(0L, 1L, 1L, 2L, 3L);
    assertThat((List<Object>) drawn.get("dashed"))
        .containsExactly("b>notify", "c>notify", "notify>cleanup");
    assertThat((List<Object>) drawn.get("border")).containsExactly(6L, 3L);
    assertThat(drawn.get("mainBorder")).isEqualTo(false);
  }

  @Test
  void editorProblemsOfTheNewTaskFieldsAreMarkedOnTheirLines() {
    chromium.expectErrors(
        "the problems under test",
        "/api/v1/dags/validate - Failed to load resource: the server responded with a status of 400");
    signIn();
    String yaml =
        dagYaml(
                "newfields",
                task("list")
                    + "      outputs: [count]\n"
                    + "      env:\n"
                    + "        - name: DAY\n"
                    + "          value: \"{{ params.nope }}\"\n"
                    + task("publish", "list")
                    + "      when: \"tasks.list.outputs.count >\"\n"
                    + "      trigger: sometimes\n"
                    + "      allowFailure: true\n")
            + "  onExit:\n"
            + "    - name: notify\n"
            + "      image: alpine:3.20\n"
            + "      runAfter: [publish]\n";
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> lines =
        (java.util.Map<String, Object>)
            ((JavascriptExecutor) browser)
                .executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                        + "import('/js/yamlpaths.js').then((y) => {"
                        + "  const docs = y.scan(arguments[0]);"
                        + "  const at = (path) => y.lineOf(docs, {path: path, message: 'x'});"
                        + "  done({"
                        + "    env: at('spec.task[0].env[0].value'),"
                        + "    outputs: at('spec.task[0].outputs[0]'),"
                        + "    when: at('spec.task[1].when'),"
                        + "    trigger: at('spec.task[1].trigger'),"
                        + "    allowFailure: at('spec.task[1].allowFailure'),"
                        + "    exitRunAfter: at('spec.onExit[0].runAfter[0]') });"
                        + "}).catch((e) => done({error: String(e)}));",
                    yaml);

    List<String> text = List.of(yaml.split("\n"));
    assertThat(lines).doesNotContainKey("error");
    assertThat(text.get(((Number) lines.get("env")).intValue())).contains("value:");
    assertThat(text.get(((Number) lines.get("outputs")).intValue())).contains("outputs:");
    assertThat(text.get(((Number) lines.get("when")).intValue())).contains("when:");
    assertThat(text.get(((Number) lines.get("trigger")).intValue())).contains("trigger:");
    assertThat(text.get(((Number) lines.get("allowFailure")).intValue())).contains("allowFailure:");
    assertThat(text.get(((Number) lines.get("exitRunAfter")).intValue()))
        .contains("runAfter: [publish]");
  }

  @Test
  void followsTheLogLiveThenCancelsTheRun() {
    signIn();
    apply(dagYaml("held", task("a") + task("hold-b", "a")));
    String runId = startRun("held");
    browser.get(api.url() + "/runs/" + runId + "?task=hold-b");
    wait.until(d -> "Running".equals(rowPhase("hold-b")));
    WebElement log =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#task-log[data-state=following]")));
    wait.until(d -> log.getText().contains("hold-b: step 2"));

    browser.findElement(By.id("cancel-run")).click();
    browser.switchTo().alert().accept();

    wait.until(ExpectedConditions.textToBe(By.cssSelector("#run-phase .phase"), "Cancelled"));
    wait.until(d -> "Cancelled".equals(rowPhase("hold-b")));
    wait.until(d -> log.getText().contains("stopped: the run was cancelled"));
    assertThat(browser.findElements(By.id("cancel-run"))).isEmpty();
    assertThat(browser.findElements(By.id("retry-run"))).hasSize(1);
  }

  @Test
  void everyPageShowsWhatTheApiHas() throws Exception {
    chromium.expectErrors(
        "the too short password this test submits",
        "/api/v1/users - Failed to load resource: the server responded with a status of 400");
    signIn();
    apply(dagYaml("listed", task("a") + task("fails", "a") + task("after", "fails")));
    String runId = startRun("listed");

    browser.get(api.url() + "/runs/" + runId);
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#run-phase .phase"), "Failed"));
    wait.until(d -> "Skipped".equals(rowPhase("after")));
    assertThat(browser.findElements(By.id("retry-run"))).hasSize(1);

    browser.get(api.url() + "/dags?search=list");
    WebElement row =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#dag-table tr[data-dag='default/listed']")));
    wait.until(d -> row.findElement(By.cssSelector(".last-run")).getText().equals("Failed"));
    screenshot("dag-list");
    row.findElement(By.cssSelector("input[type=checkbox]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "suspended"));
    browser.get(api.url() + "/dags/listed");
    wait.until(ExpectedConditions.textToBe(By.id("dag-suspended"), "yes"));

    browser.get(api.url() + "/runs?dag=listed&phase=Failed");
    wait.until(
        ExpectedConditions.visibilityOfElementLocated(
            By.cssSelector("#runs-table tr[data-run='" + runId + "']")));

    browser.get(api.url() + "/");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("active-runs")));
    wait.until(d -> d.findElement(By.id("recent-title")).isDisplayed());
    tallScreenshot("dashboard");

    browser.get(api.url() + "/users");
    WebElement username =
        wait.until(ExpectedConditions.elementToBeClickable(By.id("new-username")));
    username.sendKeys("eddie");
    browser.findElement(By.id("new-password")).sendKeys("short");
    browser.findElement(By.id("new-role")).sendKeys("editor");
    js("arguments[0].removeAttribute('minlength')", browser.findElement(By.id("new-password")));
    browser.findElement(By.cssSelector("form.inline-form button[type=submit]")).click();
    WebElement problem =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".problems li")));
    assertThat(problem.getText()).contains("password");
    browser.findElement(By.id("new-password")).sendKeys("-long-enough");
    browser.findElement(By.cssSelector("form.inline-form button[type=submit]")).click();
    wait.until(
        ExpectedConditions.visibilityOfElementLocated(
            By.cssSelector("#user-table tr[data-user=eddie]")));
    new Select(browser.findElement(By.cssSelector("#user-table tr[data-user=eddie] select")))
        .selectByValue("viewer");
    wait.until(
        d -> {
          try {
            return api("GET", "/api/v1/users", null)
                .contains("\"username\":\"eddie\",\"role\":\"viewer\"");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    screenshot("users");
  }

  @Test
  void showsDagTasksWithTheirVersions() {
    signIn();
    String dagTask =
        "apiVersion: kontroler.greedykomodo/v1alpha1\nkind: DagTask\nmetadata:\n  name: greeter\n"
            + "spec:\n  image: alpine:3.20\n  command: [\"sh\", \"-c\", \"echo hi\"]\n";
    apply(dagTask);
    apply(dagTask.replace("echo hi", "echo hello"));

    browser.get(api.url() + "/dagtasks");
    wait.until(ExpectedConditions.elementToBeClickable(By.linkText("greeter"))).click();
    wait.until(ExpectedConditions.urlToBe(api.url() + "/dagtasks/default/greeter"));
    WebElement v2 =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("section[aria-label='Version 2'] pre")));
    assertThat(v2.getText()).contains("echo hello");
    assertThat(browser.findElement(By.cssSelector("section[aria-label='Version 1'] pre")).getText())
        .contains("echo hi");
  }

  @Test
  void showsTheApiErrorForAnUnknownRun() {
    chromium.expectErrors(
        "the unknown run",
        "/api/v1/runs/no-such-run - Failed to load resource: the server responded with a status of 404");
    signIn();
    browser.get(api.url() + "/runs/no-such-run");

    WebElement flash = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("flash")));
    assertThat(flash.getText()).contains("no run 'no-such-run'");
  }

  @Test
  void viewerSeesNoEditButtons() throws Exception {
    signIn();
    apply(dagYaml("viewed", task("a") + task("hold-b", "a")));
    String runId = startRun("viewed");
    api(
        "POST",
        "/api/v1/users",
        "{\"username\":\"vera\",\"password\":\"viewer-password\",\"role\":\"viewer\"}");
    browser.manage().deleteAllCookies();
    browser.get(api.url() + "/dags/viewed");
    wait.until(ExpectedConditions.urlContains("/login"));
    logIn("vera", "viewer-password");
    wait.until(ExpectedConditions.urlToBe(api.url() + "/dags/viewed"));
    waitForGraph("dag-graph");

    assertThat(browser.findElements(By.id("run-button"))).isEmpty();
    assertThat(browser.findElements(By.id("task-picker"))).hasSize(1);
    assertThat(browser.findElements(By.xpath("//a[text()='Edit']"))).isEmpty();
    assertThat(browser.findElement(By.cssSelector("[data-nav=editor]")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.cssSelector("[data-nav=users]")).isDisplayed()).isFalse();

    browser.get(api.url() + "/runs/" + runId);
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#run-phase .phase"), "Running"));
    assertThat(browser.findElements(By.id("cancel-run"))).isEmpty();
    assertThat(browser.findElements(By.id("retry-run"))).isEmpty();
    api.player().cancelAll();
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
    browser.get(api.url() + "/login");
    logIn("admin", ApiHarness.ADMIN_PASSWORD);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("top")));
  }

  private static void tallScreenshot(String name) {
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1700));
    try {
      screenshot(name);
    } finally {
      browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
    }
  }

  private static void setText(WebElement area, String text) {
    js(
        "arguments[0].value = arguments[1];"
            + " arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        area,
        text);
  }

  private static String statusText() {
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

  private static WebElement row(String task) {
    return wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#task-table tr[data-task='" + task + "']")));
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
      throw new IllegalStateException("Expected to save a screenshot, but " + e, e);
    }
  }

  /** Calls the api as the browser's user, with the session cookie of the browser. */
  private static String api(String method, String path, String body) throws Exception {
    String cookie = browser.manage().getCookieNamed("kontroler_session").getValue();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.url() + path))
            .header("Authorization", "Bearer " + cookie)
            .header(
                "Content-Type",
                path.equals("/api/v1/dags") ? "application/yaml" : "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isLessThan(300);
    return response.body();
  }

  private static void apply(String yaml) {
    try {
      api("POST", "/api/v1/dags", yaml);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String startRun(String dag) {
    try {
      String body = api("POST", "/api/v1/runs", "{\"dagName\":\"" + dag + "\",\"parameters\":{}}");
      return body.replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
