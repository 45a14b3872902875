package io.kontroler.api.pools;

import io.kontroler.api.kafka.Publisher;
import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.message.PoolMessage.PoolSlotsSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pools of {@code api.pools}, declared with the api (the chart's {@code pools} value): each is
 * published once as a {@link PoolSlotsSet} by {@value #USER} when the api starts, in one batch. As
 * the supervised loop {@value #LOOP} it retries until Kafka takes the batch, so that the api starts
 * while Kafka is still coming up; then it idles. A number set later through the API or the CLI
 * holds until the api starts again.
 */
public final class PoolDefinitions {
  public static final String LOOP = "pool-definitions";

  /** Who {@link PoolSlotsSet#user()} says set the declared pools. */
  public static final String USER = "api.pools";

  private static final Logger LOG = LoggerFactory.getLogger(PoolDefinitions.class);

  private final Map<String, Integer> pools;
  private final Publisher publisher;
  private final Clock clock;
  private volatile boolean published;

  public PoolDefinitions(Map<String, Integer> pools, Publisher publisher, Clock clock) {
    this.pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    this.publisher = publisher;
    this.clock = clock;
  }

  /** The supervised loop; not started. */
  public SupervisedLoop loop() {
    return new SupervisedLoop(LOOP, Session::new);
  }

  /** Whether the declared pools were published. */
  public boolean published() {
    return published;
  }

  private final class Session implements SupervisedLoop.Session {
    private final CountDownLatch woken = new CountDownLatch(1);

    @Override
    public void step() throws InterruptedException {
      if (published) {
        woken.await(1, TimeUnit.SECONDS);
        return;
      }
      Instant now = clock.instant();
      List<Publisher.Outgoing> sets =
          pools.entrySet().stream()
              .map(
                  e ->
                      Publisher.Outgoing.pool(
                          new PoolSlotsSet(e.getKey(), e.getValue(), USER, now)))
              .toList();
      publisher.publish(sets);
      published = true;
      LOG.info("Declared the shared pools {}", pools);
    }

    @Override
    public void wakeup() {
      woken.countDown();
    }
  }
}
