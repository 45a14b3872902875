package io.kontroler.executor.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.logstore.LogStore;
import io.kontroler.logstore.LogWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the task container's log of each attempt into the log store: followed live while the pod
 * runs, then, once the attempt ended, read in full and whatever the follow missed appended (a
 * follow stream can break, and an attempt may end before it is seen running).
 */
final class PodLogs {
  private static final Logger LOG = LoggerFactory.getLogger(PodLogs.class);
  private static final long FOLLOW_END_SECONDS = 10;

  private final KubernetesClient client;
  private final LogStore logs;
  private final ExecutorService pool;
  private final Map<AttemptId, Follow> follows = new ConcurrentHashMap<>();
  private final Set<AttemptId> completed = ConcurrentHashMap.newKeySet();

  PodLogs(KubernetesClient client, LogStore logs, ExecutorService pool) {
    this.client = client;
    this.logs = logs;
    this.pool = pool;
  }

  /** Starts following the pod's log, once per attempt. */
  void follow(AttemptId id, String namespace, String pod) {
    if (completed.contains(id) || follows.containsKey(id)) {
      return;
    }
    Follow follow = new Follow();
    follows.put(id, follow);
    pool.execute(() -> follow.start(id, namespace, pod));
  }

  /**
   * The attempt ended: finish its log, from the pod {@code pod} (null when there is none), then run
   * {@code stored} if the log was stored (not when copying it failed).
   */
  void complete(AttemptId id, String namespace, String pod, Runnable stored) {
    if (!completed.add(id)) {
      return;
    }
    Follow follow = follows.remove(id);
    pool.execute(
        () -> {
          if (finish(id, namespace, pod, follow)) {
            stored.run();
          }
        });
  }

  /** Forgets the attempt. */
  void forget(AttemptId id) {
    completed.remove(id);
    Follow follow = follows.remove(id);
    if (follow != null) {
      follow.stop();
    }
  }

  /** Whether the log is stored. */
  private boolean finish(AttemptId id, String namespace, String pod, Follow follow) {
    try {
      if (follow != null) {
        follow.awaitStarted();
        if (pod != null) {
          follow.awaitEnd();
        }
        follow.stop();
      }
      // The follow (if any) wrote a prefix of the container's log: append the rest of it.
      LogWriter writer =
          follow != null && follow.writer != null ? follow.writer : logs.open(id.logKey());
      try (writer) {
        if (pod == null) {
          if (writer.size() == 0) {
            writer.line("[kontroler] no log: the attempt ended without a pod");
          }
          return true;
        }
        String text =
            client
                .pods()
                .inNamespace(namespace)
                .withName(pod)
                .inContainer(JobSpecs.CONTAINER)
                .getLog();
        byte[] bytes = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        int copied = (int) Math.min(writer.size(), bytes.length);
        writer.write(bytes, copied, bytes.length - copied);
      }
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Could not copy the log of {} from pod {}: {}; its Job stays without a TTL",
          id,
          pod,
          e.getMessage());
      return false;
    }
  }

  /** A live copy of one pod's log. */
  private final class Follow {
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile LogWriter writer;
    private volatile LogWatch watch;

    void start(AttemptId id, String namespace, String pod) {
      try {
        writer = logs.open(id.logKey());
        watch =
            client
                .pods()
                .inNamespace(namespace)
                .withName(pod)
                .inContainer(JobSpecs.CONTAINER)
                .watchLog(new Appender(writer));
      } catch (IOException | RuntimeException e) {
        LOG.debug("Could not follow the log of {}: {}", id, e.getMessage());
      } finally {
        started.countDown();
      }
    }

    /** Waits for {@link #start} to have run, so that the writer is known. */
    void awaitStarted() {
      try {
        started.await(FOLLOW_END_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Waits a little for the stream to end by itself, as it does when the container exits. */
    void awaitEnd() {
      LogWatch current = watch;
      if (current == null) {
        return;
      }
      try {
        current.onClose().toCompletableFuture().get(FOLLOW_END_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.debug("The log stream did not end by itself: {}", e.toString());
      }
    }

    void stop() {
      LogWatch current = watch;
      if (current != null) {
        current.close();
      }
    }
  }

  /** Writes to a log without finishing it when the stream is closed. */
  private static final class Appender extends OutputStream {
    private final LogWriter writer;

    Appender(LogWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(int b) throws IOException {
      writer.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      writer.write(b, off, len);
    }
  }
}
