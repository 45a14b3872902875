package io.kontroler.cli;

import io.kontroler.cli.bench.MachineBench;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Benchmarks: the state machine alone ({@code machine-*}) and the scheduler end to end. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Run benchmarks and print one line per workload.",
      "State machine alone, in memory: machine-chain (10,000 tasks), machine-fanout (1 -> 10,000"
          + " -> 1), machine-large-10k and machine-large (100,000 tasks: layers of 100, each task"
          + " after two of the layer above)."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  @Option(
      names = "--repeats",
      defaultValue = "5",
      description = "Measured runs per workload (median).")
  int repeats;

  @Option(names = "--warmup", defaultValue = "3", description = "Unmeasured runs first.")
  int warmup;

  @Parameters(
      arity = "0..*",
      paramLabel = "WORKLOAD",
      description = "Workloads to run (default: all machine-* workloads).")
  List<String> workloads = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<String> names =
        workloads.isEmpty()
            ? List.of("machine-chain", "machine-fanout", "machine-large-10k", "machine-large")
            : workloads;
    for (String name : names) {
      MachineBench.Result r =
          switch (name) {
            case "machine-chain" ->
                MachineBench.measure(name, MachineBench.chain(10_000), warmup, repeats);
            case "machine-fanout" ->
                MachineBench.measure(name, MachineBench.fanout(10_000), warmup, repeats);
            case "machine-large-10k" ->
                MachineBench.measure(name, MachineBench.layered(10_000, 100, 7), warmup, repeats);
            case "machine-large" ->
                MachineBench.measure(name, MachineBench.layered(100_000, 100, 7), warmup, repeats);
            default -> null;
          };
      if (r == null) {
        spec.commandLine().getErr().println("unknown workload: " + name);
        return 2;
      }
      out.println(
          json
              ? String.format(
                  Locale.ROOT,
                  "{\"workload\":\"%s\",\"tasks\":%d,\"events\":%d,\"ns_per_event\":%.0f,"
                      + "\"wall_ms\":%d}",
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
    return 0;
  }
}
