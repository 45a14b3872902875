package io.kontroler.executor.process;

import io.kontroler.core.run.FailureKind;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.PhaseInfo;
import io.kontroler.logstore.LogWriter;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running process of an attempt: its output goes to the log, its exit becomes a phase. */
final class ProcessAttempt {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessAttempt.class);

  /** How long output may still arrive after the process exited (from children holding the pipe). */
  private static final long DRAIN_SECONDS = 2;

  private final AttemptId id;
  private final Process process;
  private final LogWriter log;
  private final Instant startedAt;
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private volatile FailureKind stopReason;
  private volatile PhaseInfo result;

  ProcessAttempt(AttemptId id, Process process, LogWriter log, Instant startedAt) {
    this.id = id;
    this.process = process;
    this.log = log;
    this.startedAt = startedAt;
  }

  /**
   * Starts copying output to the log; {@code onEnd} gets the phase the exit says once the process
   * ended and its log is closed, and returns the final phase (with the attempt's outputs), which
   * {@link #phase()} shows from then on.
   */
  void watch(UnaryOperator<PhaseInfo> onEnd) {
    Thread pump = new Thread(this::copyOutput, "kontroler-log-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    process.onExit().thenRun(() -> end(onEnd)).whenComplete((ok, error) -> finished.complete(null));
  }

  /** Completes once the attempt has its final phase and its log is closed. */
  CompletableFuture<Void> finished() {
    return finished;
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  /** Marks why the process is being stopped, before it is signalled; the first reason wins. */
  synchronized boolean markStopped(FailureKind reason) {
    if (stopReason != null || result != null) {
      return false;
    }
    stopReason = reason;
    return true;
  }

  PhaseInfo phase() {
    PhaseInfo done = result;
    return done != null ? done : PhaseInfo.running(startedAt);
  }

  boolean isRunning() {
    return result == null;
  }

  private void copyOutput() {
    byte[] buffer = new byte[8192];
    try (InputStream out = process.getInputStream()) {
      int n;
      while ((n = out.read(buffer)) >= 0) {
        log.write(buffer, 0, n);
      }
    } catch (IOException e) {
      LOG.debug("Output of {} ended: {}", id, e.getMessage());
    } finally {
      drained.complete(null);
    }
  }

  private void end(UnaryOperator<PhaseInfo> onEnd) {
    try {
      drained.get(DRAIN_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      closeQuietly(); // a child kept the pipe open: stop copying, the attempt is over
    } catch (Exception e) {
      LOG.debug("Waiting for the output of {}: {}", id, e.toString());
    }
    int exit = process.exitValue();
    Instant now = Instant.now();
    FailureKind reason = stopReason;
    PhaseInfo phase;
    if (reason == FailureKind.TIMED_OUT) {
      phase = PhaseInfo.failed(reason, exit, "deadline exceeded", now);
    } else if (reason == FailureKind.LOST) {
      phase = PhaseInfo.failed(reason, exit, "lost: the executor stopped", now);
    } else if (reason != null) {
      phase = PhaseInfo.failed(reason, exit, "killed", now);
    } else if (exit == 0) {
      phase = PhaseInfo.succeeded(now);
    } else {
      phase = PhaseInfo.failed(FailureKind.EXITED, exit, "exit code " + exit, now);
    }
    try {
      if (reason != null) {
        log.line("[kontroler] " + stopLine(reason));
      }
      log.close();
    } catch (IOException e) {
      LOG.warn("Could not finish the log of {}: {}", id, e.getMessage());
    }
    PhaseInfo last = phase;
    try {
      last = onEnd.apply(phase);
    } finally {
      synchronized (this) {
        result = last;
      }
    }
  }

  private static String stopLine(FailureKind reason) {
    return switch (reason) {
      case TIMED_OUT -> "timed out";
      case LOST -> "stopped with the executor: the attempt will run again";
      default -> "killed";
    };
  }

  private void closeQuietly() {
    try {
      process.getInputStream().close();
    } catch (IOException e) {
      LOG.debug("Closing the output of {}: {}", id, e.getMessage());
    }
  }
}
