package io.kontroler.cli.bench;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.message.Topics;
import io.kontroler.core.shape.Shapes;
import io.kontroler.executor.ExecutorConfig;
import io.kontroler.executor.ExecutorWorker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * The process workload: a fan-out 1 → n → 1 of real {@code true} processes, run by two process
 * executor workers (the real ones, in this JVM) while the no-op executor leaves the DAG to them.
 * Its floor is a shell loop starting n {@code true} processes one after another, timed in the same
 * run.
 */
final class ProcessWorkload {
  static final String DAG = "bench/process";
  private static final String GROUP = "kontroler-bench-process";
  private static final int WORKERS = 2;

  private final Bench bench;

  ProcessWorkload(Bench bench) {
    this.bench = bench;
  }

  BenchResult run(int width) {
    DagSpec spec = Shapes.fanout(width);
    bench.publishOnce(DAG, spec);
    skipEarlierLaunches();
    bench.executor().ignore(DAG);
    List<ExecutorWorker> workers = new ArrayList<>();
    Bench.Measured m;
    try {
      for (int i = 0; i < WORKERS; i++) {
        workers.add(ExecutorWorker.start(config(i)));
      }
      awaitAssigned();
      m = bench.measure("process", spec, 1);
    } finally {
      workers.forEach(ExecutorWorker::close);
      bench.executor().ignore("");
    }
    double floorMs = shellLoopMillis(width);
    Map<String, Number> f = new LinkedHashMap<>(m.figures());
    f.put("workers", (long) WORKERS);
    f.put("per_task_ms", m.wallNanos() / 1e6 / m.tasks());
    f.put("floor_per_task_ms", floorMs / width);
    return new BenchResult("process", bench.options().processingGuarantee(), f, null);
  }

  private ExecutorConfig config(int worker) {
    Map<String, String> flat = new HashMap<>();
    bench.clientProperties().forEach((k, v) -> flat.put("kafka." + k, String.valueOf(v)));
    flat.put("executor.group.id", GROUP);
    flat.put("executor.id", "bench-process-" + worker);
    flat.put("executor.data.dir", bench.dataDir().resolve("process-" + worker).toString());
    return ExecutorConfig.fromFlat(flat);
  }

  /** Starts the group at the end of the launches, so the workers never run other workloads'. */
  private void skipEarlierLaunches() {
    String launches = Topics.DEFAULT.taskLaunches();
    try (Admin admin = Admin.create(bench.clientProperties())) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < bench.options().partitions(); p++) {
        latest.put(new TopicPartition(launches, p), OffsetSpec.latest());
      }
      Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get()
          .forEach((tp, info) -> ends.put(tp, new OffsetAndMetadata(info.offset())));
      admin.alterConsumerGroupOffsets(GROUP, ends).all().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not position " + GROUP + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while positioning " + GROUP, e);
    }
  }

  private void awaitAssigned() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    try (Admin admin = Admin.create(bench.clientProperties())) {
      while (System.nanoTime() < deadline) {
        ConsumerGroupDescription d =
            admin.describeConsumerGroups(List.of(GROUP)).describedGroups().get(GROUP).get();
        if (settled(d)) {
          return;
        }
        Thread.sleep(50);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not describe " + GROUP + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + GROUP, e);
    }
    throw new IllegalStateException("Expected both process executors to join within 60 s");
  }

  /**
   * The two workers hold every partition between them, each some when there are two or more, and no
   * rebalance is under way: a worker that joins makes the group rebalance (twice, cooperatively),
   * and offsets can not be committed meanwhile, which is not what this workload measures.
   */
  private boolean settled(ConsumerGroupDescription d) {
    long assigned =
        d.members().stream()
            .map(MemberDescription::assignment)
            .mapToLong(a -> a.topicPartitions().size())
            .sum();
    long holding =
        d.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
    int partitions = bench.options().partitions();
    return d.groupState() == GroupState.STABLE
        && d.members().size() == WORKERS
        && holding == Math.min(WORKERS, partitions)
        && assigned == partitions;
  }

  /** Milliseconds a shell takes to start {@code n} {@code true} processes one after another. */
  static double shellLoopMillis(int n) {
    String loop = "i=0; while [ $i -lt " + n + " ]; do /bin/true; i=$((i+1)); done";
    try {
      long start = System.nanoTime();
      int exit = new ProcessBuilder("sh", "-c", loop).inheritIO().start().waitFor();
      long elapsed = System.nanoTime() - start;
      if (exit != 0) {
        throw new IllegalStateException("Expected the shell loop to exit 0, but it exited " + exit);
      }
      return elapsed / 1e6;
    } catch (IOException e) {
      throw new IllegalStateException("Could not start sh: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during the shell loop", e);
    }
  }
}
