package io.kontroler.ui;

import io.kontroler.api.history.Projection;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import io.kontroler.core.run.RunIds;
import io.kontroler.core.run.RunPhase;
import io.kontroler.core.run.TaskPhase;
import io.kontroler.logstore.LogKey;
import io.kontroler.logstore.LogStore;
import io.kontroler.logstore.LogWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Plays the runs the api requests, wave by wave of the DAG, publishing the run events a scheduler
 * would (into the api's history projection) and writing each attempt's log the way an executor
 * does. A task whose name contains {@code fail} exits with code 3 (its downstream is skipped by its
 * trigger rule); a task whose name starts with {@code hold} runs until the run is cancelled; a task
 * whose name starts with {@code maybe} is skipped because its condition is false; a task whose name
 * starts with {@code list} succeeds with the outputs {@code count} and {@code items}; a task whose
 * name starts with {@code each} fans out into {@link #INSTANCES} instances ({@code each-x[0]} …)
 * that succeed with it; a task whose name starts with {@code sub} starts a child run ({@code
 * <run>-child}) that succeeds. Re-runs asked for are kept in {@link #reruns}.
 */
final class RunPlayer implements AutoCloseable {
  static final String CONDITION_FALSE = "condition false: params.env == 'prod'";
  static final Map<String, String> LIST_OUTPUTS =
      Map.of("count", "3", "items", "[\"a\",\"b\",\"c\"]");

  static final int INSTANCES = 25;

  /** The RerunTask commands received, in order. */
  final List<Inbound.RerunTask> reruns = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final Supplier<Projection> projection;
  private final LogStore logs;
  private final Duration taskTime;
  private final Map<String, Catalog.DagPublished> dags = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> cancels = new ConcurrentHashMap<>();
  private final AtomicLong seq = new AtomicLong(1_000_000);
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "run-player");
            t.setDaemon(true);
            return t;
          });

  RunPlayer(Supplier<Projection> projection, LogStore logs, Duration taskTime) {
    this.projection = projection;
    this.logs = logs;
    this.taskTime = taskTime;
  }

  void catalog(Catalog record) {
    if (record instanceof Catalog.DagPublished d) {
      dags.put(d.dag(), d);
    }
  }

  void command(Inbound command) {
    if (command instanceof Inbound.RunRequested r) {
      String runId = RunIds.forRequest(r.dag(), r.idempotencyKey());
      Catalog.DagPublished dag = dags.get(r.dag());
      CountDownLatch cancel = new CountDownLatch(1);
      cancels.put(runId, cancel);
      pool.execute(() -> new Play(runId, r.runName(), dag, cancel).run());
    } else if (command instanceof Inbound.RerunTask r) {
      reruns.add(r);
    } else if (command instanceof Inbound.CancelRun c) {
      CountDownLatch latch = cancels.get(c.runId());
      if (latch != null) {
        latch.countDown();
      }
    }
  }

  /** Stops every run still playing, as if each was cancelled. */
  void cancelAll() {
    cancels.values().forEach(CountDownLatch::countDown);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** One run, played on its own thread. */
  private final class Play {
    private final String runId;
    private final String runName;
    private final Catalog.DagPublished dag;
    private final CountDownLatch cancel;
    private final Map<String, TaskPhase> phases = new LinkedHashMap<>();

    Play(String runId, String runName, Catalog.DagPublished dag, CountDownLatch cancel) {
      this.runId = runId;
      this.runName = runName;
      this.dag = dag;
      this.cancel = cancel;
      dag.spec().task().forEach(t -> phases.put(t.name(), TaskPhase.Pending));
    }

    void run() {
      try {
        run(RunPhase.Pending, RunPhase.Running);
        boolean failed = false;
        for (List<TaskSpec> wave : waves()) {
          List<TaskSpec> runnable = new ArrayList<>();
          for (TaskSpec t : wave) {
            if (phases.get(t.name()) != TaskPhase.Pending) {
              continue;
            }
            if (t.name().startsWith("maybe")) {
              skipped(t.name(), CONDITION_FALSE);
              skipDownstream(t.name(), "Skipped");
            } else {
              runnable.add(t);
            }
          }
          for (TaskSpec t : runnable) {
            task(t.name(), TaskPhase.Pending, TaskPhase.Queued, null, null);
            task(t.name(), TaskPhase.Queued, TaskPhase.Running, null, null);
            if (t.name().startsWith("each")) {
              for (int i = 0; i < INSTANCES; i++) {
                instance(t.name() + "[" + i + "]", null, TaskPhase.Queued);
                instance(t.name() + "[" + i + "]", TaskPhase.Queued, TaskPhase.Running);
              }
            }
            if (t.name().startsWith("sub")) {
              child(t.name());
            }
          }
          if (runnable.isEmpty()) {
            continue;
          }
          if (!execute(runnable)) {
            cancelAll();
            return;
          }
          for (TaskSpec t : runnable) {
            if (t.name().contains("fail")) {
              failed = true;
              task(t.name(), TaskPhase.Running, TaskPhase.Failed, 3, FailureKind.EXITED);
              skipDownstream(t.name(), "Failed");
            } else {
              if (t.name().startsWith("each")) {
                for (int i = 0; i < INSTANCES; i++) {
                  instanceLog(t.name() + "[" + i + "]", i);
                  instance(t.name() + "[" + i + "]", TaskPhase.Running, TaskPhase.Succeeded);
                }
              }
              task(
                  t.name(),
                  TaskPhase.Running,
                  TaskPhase.Succeeded,
                  0,
                  null,
                  null,
                  t.name().startsWith("list") ? LIST_OUTPUTS : Map.of());
            }
          }
        }
        run(RunPhase.Running, failed ? RunPhase.Failed : RunPhase.Succeeded);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        if (!pool.isShutdown()) {
          throw e;
        }
      }
    }

    /** Runs a wave: writes the logs over the task time; false when the run was cancelled. */
    private boolean execute(List<TaskSpec> wave) throws InterruptedException {
      Map<String, LogWriter> writers = new HashMap<>();
      try {
        for (TaskSpec t : wave) {
          LogWriter w = logs.open(new LogKey(runId, t.name(), 1));
          w.line("task " + t.name() + " attempt 1 started, image " + t.image());
          writers.put(t.name(), w);
        }
        boolean hold = wave.stream().anyMatch(t -> t.name().startsWith("hold"));
        int steps = 5;
        for (int i = 1; i <= steps || hold; i++) {
          if (cancel.await(taskTime.toMillis() / steps, TimeUnit.MILLISECONDS)) {
            for (LogWriter w : writers.values()) {
              w.line("stopped: the run was cancelled");
            }
            return false;
          }
          for (Map.Entry<String, LogWriter> e : writers.entrySet()) {
            e.getValue().line(e.getKey() + ": step " + i);
          }
        }
        for (Map.Entry<String, LogWriter> e : writers.entrySet()) {
          e.getValue().line(e.getKey().contains("fail") ? "exiting with code 3" : "done");
        }
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        for (LogWriter w : writers.values()) {
          try {
            w.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }

    private void cancelAll() {
      for (Map.Entry<String, TaskPhase> e : new ArrayList<>(phases.entrySet())) {
        if (!e.getValue().isFinal()) {
          task(e.getKey(), e.getValue(), TaskPhase.Cancelled, null, FailureKind.KILLED);
        }
      }
      run(RunPhase.Running, RunPhase.Cancelled);
    }

    private void skipDownstream(String upstream, String outcome) {
      for (TaskSpec t : dag.spec().task()) {
        if (t.runAfter().contains(upstream) && phases.get(t.name()) == TaskPhase.Pending) {
          String why = "trigger rule allSucceeded not met: " + upstream + " " + outcome;
          skipped(t.name(), why);
          skipDownstream(t.name(), "Skipped");
        }
      }
    }

    /** The tasks by level: a task comes one wave after the last of its upstream tasks. */
    private List<List<TaskSpec>> waves() {
      Map<String, Integer> level = new HashMap<>();
      List<List<TaskSpec>> waves = new ArrayList<>();
      List<TaskSpec> left = new ArrayList<>(dag.spec().task());
      while (!left.isEmpty()) {
        List<TaskSpec> next = new ArrayList<>();
        for (TaskSpec t : left) {
          if (t.runAfter().stream().allMatch(level::containsKey)) {
            next.add(t);
          }
        }
        next.forEach(t -> level.put(t.name(), waves.size()));
        left.removeAll(next);
        waves.add(next);
      }
      return waves;
    }

    private void task(String name, TaskPhase from, TaskPhase to, Integer exit, FailureKind kind) {
      task(name, from, to, exit, kind, null, Map.of());
    }

    private void skipped(String name, String why) {
      task(name, TaskPhase.Pending, TaskPhase.Skipped, null, null, why, Map.of());
    }

    private void task(
        String name,
        TaskPhase from,
        TaskPhase to,
        Integer exit,
        FailureKind kind,
        String message,
        Map<String, String> outputs) {
      phases.put(name, to);
      projection
          .get()
          .apply(
              new TaskPhaseChanged(
                  runId, dag.dag(), name, 1, from, to, exit, kind, message, Instant.now(), outputs),
              seq.incrementAndGet());
    }

    private void instanceLog(String name, int item) {
      try (LogWriter w = logs.open(new LogKey(runId, name, 1))) {
        w.line(name + ": item " + item + " done");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void instance(String name, TaskPhase from, TaskPhase to) {
      projection
          .get()
          .apply(
              new TaskPhaseChanged(
                  runId, dag.dag(), name, 1, from, to, null, null, null, Instant.now()),
              seq.incrementAndGet());
    }

    /** The child run of a sub-DAG task: linked, then played to success at once. */
    private void child(String task) {
      String child = runId + "-child";
      Instant now = Instant.now();
      projection
          .get()
          .apply(
              new RunCommand.ChildRunLinked(runId, dag.dag(), task, 1, child, dag.dag(), now),
              seq.incrementAndGet());
      PhaseCounts none = PhaseCounts.ZERO;
      projection
          .get()
          .apply(
              new RunPhaseChanged(
                  child,
                  dag.dag(),
                  dag.version(),
                  null,
                  RunPhase.Pending,
                  RunPhase.Running,
                  none,
                  null,
                  now),
              seq.incrementAndGet());
      projection
          .get()
          .apply(
              new RunPhaseChanged(
                  child,
                  dag.dag(),
                  dag.version(),
                  null,
                  RunPhase.Running,
                  RunPhase.Succeeded,
                  none,
                  null,
                  now),
              seq.incrementAndGet());
    }

    private void run(RunPhase from, RunPhase to) {
      PhaseCounts counts = PhaseCounts.ZERO;
      for (TaskPhase p : phases.values()) {
        counts = counts.plus(p, 1);
      }
      projection
          .get()
          .apply(
              new RunPhaseChanged(
                  runId, dag.dag(), dag.version(), runName, from, to, counts, null, Instant.now()),
              seq.incrementAndGet());
    }
  }
}
