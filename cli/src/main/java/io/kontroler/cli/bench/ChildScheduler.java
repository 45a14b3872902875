package io.kontroler.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler in a child JVM ({@link SchedulerProcess}) with a heap limit of its own, so that what
 * the scheduler needs is measured apart from the broker and the executor of the bench. Its log goes
 * to {@code log}.
 */
final class ChildScheduler implements SchedulerHost {
  private static final Logger LOG = LoggerFactory.getLogger(ChildScheduler.class);

  private final Process process;
  private final Path log;
  private final OutputStream commands;
  private final Map<String, Integer> versions = new ConcurrentHashMap<>();
  private volatile long heapPeakMb = -1;
  private final CountDownLatch started = new CountDownLatch(1);

  ChildScheduler(Map<String, String> flatConfig, String maxHeap, Path log) {
    this.log = log;
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx" + maxHeap);
    // Out of memory is a result here, not something to limp on with.
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SchedulerProcess.class.getName());
    flatConfig.forEach((k, v) -> command.add(k + "=" + v));
    try {
      process =
          new ProcessBuilder(command)
              .redirectError(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the scheduler's JVM", e);
    }
    commands = process.getOutputStream();
    Thread reader = new Thread(this::readReports, "child-scheduler-reports");
    reader.setDaemon(true);
    reader.start();
    awaitStarted();
    LOG.info(
        "Scheduler started in a child JVM (pid {}, -Xmx{}, log {})", process.pid(), maxHeap, log);
  }

  private void awaitStarted() {
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!started.await(200, TimeUnit.MILLISECONDS)) {
        checkAlive();
        if (System.nanoTime() > deadline) {
          close();
          throw new IllegalStateException("Expected the scheduler's JVM to start within 120 s");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("Interrupted while the scheduler's JVM started", e);
    }
  }

  private void readReports() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.startsWith(SchedulerProcess.PREFIX)) {
          continue;
        }
        String[] parts = line.substring(SchedulerProcess.PREFIX.length()).split(" ");
        if (parts[0].equals("started")) {
          started.countDown();
        } else if (parts[0].equals("heap")) {
          heapPeakMb = Long.parseLong(parts[1]);
        } else if (parts[0].equals("dag") && parts.length == 3) {
          versions.put(parts[1], Integer.parseInt(parts[2]));
        }
      }
    } catch (IOException e) {
      LOG.debug("The scheduler's JVM stopped reporting: {}", e.getMessage());
    }
  }

  @Override
  public void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "The scheduler's JVM exited with " + process.exitValue() + " (see its log: " + log + ")");
    }
  }

  @Override
  public int dagVersion(String dag) {
    checkAlive();
    if (versions.putIfAbsent(dag, 0) == null) {
      send("dag " + dag);
    }
    return versions.get(dag);
  }

  @Override
  public Long heapPeakMb() {
    return heapPeakMb < 0 ? null : heapPeakMb;
  }

  @Override
  public void resetHeapPeak() {
    send("reset");
  }

  private void send(String line) {
    try {
      commands.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      commands.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("The scheduler's JVM does not listen", e);
    }
  }

  @Override
  public void close() {
    try {
      commands.close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
    }
  }
}
