package io.kontroler.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.Catalog.DagTaskPublished;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.Inbound.DagTaskSubmitted;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.shape.Shapes;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.scheduler.Scheduler;
import io.kontroler.scheduler.SchedulerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two submitters (an api and an ingest, say) submit different specs of the same DAG and DagTask at
 * the same moment, many times: the scheduler partition that owns each numbers every submission, so
 * every reader of the catalog ends with exactly one spec per version number.
 */
class VersionRaceIT {
  private static final String APP = "version-race-it";
  private static final String DAG = "it/raced";
  private static final String TASK_KEY = DagTaskSubmitted.key("it", "raced-task");
  private static final int ROUNDS = 30;

  @TempDir Path dir;

  @Test
  void twoSubmittersAtTheSameMomentEndWithOneSpecPerVersionEverywhere() throws Exception {
    try (EmbeddedKafka kafka = io.kontroler.testkafka.TestKafka.start(dir.resolve("broker"))) {
      ItSupport.createTopics(kafka);
      try (KafkaIo api = new KafkaIo(kafka);
          KafkaIo ingest = new KafkaIo(kafka);
          CatalogReader answers = new CatalogReader(api);
          Scheduler scheduler =
              Scheduler.start(
                  SchedulerConfig.fromFlat(ItSupport.config(kafka, APP, dir.resolve("state"))))) {
        CyclicBarrier sameMoment = new CyclicBarrier(2);
        ExecutorService submitters = Executors.newFixedThreadPool(2);
        try {
          Future<List<String>> fromApi =
              submitters.submit(
                  () -> submit(api, answers, sameMoment, Shapes.chain(2), dagTask("api")));
          Future<List<String>> fromIngest =
              submitters.submit(
                  () -> submit(ingest, answers, sameMoment, Shapes.fanout(2), dagTask("ingest")));
          List<String> problems = new ArrayList<>(fromApi.get(3, TimeUnit.MINUTES));
          problems.addAll(fromIngest.get(3, TimeUnit.MINUTES));
          assertThat(problems).isEmpty();
        } finally {
          submitters.shutdownNow();
        }

        List<Catalog> everything = readWholeCatalog(api);
        Map<Integer, Set<DagSpec>> dagSpecs = new TreeMap<>();
        Map<Integer, Set<DagTaskSpec>> taskSpecs = new TreeMap<>();
        for (Catalog c : everything) {
          if (c instanceof DagPublished p && p.dag().equals(DAG)) {
            dagSpecs
                .computeIfAbsent(p.version(), v -> new HashSet<>())
                .add(p.spec().versionedPart());
          } else if (c instanceof DagTaskPublished t && t.name().equals("raced-task")) {
            taskSpecs.computeIfAbsent(t.version(), v -> new HashSet<>()).add(t.spec());
          }
        }
        assertThat(dagSpecs.values()).allSatisfy(specs -> assertThat(specs).hasSize(1));
        assertThat(taskSpecs.values()).allSatisfy(specs -> assertThat(specs).hasSize(1));
        assertThat(dagSpecs.keySet()).isEqualTo(range(dagSpecs.size()));
        assertThat(taskSpecs.keySet()).isEqualTo(range(taskSpecs.size()));
        // two different specs alternate, so most rounds make a new version
        assertThat(dagSpecs.size()).isGreaterThan(ROUNDS / 2);

        int latest = Math.max(1, dagSpecs.size());
        assertThat(latestVersionTheSchedulerRuns(api)).isEqualTo(latest);
      }
    }
  }

  /** Submits ROUNDS times in step with the other submitter; returns what went wrong. */
  private static List<String> submit(
      KafkaIo io, CatalogReader answers, CyclicBarrier sameMoment, DagSpec spec, DagTaskSpec task)
      throws Exception {
    List<String> problems = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      String dagSubmission = UUID.randomUUID().toString();
      String taskSubmission = UUID.randomUUID().toString();
      sameMoment.await(30, TimeUnit.SECONDS);
      Instant now = Instant.now();
      io.send(
          ItSupport.TOPICS.commands(),
          DAG,
          new Inbound.DagSubmitted(DAG, spec, dagSubmission, now));
      io.send(
          ItSupport.TOPICS.commands(),
          TASK_KEY,
          new DagTaskSubmitted(TASK_KEY, "it", "raced-task", task, taskSubmission, now));
      DagPublished dag = (DagPublished) answers.await(dagSubmission);
      DagTaskPublished published = (DagTaskPublished) answers.await(taskSubmission);
      if (!dag.spec().equals(spec) || !published.spec().equals(task)) {
        problems.add("round " + round + ": answered with another spec than submitted");
      }
    }
    return problems;
  }

  private static List<Catalog> readWholeCatalog(KafkaIo io) {
    return io.readAll(ItSupport.TOPICS.dags(), Duration.ofSeconds(2)).stream()
        .map(Catalog.class::cast)
        .toList();
  }

  /** The version a run requested now starts on: the scheduler's own reading of the catalog. */
  private static int latestVersionTheSchedulerRuns(KafkaIo io) {
    String runId = ItSupport.request(io, DAG, "after-the-race");
    try (TestExecutor executor = new TestExecutor(io, false, Duration.ZERO)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> executor.launches().stream().anyMatch(l -> l.runId().equals(runId)));
      return executor.launches().stream()
          .filter(l -> l.runId().equals(runId))
          .map(LaunchTask::dagVersion)
          .findFirst()
          .orElseThrow();
    }
  }

  private static Set<Integer> range(int n) {
    Set<Integer> out = new HashSet<>();
    for (int i = 1; i <= n; i++) {
      out.add(i);
    }
    return out;
  }

  private static DagTaskSpec dagTask(String who) {
    return new DagTaskSpec(
        null,
        "alpine:3.20",
        List.of("sh", "-c"),
        List.of("echo " + who),
        null,
        null,
        null,
        null,
        null);
  }

  /** Reads the catalog as a submitter does, answering submissions by their id. */
  private static final class CatalogReader implements AutoCloseable {
    private final Map<String, Catalog> bySubmission = new HashMap<>();
    private final Thread thread;
    private volatile boolean open = true;

    CatalogReader(KafkaIo io) {
      thread = new Thread(() -> read(io), "catalog-reader");
      thread.start();
    }

    private void read(KafkaIo io) {
      try (var consumer = io.reader(ItSupport.TOPICS.dags())) {
        while (open) {
          for (var record : consumer.poll(Duration.ofMillis(100))) {
            Object message = KafkaIo.decode(record.value());
            String id =
                message instanceof DagPublished p
                    ? p.submissionId()
                    : message instanceof DagTaskPublished t ? t.submissionId() : null;
            if (id != null) {
              synchronized (bySubmission) {
                bySubmission.put(id, (Catalog) message);
                bySubmission.notifyAll();
              }
            }
          }
        }
      }
    }

    Catalog await(String submissionId) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      synchronized (bySubmission) {
        while (!bySubmission.containsKey(submissionId)) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new AssertionError("No answer to submission " + submissionId + " within 30 s");
          }
          bySubmission.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        }
        return bySubmission.get(submissionId);
      }
    }

    @Override
    public void close() throws InterruptedException {
      open = false;
      thread.join(10_000);
    }
  }
}
