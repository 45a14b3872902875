package io.kontroler.ui;

import static io.kontroler.ui.Documents.dagYaml;
import static io.kontroler.ui.Documents.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.ApiConfig;
import io.kontroler.api.ApiServer;
import io.kontroler.api.kafka.KafkaPublisher;
import io.kontroler.api.kafka.Publisher;
import io.kontroler.broker.KafkaSettings;
import io.kontroler.broker.TopicSetup;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.PoolMessage;
import io.kontroler.core.message.PoolMessage.PoolHolder;
import io.kontroler.core.message.PoolMessage.PoolSlotsSet;
import io.kontroler.core.message.PoolMessage.PoolStatus;
import io.kontroler.core.message.Topics;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskWaitingForPool;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.TaskPhase;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.logstore.LocalLogStore;
import io.kontroler.testkafka.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Shared pools in headless Chromium, against the api on a real broker: the pools' status and the
 * tasks waiting for a slot are written to run-events by a plain producer (as a pool's owner and a
 * run's partition in the scheduler write them), and the slots an admin sets in the UI are read back
 * from kontroler.pools.
 */
class PoolsBrowserIT {
  private static final Topics TOPICS = Topics.DEFAULT;
  private static final String PASSWORD = "pools-admin-password";
  private static final String DAG = "default/pooled";

  @RegisterExtension static final Chromium chromium = Chromium.sized(1400, 1000);

  @TempDir static Path data;
  private static EmbeddedKafka kafka;
  private static ApiServer server;
  private static String url;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    kafka = TestKafka.start(data.resolve("kafka"));
    TopicSetup.ensureTopics(KafkaSettings.of(kafka.bootstrapServers()), TOPICS, 2, (short) 1);
    ensurePoolsTopic();
    ApiConfig config =
        ApiConfig.defaults(data.resolve("api"))
            .with(Topics.TABLE.flat(TOPICS))
            .with(
                Map.of(
                    "api.port",
                    "0",
                    "kafka.bootstrap.servers",
                    kafka.bootstrapServers(),
                    "api.password.iterations",
                    "1000",
                    "admin.password",
                    PASSWORD,
                    "api.consumer.group",
                    "api-" + UUID.randomUUID()));
    ApiServer[] self = new ApiServer[1];
    KafkaPublisher kafkaPublisher = new KafkaPublisher(kafka.clientProperties(), TOPICS);
    // the scheduler's answer to a DAG's submission, in-process; everything else goes to Kafka
    Publisher publisher =
        records -> {
          kafkaPublisher.publish(records);
          for (Publisher.Outgoing r : records) {
            if (r.message() instanceof Inbound.DagSubmitted s) {
              self[0]
                  .catalog()
                  .apply(
                      new Catalog.DagPublished(
                          s.dag(), 1, s.spec(), s.submittedAt(), s.submissionId()));
            }
          }
        };
    server =
        new ApiServer(
            config,
            new ApiServer.Adapters(
                publisher, new LocalLogStore(data.resolve("logs")), true, Clock.systemUTC()));
    self[0] = server;
    url = "http://localhost:" + server.start();
    browser = chromium.driver();
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.ignoring(StaleElementReferenceException.class);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aTaskWaitingForAPoolSaysSoLiveAndAnAdminSetsThePoolsSlots() throws Exception {
    String admin = login("admin", PASSWORD);
    call(
        "POST",
        "/api/v1/dags",
        admin,
        dagYaml("pooled", task("extract") + task("load", "extract")));
    String run =
        call("POST", "/api/v1/runs", admin, "{\"dagName\":\"pooled\"}")
            .replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    Instant t = Instant.now();
    produce(
        DAG,
        new RunPhaseChanged(
            run,
            DAG,
            1,
            null,
            RunPhase.Pending,
            RunPhase.Running,
            new PhaseCounts(2, 0, 0, 0, 0, 0, 0, 0),
            null,
            t),
        taskChanged(run, "extract", TaskPhase.Pending, TaskPhase.Queued, t),
        taskChanged(run, "extract", TaskPhase.Queued, TaskPhase.Running, t.plusSeconds(1)),
        taskChanged(run, "extract", TaskPhase.Running, TaskPhase.Succeeded, t.plusSeconds(2)));

    signIn();
    browser.get(url + "/runs/" + run);
    wait.until(d -> "Succeeded".equals(rowAttribute("extract", "data-phase")));
    wait.until(d -> "true".equals(byId("run-graph").getAttribute("data-drawn")));
    assertThat(rowAttribute("load", "data-waiting-for-pool")).isNull();

    // the run's partition says the task waits; the pool's owner says where the pool stands
    PoolHolder other = new PoolHolder("default/other", "run-x", "query", 1, t, t.plusSeconds(60));
    produce(DAG, new TaskWaitingForPool(run, DAG, "load", 1, "warehouse", t.plusSeconds(3)));
    produce(
        PoolMessage.statusKey("warehouse"),
        new PoolStatus("warehouse", 1, List.of(other), 1, true, t.plusSeconds(3)));

    wait.until(d -> "warehouse".equals(rowAttribute("load", "data-waiting-for-pool")));
    assertThat(row("load").getText()).contains("waiting for pool warehouse");
    wait.until(
        d -> String.valueOf(graph("labelOf", "load")).contains("waiting for pool warehouse"));
    assertThat(graph("titleOf", "load")).isEqualTo("waiting for pool warehouse");
    screenshot("pool-wait-run");

    // a reload reads it from the history
    browser.navigate().refresh();
    wait.until(d -> "warehouse".equals(rowAttribute("load", "data-waiting-for-pool")));

    // the slot is granted: the task is queued and waits no more
    produce(DAG, taskChanged(run, "load", TaskPhase.Pending, TaskPhase.Queued, t.plusSeconds(4)));
    wait.until(d -> "Queued".equals(rowAttribute("load", "data-phase")));
    assertThat(rowAttribute("load", "data-waiting-for-pool")).isNull();
    assertThat(row("load").getText()).doesNotContain("waiting for pool");
    wait.until(d -> "load".equals(graph("labelOf", "load")));

    browser.findElement(By.cssSelector("[data-nav=pools]")).click();
    WebElement pool =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#pool-table tr[data-pool='warehouse']")));
    assertThat(pool.getAttribute("data-slots")).isEqualTo("1");
    assertThat(pool.getAttribute("data-in-use")).isEqualTo("1");
    assertThat(pool.getAttribute("data-waiting")).isEqualTo("1");
    assertThat(pool.getText()).contains("default/other", "run-x", "query");
    screenshot("pools");

    WebElement slots = browser.findElement(By.id("slots-warehouse"));
    slots.clear();
    slots.sendKeys("3");
    browser.findElement(By.id("set-slots-warehouse")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("flash"), "Pool warehouse set to 3 slots"));

    PoolSlotsSet set = (PoolSlotsSet) readOne(TOPICS.pools(), "warehouse");
    assertThat(set.slots()).isEqualTo(3);
    assertThat(set.user()).isEqualTo("admin");
    assertThat(set.pool()).isEqualTo("warehouse");
  }

  @Test
  void aViewerSeesThePoolsButNoWayToSetTheirSlots() throws Exception {
    String admin = login("admin", PASSWORD);
    call(
        "POST",
        "/api/v1/users",
        admin,
        "{\"username\":\"vic\",\"password\":\"viewer-password\",\"role\":\"viewer\"}");
    produce(
        PoolMessage.statusKey("reporting"),
        new PoolStatus("reporting", 0, List.of(), 2, false, Instant.now()));

    browser.manage().deleteAllCookies();
    browser.get(url + "/login");
    logIn("vic", "viewer-password");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("top")));
    browser.findElement(By.cssSelector("[data-nav=pools]")).click();

    WebElement pool =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#pool-table tr[data-pool='reporting']")));
    assertThat(pool.getAttribute("data-waiting")).isEqualTo("2");
    assertThat(pool.getText()).contains("not defined");
    assertThat(browser.findElements(By.id("set-slots-reporting"))).isEmpty();
    assertThat(browser.findElements(By.id("new-pool-name"))).isEmpty();
  }

  // --- steps --------------------------------------------------------------------------------

  private static TaskPhaseChanged taskChanged(
      String run, String task, TaskPhase from, TaskPhase to, Instant at) {
    return new TaskPhaseChanged(
        run, DAG, task, 1, from, to, to == TaskPhase.Succeeded ? 0 : null, null, null, at);
  }

  private static void signIn() {
    browser.manage().deleteAllCookies();
    browser.get(url + "/login");
    logIn("admin", PASSWORD);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("top")));
  }

  private static void logIn(String user, String password) {
    WebElement name = wait.until(ExpectedConditions.elementToBeClickable(By.id("username")));
    name.clear();
    name.sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(password);
    browser.findElement(By.id("login-submit")).click();
  }

  private static void screenshot(String name) throws Exception {
    Path dir = Path.of("target", "ui-screenshots");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  private static WebElement byId(String id) {
    return browser.findElement(By.id(id));
  }

  private static WebElement row(String task) {
    return browser.findElement(By.cssSelector("#task-table tr[data-task='" + task + "']"));
  }

  private static String rowAttribute(String task, String name) {
    List<WebElement> rows =
        browser.findElements(By.cssSelector("#task-table tr[data-task='" + task + "']"));
    return rows.isEmpty() ? null : rows.get(0).getAttribute(name);
  }

  private static Object graph(String method, String task) {
    return ((JavascriptExecutor) browser)
        .executeScript(
            "return document.getElementById('run-graph').kontrolerGraph."
                + method
                + "(arguments[0])",
            task);
  }

  private static void produce(String key, Object... messages) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
      for (Object m : messages) {
        producer.send(new ProducerRecord<>(TOPICS.runEvents(), key, MessageCodec.encode(m)));
      }
      producer.flush();
    }
  }

  /** The first record of {@code topic} with {@code key}, decoded. */
  private static Object readOne(String topic, String key) throws Exception {
    Properties p = kafka.clientProperties();
    p.put("group.id", "probe-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("isolation.level", "read_committed");
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      new FluentWait<>(c)
          .withTimeout(Duration.ofSeconds(30))
          .pollingEvery(Duration.ZERO)
          .until(
              consumer -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          if (key.equals(r.key())) {
                            found.add(r);
                          }
                        });
                return !found.isEmpty();
              });
    }
    return MessageCodec.decode(found.get(0).value());
  }

  private static void ensurePoolsTopic() throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      if (!admin.listTopics().names().get().contains(TOPICS.pools())) {
        admin.createTopics(List.of(new NewTopic(TOPICS.pools(), 2, (short) 1))).all().get();
      }
    }
  }

  private static String login(String user, String password) throws Exception {
    String body =
        call(
            "POST",
            "/api/v1/auth/login",
            null,
            "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
    return body.replaceAll(".*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
  }

  private static String call(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url + path))
            .header(
                "Content-Type",
                path.equals("/api/v1/dags") ? "application/yaml" : "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isLessThan(300);
    return response.body();
  }
}
