package io.kontroler.cli.bench;

import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the bench from the test class path, for measuring during development: {@code BenchMain
 * [exactly_once_v2|at_least_once] [repetitions] [workload…]}. The product's entry point is {@code
 * kontroler bench}.
 */
public final class BenchMain {
  private static final Logger LOG = LoggerFactory.getLogger(BenchMain.class);

  private BenchMain() {}

  public static void main(String[] args) {
    BenchOptions options = BenchOptions.defaults();
    if (args.length > 0) {
      options = options.withProcessingGuarantee(args[0]);
    }
    if (args.length > 1) {
      options = options.withRepetitions(Integer.parseInt(args[1]));
    }
    java.util.Map<String, String> overrides = new java.util.HashMap<>();
    System.getProperties()
        .forEach(
            (k, v) -> {
              if (k.toString().startsWith("scheduler.") || k.toString().startsWith("streams.")) {
                overrides.put(k.toString(), v.toString());
              }
            });
    options =
        options.withSchedulerOverrides(overrides).withWarmUp(!Boolean.getBoolean("bench.noWarmUp"));
    List<String> workloads =
        args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.of();
    for (BenchResult r : Bench.runAll(options, workloads)) {
      LOG.info("RESULT {}", r.toJson());
    }
  }
}
