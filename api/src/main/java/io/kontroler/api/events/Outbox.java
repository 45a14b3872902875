package io.kontroler.api.events;

import io.javalin.http.sse.SseClient;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is still to be sent to one event-stream client, at most {@code capacity} items. Offering
 * never blocks (the history projection offers); one writer at a time drains the queue on the
 * streams' executor, so a slow client holds only its own writer. A client whose queue is full has
 * fallen too far behind and is disconnected; it can reconnect and read the history.
 */
final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  /** An event ({@code name} set) or a comment ({@code name} null). */
  private record Item(String name, String text) {}

  private final SseClient client;
  private final BlockingQueue<Item> items;
  private final Executor writer;
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile boolean behind;

  Outbox(SseClient client, int capacity, Executor writer) {
    this.client = client;
    this.items = new ArrayBlockingQueue<>(capacity);
    this.writer = writer;
  }

  void offer(EventBus.LiveEvent event) {
    enqueue(new Item(event.name(), event.json()));
  }

  void comment(String text) {
    enqueue(new Item(null, text));
  }

  /** A keep-alive comment, unless something is queued anyway. */
  void heartbeat() {
    if (items.isEmpty()) {
      comment("keep-alive");
    }
  }

  private void enqueue(Item item) {
    if (client.terminated() || behind) {
      return;
    }
    if (!items.offer(item)) {
      // Closing may write, so the writer closes: the projection never waits for a client.
      LOG.info(
          "Disconnecting an event-stream client of {} that is {} events behind",
          client.ctx().ip(),
          items.size());
      behind = true;
      items.clear();
    }
    schedule();
  }

  private void schedule() {
    if (draining.compareAndSet(false, true)) {
      try {
        writer.execute(this::drain);
      } catch (RejectedExecutionException e) {
        draining.set(false);
        behind = true;
      }
    }
  }

  private void drain() {
    try {
      Item item;
      while (!behind && !client.terminated() && (item = items.poll()) != null) {
        if (item.name() == null) {
          client.sendComment(item.text());
        } else {
          client.sendEvent(item.name(), item.text(), null);
        }
      }
    } finally {
      draining.set(false);
    }
    if (behind || client.terminated()) {
      client.close();
    } else if (!items.isEmpty()) {
      schedule();
    }
  }
}
