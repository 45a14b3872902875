package io.kontroler.executor.process;

import io.kontroler.core.run.ContainerSpec;
import io.kontroler.core.run.EnvVar;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.executor.backend.Adoptable;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.Phase;
import io.kontroler.executor.backend.PhaseInfo;
import io.kontroler.executor.backend.TaskBackend;
import io.kontroler.executor.backend.TaskOutputs;
import io.kontroler.logstore.LogStore;
import io.kontroler.logstore.LogWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs attempts as processes on this host: the embedded default. {@code command} and {@code args}
 * run directly, a {@code script} through {@code sh -c}; parameters are environment variables
 * (secret ones resolved at launch through {@link SecretSource}); output goes to the log store as it
 * comes; {@code activeDeadlineSeconds} is enforced; a kill ends the whole process tree. The task's
 * image is ignored, with a warning line in its log. Each run works in its own directory, outside
 * the data directory, with a clean environment and, when Kontroler runs as root, as an unprivileged
 * user that can not read the data directory ({@link TaskIsolation}). Each attempt writes its
 * declared outputs to an empty folder of its own, named by {@code KONTROLER_OUTPUTS} ({@link
 * OutputsFolder}), read after exit 0 under the rules of {@link TaskOutputs}.
 *
 * <p>Processes run in their own session, so that a Ctrl-C meant for Kontroler does not reach them.
 * Every attempt taken on is kept in a journal on disk until its outcome is published: closing the
 * backend stops what runs as LOST, and a backend started on the same data directory reports what
 * the journal still holds, an outcome not yet published or the attempt as LOST (after stopping a
 * process a crashed executor left running), so that the scheduler runs it again.
 */
