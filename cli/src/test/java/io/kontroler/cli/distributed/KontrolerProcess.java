package io.kontroler.cli.distributed;

import static org.awaitility.Awaitility.await;

import io.kontroler.cli.Main;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.TerminalFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kontroler server component ({@code kontroler scheduler} or {@code kontroler executor}) in a
 * JVM of its own, configured with {@code --set} keys, healthy once its {@code /health} answers 200.
 */
final class KontrolerProcess {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static final Logger LOG = LoggerFactory.getLogger(KontrolerProcess.class);
  private static final int MAX_STARTS = 3;

  private final String name;
  private final String command;
  private final Map<String, String> settings;
  private final Path log;
  private final int healthPort;
  private JavaProcess process;

  private KontrolerProcess(String name, String command, Map<String, String> settings, Path log) {
    this.name = name;
    this.command = command;
    this.healthPort = KafkaCluster.freePorts(1).get(0);
    this.settings = new LinkedHashMap<>(settings);
    this.settings.put("health.port", String.valueOf(healthPort));
    this.log = log;
  }

  /** Starts {@code kontroler <command>} with {@code settings}; does not wait for it. */
  static KontrolerProcess start(
      String name, String command, Map<String, String> settings, Path logDir) {
    KontrolerProcess p =
        new KontrolerProcess(name, command, settings, logDir.resolve(name + ".log"));
    p.launch();
    return p;
  }

  private void launch() {
    List<String> args = new ArrayList<>();
    args.add(command);
    settings.forEach(
        (k, v) -> {
          args.add("--set");
          args.add(k + "=" + v);
        });
    process = JavaProcess.start(name, log, Map.of(), Main.class.getName(), args);
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Processes it started that are still running (for an executor: its tasks). */
  long children() {
    return ProcessHandle.of(process.pid()).map(h -> h.descendants().count()).orElse(0L);
  }

  void kill9() {
    process.kill9();
  }

  /** Starts it again with the same settings and data, as a restarted pod. */
  void restart() {
    if (!process.isAlive()) {
      launch();
    }
  }

  void stop() {
    process.stop();
  }

  boolean healthy() {
    try {
      HttpResponse<Void> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits until it answers healthy; if it exits meanwhile, it is started again, as Kubernetes
   * restarts a crashed container (a start can fail on a machine too busy to answer in time).
   */
  void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int start = 1; ; start++) {
      Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1));
      try {
        await(name + " healthy (log: " + log + ")")
            .atMost(left)
            .pollInterval(Duration.ofMillis(250))
            .failFast(name + " exited (log: " + log + ")", () -> !process.isAlive())
            .until(this::healthy);
        return;
      } catch (TerminalFailureException e) {
        if (start == MAX_STARTS) {
          throw e;
        }
        LOG.warn("{} exited while starting; starting it again", name);
        launch();
      }
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
