package io.kontroler.api.webhooks;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import io.kontroler.api.dags.DagStore;
import io.kontroler.api.history.Projection;
import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.run.RunCommand.Notification;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the pending webhook deliveries ({@link WebhookOutbox} writes them): POSTed signed (see
 * {@link WebhookSignature}) to a checked address ({@link WebhookTargets}), retried with exponential
 * backoff until a 2xx or the last attempt. A crash after sending and before recording the outcome
 * sends the delivery again, with the same delivery id, so receivers drop what they have seen.
 *
 * <p>The supervised loop {@value #LOOP} finds due deliveries and hands them to one lane per target
 * URL; a URL's deliveries go one after another in its lane, and a slow or silent receiver only
 * holds its own lane, never the others (up to {@code lanes} URLs at a time).
 */
public final class Webhooks implements Projection.Listener, AutoCloseable {
  public static final String LOOP = "webhooks";
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
  private static final Exception FAILED_ATTEMPT = new Exception("the delivery failed");
  private static final Duration SCAN_EVERY = Duration.ofMillis(250);
  private static final int SCAN_LIMIT = 500;

  private final DeliveryStore deliveries;
  private final DagStore dags;
  private final Clock clock;
  private final RetryPolicy<Object> retries;
  private final WebhookClient client;
  private final ExecutorService lanes;
  private final Set<String> busy = ConcurrentHashMap.newKeySet();
  private final Semaphore wake = new Semaphore(0);

  /**
   * @param lanes target URLs served at the same time
   */
  public Webhooks(
      DeliveryStore deliveries,
      DagStore dags,
      Clock clock,
      int maxAttempts,
      Duration initialBackoff,
      Duration timeout,
      WebhookTargets targets,
      int lanes) {
    this.deliveries = deliveries;
    this.dags = dags;
    this.clock = clock;
    this.retries = retries(initialBackoff, maxAttempts);
    this.client = new WebhookClient(targets, WebhookClient::systemResolver, timeout);
    this.lanes =
        new ThreadPoolExecutor(
            lanes,
            lanes,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "kontroler-webhooks");
              t.setDaemon(true);
              return t;
            });
  }

  /** The sender's supervised loop; not started. */
  public SupervisedLoop loop() {
    return new SupervisedLoop(LOOP, () -> this::scan);
  }

  /**
   * A history change may have written deliveries: look for them now rather than at the next scan.
   */
  @Override
  public void applied(Notification event, Instant queuedAt) {
    wake.release();
  }

  /** One turn of the loop: waits for a change or the scan interval, then dispatches what is due. */
  private void scan() throws InterruptedException {
    if (wake.tryAcquire(SCAN_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
      wake.drainPermits();
    }
    Map<String, List<DeliveryStore.Delivery>> byUrl = new LinkedHashMap<>();
    for (DeliveryStore.Delivery d : deliveries.due(clock.instant(), SCAN_LIMIT)) {
      byUrl.computeIfAbsent(d.url(), u -> new ArrayList<>()).add(d);
    }
    byUrl.forEach(
        (url, due) -> {
          if (busy.add(url)) {
            lanes.execute(() -> serve(url, due));
          }
        });
  }

  /** One lane's turn: the URL's due deliveries in order. */
  private void serve(String url, List<DeliveryStore.Delivery> due) {
    try {
      for (DeliveryStore.Delivery d : due) {
        attempt(d);
      }
    } catch (RuntimeException e) {
      // e.g. the database went away: the deliveries stay pending and the next scan takes them
      LOG.warn("Webhook deliveries to {} stopped: {}", url, e.toString());
    } finally {
      busy.remove(url);
      wake.release();
    }
  }

  private void attempt(DeliveryStore.Delivery d) {
    if (!deliveries.claim(d.id(), d.attempts(), clock.instant())) {
      return;
    }
    String secret = dags.head(d.dag()).map(DagStore.DagHead::webhookSecret).orElse("");
    int attempts = d.attempts() + 1;
    long ts = clock.instant().getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put(WebhookSignature.TIMESTAMP, String.valueOf(ts));
    headers.put(WebhookSignature.DELIVERY, d.id());
    headers.put(WebhookSignature.EVENT, d.eventType());
    headers.put(
        WebhookSignature.SIGNATURE,
        WebhookSignature.sign(secret, ts, d.id(), d.eventType(), d.payload()));
    try {
      WebhookClient.Answer answer =
          client.post(
              URI.create(d.url()),
              headers,
              d.payload().getBytes(StandardCharsets.UTF_8),
              d.verifySsl());
      if (answer.status() >= 200 && answer.status() < 300) {
        deliveries.outcome(
            d.id(),
            DeliveryStore.DELIVERED,
            attempts,
            answer.status(),
            null,
            answer.body(),
            null,
            clock.instant());
        return;
      }
      retryOrFail(d, attempts, answer.status(), "HTTP " + answer.status(), answer.body());
    } catch (WebhookTargets.RefusedException e) {
      LOG.warn("Webhook delivery {} refused: {}", d.id(), e.getMessage());
      deliveries.outcome(
          d.id(),
          DeliveryStore.FAILED,
          attempts,
          null,
          "refused: " + e.getMessage(),
          null,
          null,
          clock.instant());
    } catch (IOException | IllegalArgumentException e) {
      retryOrFail(d, attempts, null, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
    }
  }

  private void retryOrFail(
      DeliveryStore.Delivery d, int attempts, Integer code, String error, String body) {
    Instant now = clock.instant();
    Optional<Duration> wait = nextDelay(retries, attempts);
    if (wait.isEmpty()) {
      LOG.warn("Webhook delivery {} to {} failed for good: {}", d.id(), d.url(), error);
      deliveries.outcome(d.id(), DeliveryStore.FAILED, attempts, code, error, body, null, now);
      return;
    }
    Instant next = now.plus(wait.get());
    deliveries.outcome(d.id(), DeliveryStore.PENDING, attempts, code, error, body, next, now);
  }

  /**
   * The retry policy of deliveries: {@code maxAttempts} attempts (-1: no limit), waiting {@code
   * initial} after the first failure, doubled after each one, at most 10 minutes.
   */
  static RetryPolicy<Object> retries(Duration initial, int maxAttempts) {
    RetryPolicyBuilder<Object> policy = RetryPolicy.builder().withMaxAttempts(maxAttempts);
    if (initial.compareTo(MAX_BACKOFF) >= 0) {
      policy.withDelay(MAX_BACKOFF);
    } else if (!initial.isNegative() && !initial.isZero()) {
      policy.withBackoff(initial, MAX_BACKOFF);
    }
    return policy.build();
  }

  /**
   * The wait before the next attempt after {@code failed} failed ones, or empty when the policy
   * gives up. The attempts are counted in the database, so the policy is asked afresh each time.
   */
  static Optional<Duration> nextDelay(RetryPolicy<Object> policy, int failed) {
    Execution<Object> execution = Execution.of(policy);
    for (int i = 0; i < failed && !execution.isComplete(); i++) {
      execution.recordException(FAILED_ATTEMPT);
    }
    return execution.isComplete() ? Optional.empty() : Optional.of(execution.getDelay());
  }

  /** The wait after attempt {@code attempts} when attempts are not limited. */
  static Duration backoff(Duration initial, int attempts) {
    return nextDelay(retries(initial, -1), attempts).orElseThrow();
  }

  @Override
  public void close() {
    lanes.shutdownNow();
  }
}
