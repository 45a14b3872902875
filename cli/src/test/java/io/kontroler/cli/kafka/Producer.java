package io.kontroler.cli.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A producer program run as a user runs it: one line on its standard input, then end of input. */
final class Producer {
  private Producer() {}

  /** What a finished producer said and how it exited. */
  record Outcome(int exitCode, String output) {}

  /** Runs {@code command}, feeds it {@code line}, and waits for it to exit. */
  static Outcome run(List<String> command, String line, Path log) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    try (OutputStream in = process.getOutputStream()) {
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    try {
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(command.get(0) + " did not exit: " + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted", e);
    }
    return new Outcome(process.exitValue(), Files.readString(log));
  }

  /** Kafka's console producer, its real main class, in a JVM of its own. */
  static List<String> consoleProducer(List<String> arguments) {
    String classPath = System.getProperty("surefire.test.class.path");
    if (classPath == null || classPath.isBlank()) {
      classPath = System.getProperty("java.class.path");
    }
    return concat(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m",
            "-cp",
            classPath,
            "org.apache.kafka.tools.ConsoleProducer"),
        arguments);
  }

  /** Whether {@code program} is on the PATH. */
  static boolean installed(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  static List<String> concat(List<String> a, List<String> b) {
    var all = new java.util.ArrayList<String>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
