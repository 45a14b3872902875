package io.kontroler.scheduler.topology;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.run.DagPlan;
import io.kontroler.core.run.RunLimits;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Compiled plans by DAG version, shared by the stream threads of one scheduler. A DAG version never
 * changes once published, so an entry never goes stale; the cache is only bounded.
 */
public final class PlanCache {
  private final int maxEntries;
  private final Map<String, DagPlan> plans = new ConcurrentHashMap<>();
  private final RunLimits limits;

  public PlanCache(int maxEntries) {
    this(maxEntries, RunLimits.DEFAULT);
  }

  /** A cache whose plans apply {@code limits} to their runs. */
  public PlanCache(int maxEntries, RunLimits limits) {
    this.maxEntries = maxEntries;
    this.limits = limits;
  }

  /** The plan of {@code dag} at {@code version}, compiled from the loaded spec on first use. */
  DagPlan get(String dag, int version, Function<String, DagSpec> specs) {
    String key = VersionKeys.of(dag, version);
    DagPlan plan = plans.get(key);
    if (plan != null) {
      return plan;
    }
    DagSpec spec = specs.apply(key);
    if (spec == null) {
      return null;
    }
    if (plans.size() >= maxEntries) {
      plans.clear();
    }
    plan = DagPlan.of(dag, version, spec, limits);
    plans.put(key, plan);
    return plan;
  }
}
