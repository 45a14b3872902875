package io.kontroler.api.webhooks;

import io.kontroler.api.dags.DagStore;
import io.kontroler.api.history.Projection;
import io.kontroler.api.http.Json;
import io.kontroler.api.runs.RunStore;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.Webhook;
import io.kontroler.core.run.RunCommand.Notification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each change of a run to its DAG's {@code webhook.url}: recorded as a delivery, POSTed
 * signed (see {@link WebhookSignature}), retried with exponential backoff until a 2xx or the last
 * attempt. {@code verifySSL: false} accepts any certificate for that DAG only.
 */
public final class Webhooks implements Projection.Listener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

  /** Events older than this are history being rebuilt (a replay into a new database): not sent. */
  static final Duration MAX_EVENT_AGE = Duration.ofHours(1);

  private final DeliveryStore deliveries;
  private final DagStore dags;
  private final RunStore runs;
  private final Clock clock;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration timeout;
  private final HttpClient verifying;
  private final HttpClient trusting;
  private final ScheduledExecutorService executor =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "kontroler-webhooks");
            t.setDaemon(true);
            return t;
          });

  public Webhooks(
      DeliveryStore deliveries,
      DagStore dags,
      RunStore runs,
      Clock clock,
      int maxAttempts,
      Duration initialBackoff,
      Duration timeout) {
    this.deliveries = deliveries;
    this.dags = dags;
    this.runs = runs;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.timeout = timeout;
    this.verifying = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.trusting =
        HttpClient.newBuilder().connectTimeout(timeout).sslContext(TrustAll.context()).build();
  }

  /** Resumes the deliveries left pending by a previous process. */
  public void start() {
    for (DeliveryStore.Delivery d : deliveries.pending()) {
      schedule(d.id(), d.nextAttemptAt());
    }
  }

  @Override
  public void applied(Notification event, Instant queuedAt) {
    Map<String, Object> payload = WebhookPayloads.of(event);
    if (payload == null
        || Duration.between(event.at(), clock.instant()).compareTo(MAX_EVENT_AGE) > 0) {
      return;
    }
    String runId = (String) payload.get("dagRunId");
    String dag = (String) payload.get("dag");
    Optional<Webhook> hook = webhookOf(dag, runId);
    if (hook.isEmpty() || hook.get().url() == null) {
      return;
    }
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    deliveries.insert(
        new DeliveryStore.Delivery(
            id,
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
            now,
            now,
            null));
    schedule(id, now);
  }

  /** The webhook of the DAG version the run uses (the latest when the run is not known). */
  private Optional<Webhook> webhookOf(String dag, String runId) {
    Optional<Integer> version =
        runs.find(runId)
            .map(RunStore.RunRow::dagVersion)
            .or(() -> dags.head(dag).map(DagStore.DagHead::latestVersion));
    return version
        .flatMap(v -> dags.version(dag, v))
        .map(DagStore.DagVersion::spec)
        .map(DagSpec::webhook);
  }

  private void schedule(String id, Instant at) {
    long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
    executor.schedule(() -> attempt(id), delay, TimeUnit.MILLISECONDS);
  }

  private void attempt(String id) {
    Optional<DeliveryStore.Delivery> found = deliveries.find(id);
    if (found.isEmpty() || !DeliveryStore.PENDING.equals(found.get().status())) {
      return;
    }
    DeliveryStore.Delivery d = found.get();
    if (!deliveries.claim(id, d.attempts())) {
      return;
    }
    Optional<String> secret = dags.head(d.dag()).map(DagStore.DagHead::webhookSecret);
    int attempts = d.attempts() + 1;
    Integer code = null;
    String error = null;
    try {
      long ts = clock.instant().getEpochSecond();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(d.url()))
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header(WebhookSignature.TIMESTAMP, String.valueOf(ts))
              .header(
                  WebhookSignature.SIGNATURE,
                  WebhookSignature.sign(secret.orElse(""), ts, d.payload()))
              .header(WebhookSignature.DELIVERY, d.id())
              .header(WebhookSignature.EVENT, d.eventType())
              .POST(HttpRequest.BodyPublishers.ofString(d.payload()))
              .build();
      HttpResponse<Void> response =
          (d.verifySsl() ? verifying : trusting)
              .send(request, HttpResponse.BodyHandlers.discarding());
      code = response.statusCode();
      if (code >= 200 && code < 300) {
        deliveries.outcome(
            id, DeliveryStore.DELIVERED, attempts, code, d.lastError(), null, clock.instant());
        return;
      }
      error = "HTTP " + code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (java.io.IOException | IllegalArgumentException e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    retryOrFail(d, attempts, code, error);
  }

  private void retryOrFail(DeliveryStore.Delivery d, int attempts, Integer code, String error) {
    Instant now = clock.instant();
    if (attempts >= maxAttempts) {
      LOG.warn("Webhook delivery {} to {} failed for good: {}", d.id(), d.url(), error);
      deliveries.outcome(d.id(), DeliveryStore.FAILED, attempts, code, error, null, now);
      return;
    }
    Duration wait = backoff(initialBackoff, attempts);
    Instant next = now.plus(wait);
    deliveries.outcome(d.id(), DeliveryStore.PENDING, attempts, code, error, next, now);
    schedule(d.id(), next);
  }

  /** The wait after attempt {@code attempts}: initial, doubled each time, at most 10 minutes. */
  static Duration backoff(Duration initial, int attempts) {
    long millis = initial.toMillis() << Math.min(20, attempts - 1);
    return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
