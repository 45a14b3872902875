package io.kontroler.api.events;

import io.kontroler.api.history.Projection;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunCommand.ChildRunLinked;
import io.kontroler.core.run.RunCommand.Notification;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunCommand.RunRejected;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands each change of the run history to the live subscribers (the SSE streams). */
public final class EventBus implements Projection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

  /** One event as streamed: its name ({@code task}, {@code run}), run id and JSON text. */
  public record LiveEvent(String name, String runId, String json) {}

  /** A subscription; close it to stop receiving. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  private record Subscriber(String runId, Consumer<LiveEvent> sink) {}

  private final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();

  /** Subscribes to every event, or to those of one run when {@code runId} is not null. */
  public Subscription subscribe(String runId, Consumer<LiveEvent> sink) {
    Subscriber s = new Subscriber(runId, sink);
    subscribers.add(s);
    return () -> subscribers.remove(s);
  }

  public int subscriberCount() {
    return subscribers.size();
  }

  @Override
  public void applied(Notification event, Instant queuedAt) {
    LiveEvent live = live(event);
    for (Subscriber s : subscribers) {
      if (s.runId() == null || s.runId().equals(live.runId())) {
        try {
          s.sink().accept(live);
        } catch (RuntimeException e) {
          LOG.debug("Dropping a live subscriber that failed: {}", e.toString());
          subscribers.remove(s);
        }
      }
    }
  }

  static LiveEvent live(Notification event) {
    String json = MessageCodec.encodeToString(event);
    if (event instanceof TaskPhaseChanged t) {
      return new LiveEvent("task", t.runId(), json);
    }
    if (event instanceof RunPhaseChanged r) {
      return new LiveEvent("run", r.runId(), json);
    }
    if (event instanceof RunCommand.BackfillProgress) {
      // Of no run: only a page that follows every event sees it.
      return new LiveEvent("backfill", null, json);
    }
    if (event instanceof ChildRunLinked l) {
      // Of the parent run; a page that knows only task and run events passes it by.
      return new LiveEvent("link", l.runId(), json);
    }
    if (event instanceof RunCommand.TaskWaitingForPool w) {
      // News of a task without a phase change: a page that knows it shows the pool.
      return new LiveEvent("task", w.runId(), json);
    }
    if (event instanceof RunRejected r) {
      return new LiveEvent("run", r.runId(), json);
    }
    // A pause, an approval decision or a missed SLA: news of the run, without a phase.
    return new LiveEvent("run", RunNews.runIdOf(event), json);
  }
}