public final class ProcessBackend implements TaskBackend {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessBackend.class);

  /** Runs a command in a new session, away from the terminal's signals, where available. */
  private static final List<String> SESSION_LEADER =
      Stream.of("/usr/bin/setsid", "/bin/setsid")
          .filter(p -> Files.isExecutable(Path.of(p)))
          .findFirst()
          .map(List::of)
          .orElse(List.of());

  private final ProcessSettings settings;
  private final TaskIsolation isolation;
  private final LogStore logs;
  private final Map<AttemptId, ProcessAttempt> running = new ConcurrentHashMap<>();
  private final Map<AttemptId, PhaseInfo> ended = new ConcurrentHashMap<>();
  private final Set<AttemptId> recovered = ConcurrentHashMap.newKeySet();

  /** The partition of the launches topic each attempt taken here was read from. */
  private final Map<AttemptId, Integer> partitions = new ConcurrentHashMap<>();

  private final AttemptJournal journal;
  private final ScheduledExecutorService timer;
  private volatile Consumer<AttemptId> listener = id -> {};

  public ProcessBackend(ProcessSettings settings, LogStore logs) {
    this(settings, TaskIsolation.detect(settings.user()), logs);
  }

  ProcessBackend(ProcessSettings settings, TaskIsolation isolation, LogStore logs) {
    this.settings = settings;
    this.isolation = isolation;
    this.logs = logs;
    isolation.secure(settings.dataDir(), settings.workRoot());
    if (isolation.separated()) {
      LOG.info("Process backend: {}, in {}", isolation.describe(), settings.workRoot());
    } else {
      LOG.warn("Process backend: {}", isolation.warning());
    }
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kontroler-process-timer");
              t.setDaemon(true);
              return t;
            });
    this.journal = AttemptJournal.open(settings.journal());
    recover();
  }

  /** Takes back what an earlier backend on this data directory left unreported. */
  private void recover() {
    for (AttemptJournal.Entry entry : journal.takeOver()) {
      PhaseInfo outcome = entry.outcome();
      if (outcome == null || !outcome.isTerminal()) {
        stopLeftover(entry);
        outcome =
            PhaseInfo.failed(
                FailureKind.LOST,
                null,
                "lost: the executor stopped while the attempt ran",
                Instant.now());
      }
      ended.put(entry.id(), outcome);
      recovered.add(entry.id());
      LOG.info("Attempt {} left by an earlier executor: {}", entry.id(), outcome);
    }
  }

  private void stopLeftover(AttemptJournal.Entry entry) {
    if (entry.pid() == null) {
      return;
    }
    ProcessHandle.of(entry.pid())
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().startInstant().map(s -> s.equals(entry.processStart())).orElse(false))
        .ifPresent(
            p -> {
              LOG.warn(
                  "Stopping process {} of {}, left running by an earlier executor",
                  p.pid(),
                  entry.id());
              ProcessTree.terminate(p, settings.killGrace(), timer);
            });
  }

  @Override
  public PhaseInfo start(LaunchTask launch, int partition) {
    AttemptId id = AttemptId.of(launch);
    PhaseInfo known = known(id);
    if (known != null) {
      return known;
    }
    journal.taken(id);
    partitions.put(id, partition);
    if (settings.maxProcesses() > 0 && activeCount() >= settings.maxProcesses()) {
      return PhaseInfo.notReady(
          "Expected a free process slot, but all " + settings.maxProcesses() + " are busy");
    }
    ContainerSpec container = launch.container();
    List<String> commandLine = commandLine(container);
    if (commandLine.isEmpty()) {
      return refuse(
          id,
          "the task has no command or script; the process backend cannot run an"
              + " image's entrypoint");
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container.env()) {
      if (var.isSecret()) {
        Optional<String> value = settings.secrets().resolve(var.secretName(), var.name());
        if (value.isEmpty()) {
          return refuse(id, "secret '" + var.secretName() + "' has no key '" + var.name() + "'");
        }
        env.put(var.name(), value.get());
      } else {
        env.put(var.name(), var.value() == null ? "" : var.value());
      }
    }
    return launch(id, launch, commandLine, env);
  }

  private PhaseInfo launch(
      AttemptId id, LaunchTask launch, List<String> commandLine, Map<String, String> env) {
    ContainerSpec container = launch.container();
    LogWriter log = null;
    try {
      Path dir = runDirectory(id.runId());
      log = logs.open(id.logKey());
      if (container.image() != null && !container.image().isBlank()) {
        log.line(
            "[kontroler] image '"
                + container.image()
                + "' ignored: the process backend runs the command on this host");
      }
      isolation.own(dir);
      OutputsFolder outputs = OutputsFolder.create(dir, id, isolation);
      List<String> line = new ArrayList<>(SESSION_LEADER);
      line.addAll(isolation.wrap(commandLine));
      ProcessBuilder builder = new ProcessBuilder(line).directory(dir.toFile());
      builder.redirectErrorStream(true);
      builder.environment().clear(); // nothing of Kontroler's own environment
      builder.environment().putAll(isolation.baseEnvironment(dir));
      builder.environment().putAll(env);
      builder.environment().put(TaskOutputs.ENV, outputs.path().toString());
      Process process = builder.start();
      ProcessAttempt attempt = new ProcessAttempt(id, process, log, Instant.now());
      running.put(id, attempt);
      journal.running(id, process.toHandle());
      attempt.watch(phase -> ended(id, attempt, withOutputs(phase, outputs, container.outputs())));
      Long deadline = container.podTemplate().activeDeadlineSeconds();
      if (deadline != null && deadline > 0) {
        timer.schedule(() -> stop(id, FailureKind.TIMED_OUT), deadline, TimeUnit.SECONDS);
      }
      LOG.info("Started {} as process {}", id, process.pid());
      return attempt.phase();
    } catch (IOException | UncheckedIOException e) {
      if (log != null) {
        try {
          log.line("[kontroler] could not start: " + e.getMessage());
          log.close();
        } catch (IOException logFailure) {
          e.addSuppressed(logFailure);
        }
      }
      return refuse(id, "could not start the process: " + e.getMessage());
    }
  }

  private PhaseInfo refuse(AttemptId id, String message) {
    LOG.warn("Attempt {} did not start: {}", id, message);
    PhaseInfo phase = PhaseInfo.failed(FailureKind.NEVER_STARTED, null, message, Instant.now());
    journal.ended(id, phase);
    ended.put(id, phase);
    return phase;
  }

  /** A success becomes one with the declared outputs, or a failure when they break the rules. */
  private static PhaseInfo withOutputs(
      PhaseInfo phase, OutputsFolder outputs, List<String> declared) {
    if (phase.phase() != Phase.Succeeded) {
      return phase;
    }
    return outputs.read(declared, phase.at());
  }

  /** Journals the outcome first, so that nothing sees it ended before the journal has it. */
  private PhaseInfo ended(AttemptId id, ProcessAttempt attempt, PhaseInfo phase) {
    try {
      journal.ended(id, phase);
    } catch (UncheckedIOException e) {
      LOG.warn("Could not record the outcome of {}: {}", id, e.getMessage());
    }
    ended.put(id, phase);
    running.remove(id, attempt);
    LOG.info("Attempt {} ended: {}", id, phase);
    listener.accept(id);
    return phase;
  }

  static List<String> commandLine(ContainerSpec container) {
    List<String> line = new ArrayList<>();
    if (container.script() != null && !container.script().isBlank()) {
      line.add("sh");
      line.add("-c");
      line.add(container.script());
      if (!container.args().isEmpty()) {
        line.add("sh"); // $0, so that args are $1, $2 … as in sh -c script sh args…
        line.addAll(container.args());
      }
      return line;
    }
    if (container.command() == null || container.command().isEmpty()) {
      return line;
    }
    line.addAll(container.command());
    line.addAll(container.args());
    return line;
  }

  private Path runDirectory(String runId) throws IOException {
    return Files.createDirectories(runFolder(runId));
  }

  private Path runFolder(String runId) throws IOException {
    Path root = settings.workRoot().toAbsolutePath().normalize();
    Path dir = root.resolve(runId).normalize();
    if (!dir.getParent().equals(root)) {
      throw new IOException("Expected a run id that names a folder, but got '" + runId + "'");
    }
    return dir;
  }

  private PhaseInfo known(AttemptId id) {
    ProcessAttempt attempt = running.get(id);
    if (attempt != null) {
      return attempt.phase();
    }
    return ended.get(id);
  }

  @Override
  public PhaseInfo check(AttemptId id) {
    PhaseInfo known = known(id);
    if (known != null) {
      return known;
    }
    return PhaseInfo.failed(
        FailureKind.LOST, null, "no process of this attempt on this worker", Instant.now());
  }

  @Override
  public void kill(AttemptId id, String reason) {
    if (stop(id, FailureKind.KILLED)) {
      LOG.info("Killing {}: {}", id, reason);
    }
  }

  private boolean stop(AttemptId id, FailureKind why) {
    ProcessAttempt attempt = running.get(id);
    if (attempt == null || !attempt.markStopped(why)) {
      return false;
    }
    ProcessTree.terminate(attempt.handle(), settings.killGrace(), timer);
    return true;
  }

  @Override
  public void finish(AttemptId id) {
    ended.remove(id);
    recovered.remove(id);
    partitions.remove(id);
    journal.forget(id);
  }

  @Override
  public void release(String dag, String runId) {
    try {
      Path dir = runFolder(runId);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> paths = Files.walk(dir)) {
          paths
              .sorted((a, b) -> b.getNameCount() - a.getNameCount())
              .forEach(p -> p.toFile().delete());
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not delete the work folder of run {}: {}", runId, e.getMessage());
    }
  }

  @Override
  public List<Adoptable> adopt(Predicate<Adoptable> owns) {
    // What an earlier backend left is reported by whichever worker takes it over.
    Stream<Adoptable> taken =
        running.keySet().stream()
            .map(id -> new Adoptable(id, partitions.getOrDefault(id, Adoptable.UNKNOWN)))
            .filter(owns);
    Stream<Adoptable> left =
        recovered.stream()
            .filter(id -> !running.containsKey(id))
            .map(id -> new Adoptable(id, Adoptable.UNKNOWN));
    return Stream.concat(taken, left).toList();
  }

  /** Who tasks run as and what they can reach. */
  public TaskIsolation isolation() {
    return isolation;
  }

  /** Attempts with a live process. */
  public int activeCount() {
    return (int) running.values().stream().filter(ProcessAttempt::isRunning).count();
  }

  @Override
  public void onChange(Consumer<AttemptId> listener) {
    this.listener = listener;
  }

  /**
   * Stops every process still running as LOST; the journal keeps them for the next backend on this
   * data directory to report.
   */
  @Override
  public void close() {
    List<ProcessAttempt> stopping = List.copyOf(running.values());
    for (AttemptId id : List.copyOf(running.keySet())) {
      stop(id, FailureKind.LOST);
    }
    try {
      CompletableFuture.allOf(
              stopping.stream().map(ProcessAttempt::finished).toArray(CompletableFuture[]::new))
          .get(settings.killGrace().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Processes still stopping at close: {}", e.toString());
    }
    journal.close();
    timer.schedule(timer::shutdown, settings.killGrace().toMillis() + 100, TimeUnit.MILLISECONDS);
  }
}
