package io.kontroler.cli.server;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Started components, closed in reverse order of start; a JVM shutdown hook (Ctrl-C, SIGTERM)
 * closes them and releases {@link #awaitShutdown()}.
 */
public final class Lifecycle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  public <T extends AutoCloseable> T add(T component) {
    started.push(component);
    return component;
  }

  /** Closes everything when the JVM is asked to stop. */
  public Lifecycle closeOnShutdown() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "kontroler-shutdown"));
    return this;
  }

  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  @Override
  public synchronized void close() {
    while (!started.isEmpty()) {
      AutoCloseable component = started.pop();
      try {
        component.close();
      } catch (Exception e) {
        LOG.warn("Stopping {} failed", component.getClass().getSimpleName(), e);
      }
    }
    stopped.countDown();
  }
}
