package io.kontroler.cli.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own, started from this test's class path, its output in a log file, so that {@code
 * kill -9} ends it as a crash ends a pod. Small heaps and a quick JIT: eight JVMs share two cores.
 */
final class JavaProcess {
  private static final List<String> JVM_OPTIONS =
      List.of("-Xms32m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final OpenOption[] APPEND = {StandardOpenOption.CREATE, StandardOpenOption.APPEND};

  /** Every process started, killed when the test JVM ends however it ends. */
  private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> STARTED.forEach(Process::destroyForcibly), "java-process-reaper"));
  }

  private final String name;
  private final Process process;
  private final Path log;

  private JavaProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Runs {@code mainClass} with {@code args}; output appended to {@code log}. */
  static JavaProcess start(
      String name, Path log, Map<String, String> env, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.add("-cp");
    command.add(classPath());
    command.add(mainClass);
    command.addAll(args);
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "=== " + name + ": " + String.join(" ", args) + "\n", APPEND);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().keySet().removeIf(k -> k.startsWith("KONTROLER_"));
      builder.environment().putAll(env);
      Process process = builder.start();
      STARTED.add(process);
      return new JavaProcess(name, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + name, e);
    }
  }

  /**
   * The class path of this test: failsafe hands its forked JVM a manifest-only jar, and names the
   * real class path in {@code surefire.test.class.path}.
   */
  static String classPath() {
    String path = System.getProperty("surefire.test.class.path");
    if (path == null || path.isBlank()) {
      path = System.getProperty("java.class.path");
    }
    return path;
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** {@code kill -9}: no shutdown hook, no goodbye to the group or the quorum. */
  void kill9() {
    process.destroyForcibly();
    awaitExit(30);
  }

  /** SIGTERM, as Kubernetes stops a pod; killed if it is not gone within 30 s. */
  void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!awaitExit(30)) {
      kill9();
    }
  }

  private boolean awaitExit(int seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
