package io.kontroler.cli.bench;

import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;

/**
 * The entry point of the child JVM a {@link ChildScheduler} starts: runs a scheduler with the flat
 * configuration given as {@code key=value} arguments and tells its parent on standard output, in
 * lines starting with {@link #PREFIX}, that it has started (its topics exist), the DAG versions it
 * has loaded ({@code dag <name> <version>}, for names the parent asked about with a {@code dag
 * <name>} line on standard input) and its peak heap ({@code heap <MB>}, whenever it changes; a
 * {@code reset} line starts a new peak). It stops when standard input ends.
 */
public final class SchedulerProcess {
  static final String PREFIX = "@@kontroler-bench ";

  private SchedulerProcess() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Map<String, String> flat = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      flat.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    PrintStream out = System.out;
    Map<String, Integer> asked = new ConcurrentHashMap<>();
    Scheduler started;
    try {
      started = Scheduler.start(SchedulerConfig.fromFlat(flat));
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(SchedulerProcess.class).error("The scheduler did not start", e);
      System.exit(1);
      return;
    }
    try (Scheduler scheduler = started) {
      out.println(PREFIX + "started");
      out.flush();
      Thread reporter = new Thread(() -> report(scheduler, asked, out), "heap-reporter");
      reporter.setDaemon(true);
      reporter.start();
      readCommands(System.in, asked);
    }
    System.exit(0);
  }

  private static void readCommands(InputStream in, Map<String, Integer> asked) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (c != '\n') {
        line.append((char) c);
        continue;
      }
      String command = line.toString();
      line.setLength(0);
      if (command.startsWith("dag ")) {
        asked.putIfAbsent(command.substring(4), 0);
      } else if (command.equals("reset")) {
        HeapPeak.reset();
      }
    }
  }

  private static void report(Scheduler scheduler, Map<String, Integer> asked, PrintStream out) {
    long reported = -1;
    while (true) {
      for (Map.Entry<String, Integer> e : asked.entrySet()) {
        int version;
        try {
          version = scheduler.dagVersion(e.getKey());
        } catch (IllegalStateException stopping) {
          return;
        }
        if (version != e.getValue()) {
          e.setValue(version);
          out.println(PREFIX + "dag " + e.getKey() + " " + version);
        }
      }
      long peak = HeapPeak.peakMb();
      if (peak != reported) {
        reported = peak;
        out.println(PREFIX + "heap " + peak);
      }
      out.flush();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
