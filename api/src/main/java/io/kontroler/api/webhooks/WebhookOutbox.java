package io.kontroler.api.webhooks;

import io.kontroler.api.dags.DagStore;
import io.kontroler.api.history.Projection;
import io.kontroler.api.http.Json;
import io.kontroler.api.runs.RunStore;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.Webhook;
import io.kontroler.core.run.RunCommand.Notification;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Writes a pending delivery for each change of a run whose DAG has a {@code webhook.url}, in the
 * transaction that records the change; {@link Webhooks} sends what is pending.
 */
public final class WebhookOutbox implements Projection.Outbox {
  /** Events older than this are history being rebuilt (a replay into a new database): not sent. */
  static final Duration MAX_EVENT_AGE = Duration.ofHours(1);

  private final Clock clock;
  private final Supplier<String> ids;

  public WebhookOutbox(Clock clock) {
    this(clock, () -> UUID.randomUUID().toString());
  }

  WebhookOutbox(Clock clock, Supplier<String> ids) {
    this.clock = clock;
    this.ids = ids;
  }

  @Override
  public void write(Connection c, Notification event) throws SQLException {
    Map<String, Object> payload = WebhookPayloads.of(event);
    Instant now = clock.instant();
    if (payload == null || Duration.between(event.at(), now).compareTo(MAX_EVENT_AGE) > 0) {
      return;
    }
    String runId = (String) payload.get("dagRunId");
    String dag = (String) payload.get("dag");
    Optional<Webhook> hook = webhookOf(c, dag, runId);
    if (hook.isEmpty() || hook.get().url() == null) {
      return;
    }
    DeliveryStore.insert(
        c,
        new DeliveryStore.Delivery(
            ids.get(),
            dag,
            runId,
            (String) payload.get("type"),
            hook.get().url(),
            hook.get().verifySSL(),
            Json.write(payload),
            DeliveryStore.PENDING,
            0,
            null,
            null,
            null,
            now,
            now,
            null));
  }

  /** The webhook of the DAG version the run uses (the latest when the run is not known). */
  private static Optional<Webhook> webhookOf(Connection c, String dag, String runId)
      throws SQLException {
    Optional<Integer> version = RunStore.dagVersion(c, runId);
    if (version.isEmpty()) {
      version = DagStore.head(c, dag).map(DagStore.DagHead::latestVersion);
    }
    if (version.isEmpty()) {
      return Optional.empty();
    }
    int wanted = version.get();
    return DagStore.versions(c, dag).stream()
        .filter(v -> v.version() == wanted)
        .findFirst()
        .map(DagStore.DagVersion::spec)
        .map(DagSpec::webhook);
  }
}
