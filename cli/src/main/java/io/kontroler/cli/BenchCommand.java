package io.kontroler.cli;

import io.kontroler.cli.bench.Bench;
import io.kontroler.cli.bench.BenchOptions;
import io.kontroler.cli.bench.BenchResult;
import io.kontroler.cli.bench.BenchSizes;
import io.kontroler.cli.bench.MachineBench;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Benchmarks: the scheduler end to end, and the state machine alone ({@code machine-*}). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Run benchmarks and print one line per workload (medians).",
      "Scheduler end to end (in-process broker, real topology, an executor that succeeds at once):"
          + " chain (200 tasks in a line; hop latency p50/mean/p99 and where a hop's time goes),"
          + " fanout (1 -> 1,000 -> 1), fanout-dynamic (the same shape, the middle one task with"
          + " forEach over 1,000 items; ratio_to_fanout when fanout ran too), diamonds (500 runs of a 4-task diamond at once), large"
          + " (10,000 tasks: 100 layers of 100, each after 2 of the layer above; heap peak and"
          + " largest changelog record), large_half (5,000 tasks, same shape), xlarge (100,000"
          + " tasks, same shape, the scheduler in a child JVM under -Xmx512m), sustained (diamond"
          + " runs requested at --rate for --duration; runs/s, latency, lag), process (1 -> 200 -> 1"
          + " real `true` processes on two process executors, against a shell loop of 200 `true`)"
          + " and floor (the broker's own produce-to-consume latency, and hop / (2 x leg)). All of"
          + " them by default; the floor line is always printed.",
      "State machine alone, in memory: machine-chain (10,000), machine-fanout (1 -> 10,000 -> 1),"
          + " machine-large-10k and machine-large (100,000 tasks, layered)."
    })
final class BenchCommand implements Callable<Integer> {
  private static final List<String> MACHINE =
      List.of("machine-chain", "machine-fanout", "machine-large-10k", "machine-large");

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  @Option(names = "--repeats", defaultValue = "3", description = "Measured runs per workload.")
  int repeats;

  @Option(names = "--warmup", defaultValue = "3", description = "Unmeasured machine-* runs.")
  int warmup;

  @Option(
      names = "--guarantee",
      defaultValue = "exactly_once_v2",
      description = "Scheduler processing guarantee: exactly_once_v2 or at_least_once.")
  String guarantee;

  @Option(names = "--partitions", defaultValue = "6", description = "Topic partitions.")
  int partitions;

  @Option(
      names = "--rate",
      defaultValue = "300",
      description = "sustained: diamond runs requested per second.")
  int rate;

  @Option(
      names = "--duration",
      defaultValue = "60",
      description = "sustained: seconds of requests.")
  int durationSeconds;

  @Option(
      names = "--tiny",
      description = "Every workload at a tiny size, to check that the bench works.")
  boolean tiny;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A scheduler configuration key for the bench's scheduler, e.g."
              + " streams.producer.retry.backoff.ms=1 (repeatable).")
  Map<String, String> schedulerOverrides = new LinkedHashMap<>();

  @Option(
      names = "--broker",
      paramLabel = "KEY=VALUE",
      description =
          "A property of the bench's in-process broker, or feature.<name>=<level> for a feature"
              + " level, e.g. feature.transaction.version=1 (repeatable).")
  Map<String, String> brokerOverrides = new LinkedHashMap<>();

  @Parameters(arity = "0..*", paramLabel = "WORKLOAD", description = "Workloads to run.")
  List<String> workloads = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<String> names = new ArrayList<>(workloads.isEmpty() ? Bench.WORKLOADS : workloads);
    List<String> scheduler = new ArrayList<>();
    for (String name : names) {
      if (MACHINE.contains(name)) {
        print(out, machine(name));
      } else if (Bench.WORKLOADS.contains(name)) {
        scheduler.add(name);
      } else {
        spec.commandLine().getErr().println("unknown workload: " + name);
        return 2;
      }
    }
    if (!scheduler.isEmpty()) {
      if (!scheduler.contains("floor")) {
        scheduler.add("floor");
      }
      for (BenchResult r : Bench.runAll(options(), scheduler)) {
        out.println(json ? r.toJson() : r.toText());
        out.flush();
      }
    }
    return 0;
  }

  /** The scheduler bench's options these flags stand for. */
  BenchOptions options() {
    return BenchOptions.defaults()
        .withProcessingGuarantee(guarantee)
        .withRepetitions(repeats)
        .withPartitions(partitions)
        .withSizes(tiny ? BenchSizes.TINY : BenchSizes.STANDARD)
        .withLoad(rate, Duration.ofSeconds(durationSeconds))
        .withSchedulerOverrides(schedulerOverrides)
        .withBrokerOverrides(brokerOverrides);
  }

  private MachineBench.Result machine(String name) {
    return switch (name) {
      case "machine-chain" ->
          MachineBench.measure(name, MachineBench.chain(10_000), warmup, repeats);
      case "machine-fanout" ->
          MachineBench.measure(name, MachineBench.fanout(10_000), warmup, repeats);
      case "machine-large-10k" ->
          MachineBench.measure(name, MachineBench.layered(10_000, 100, 7), warmup, repeats);
      default -> MachineBench.measure(name, MachineBench.layered(100_000, 100, 7), warmup, repeats);
    };
  }

  private void print(PrintWriter out, MachineBench.Result r) {
    out.println(
        json
            ? String.format(
                Locale.ROOT,
                "{\"workload\":\"%s\",\"tasks\":%d,\"events\":%d,\"ns_per_event\":%.0f,\"wall_ms\":%d}",
                r.workload(),
                r.tasks(),
                r.events(),
                r.nsPerEvent(),
                r.wallMs())
            : String.format(
                Locale.ROOT,
                "%-18s %7d tasks %8d events %8.0f ns/event %6d ms",
                r.workload(),
                r.tasks(),
                r.events(),
                r.nsPerEvent(),
                r.wallMs()));
    out.flush();
  }
}
