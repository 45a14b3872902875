package io.kontroler.ui;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * How long the DAG page and the run page of a large DAG take to draw its graph in headless
 * Chromium: the page sets the performance mark {@code kontroler:graph-drawn} when vis-network has
 * finished its first drawing; its time since navigation start is read after each of several fresh
 * loads, and the median is printed. A benchmark, not a test:
 *
 * <pre>
 * mvn -q -pl ui test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp ui/target/test-classes:ui/target/classes:$(cat ui/target/cp.txt) \
 *     io.kontroler.ui.GraphBenchmark [tasks=2000] [loads=7]
 * </pre>
 */
public final class GraphBenchmark {
  private GraphBenchmark() {}

  public static void main(String[] args) throws Exception {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int loads = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    Path dir = Files.createTempDirectory("kontroler-graph-bench");
    try (ApiHarness api = new ApiHarness(dir.resolve("server"), Duration.ofMillis(5))) {
      String token = login(api.url());
      post(api.url() + "/api/v1/dags", token, largeDag("large", tasks));
      String runBody = post(api.url() + "/api/v1/runs", token, "{\"dagName\":\"large\"}");
      String runId = runBody.replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
      // The run is played to its end first, so no live event competes with the drawing.
      while (!runPhase(get(api.url() + "/api/v1/runs/" + runId, token)).equals("Succeeded")) {
        Thread.sleep(200);
      }
      ChromeDriver browser = Chromium.start(dir.resolve("profile"), 1400, 1000);
      try {
        browser.get(api.url() + "/login");
        new WebDriverWait(browser, Duration.ofSeconds(20))
            .until(d -> !d.findElements(By.id("username")).isEmpty());
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(ApiHarness.ADMIN_PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20))
            .until(d -> d.findElement(By.id("top")).isDisplayed());
        report("DAG page", measure(browser, api.url() + "/dags/large", "dag-graph", loads), tasks);
        report(
            "run page", measure(browser, api.url() + "/runs/" + runId, "run-graph", loads), tasks);
        Path shot = Path.of("target", "ui-screenshots", "large-dag.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
        System.out.println("screenshot: " + shot.toAbsolutePath());
      } finally {
        browser.quit();
      }
    }
  }

  /** Milliseconds from navigation start to the graph-drawn mark, for each fresh load. */
  static List<double[]> measure(ChromeDriver browser, String url, String graphId, int loads) {
    List<double[]> results = new ArrayList<>();
    for (int i = 0; i < loads; i++) {
      browser.get("about:blank");
      browser.get(url);
      new WebDriverWait(browser, Duration.ofSeconds(60))
          .until(
              d ->
                  "true"
                      .equals(
                          ((JavascriptExecutor) d)
                              .executeScript(
                                  "var g = document.getElementById(arguments[0]);"
                                      + " return g ? g.dataset.drawn : null;",
                                  graphId)));
      Object mark =
          ((JavascriptExecutor) browser)
              .executeScript(
                  "var m = performance.getEntriesByName('kontroler:graph-drawn');"
                      + " var s = performance.getEntriesByName('kontroler:graph-start');"
                      + " return [m[m.length - 1].startTime,"
                      + " m[m.length - 1].startTime - s[s.length - 1].startTime];",
                  graphId);
      List<?> pair = (List<?>) mark;
      results.add(
          new double[] {
            ((Number) pair.get(0)).doubleValue(), ((Number) pair.get(1)).doubleValue()
          });
    }
    return results;
  }

  static void report(String page, List<double[]> results, int tasks) {
    List<Double> total = new ArrayList<>();
    List<Double> graph = new ArrayList<>();
    results.forEach(
        r -> {
          total.add(r[0]);
          graph.add(r[1]);
        });
    System.out.printf(
        "%s, %d tasks: navigation to graph drawn median %.0f ms (all %s);"
            + " graph construction to drawn median %.0f ms%n",
        page, tasks, median(total), rounded(total), median(graph));
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  static List<Long> rounded(List<Double> values) {
    return values.stream().map(Math::round).toList();
  }

  /**
   * A layered DAG of {@code n} tasks: 50 per level, each after one or two tasks of the level before
   * (seeded, so every run of the benchmark draws the same graph).
   */
  static String largeDag(String name, int n) {
    Random random = new Random(42);
    int width = 50;
    StringBuilder y = new StringBuilder();
    y.append("apiVersion: kontroler.greedykomodo/v1alpha1\nkind: DAG\nmetadata:\n  name: ")
        .append(name)
        .append("\nspec:\n  task:\n");
    for (int i = 0; i < n; i++) {
      y.append("    - name: t").append(i).append("\n      image: alpine:3.20\n");
      y.append("      command: [\"true\"]\n");
      int level = i / width;
      if (level > 0) {
        int a = (level - 1) * width + random.nextInt(width);
        int b = (level - 1) * width + random.nextInt(width);
        y.append("      runAfter: [t").append(a);
        if (b != a) {
          y.append(", t").append(b);
        }
        y.append("]\n");
      }
    }
    return y.toString();
  }

  static String login(String base) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"username\":\"admin\",\"password\":\""
                                + ApiHarness.ADMIN_PASSWORD
                                + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return r.body().replaceAll(".*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
  }

  /** The run's own phase: the first "phase" of the answer (its tasks' come after). */
  static String runPhase(String runJson) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"phase\"\\s*:\\s*\"(\\w+)\"").matcher(runJson);
    return m.find() ? m.group(1) : "";
  }

  static String get(String url, String token) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static String post(String url, String token, String body) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException("Expected a success from " + url + ", but " + r.body());
    }
    return r.body();
  }
}
