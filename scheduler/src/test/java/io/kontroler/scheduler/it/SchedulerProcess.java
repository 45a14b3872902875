package io.kontroler.scheduler.it;

import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A scheduler in a process of its own, so that a test can kill it without a clean shutdown. Args: a
 * file to create once the scheduler runs, then {@code key=value} configuration.
 */
public final class SchedulerProcess {
  private SchedulerProcess() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Map<String, String> config = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      config.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    Scheduler scheduler = Scheduler.start(SchedulerConfig.fromFlat(config));
    Files.writeString(Path.of(args[0]), "running");
    Thread.currentThread().join();
    scheduler.close();
  }

  /** Starts a scheduler process with {@code config}; it has started once {@code ready} exists. */
  static Process launch(Path ready, Map<String, String> config) throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    var command = new java.util.ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(classpath);
    command.add(SchedulerProcess.class.getName());
    command.add(ready.toString());
    config.forEach((k, v) -> command.add(k + "=" + v));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ready.resolveSibling(ready.getFileName() + ".log").toFile())
        .start();
  }
}
