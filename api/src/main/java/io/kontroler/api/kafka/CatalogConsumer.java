package io.kontroler.api.kafka;

import io.kontroler.api.dags.CatalogProjection;
import io.kontroler.broker.loop.ConsumerSession;
import io.kontroler.broker.loop.Positions;
import io.kontroler.broker.loop.SupervisedLoop;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.CatalogAssembly;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the whole of {@code kontroler.dags} (no group: every replica reads every partition from the
 * start) into the api's DAG tables, and so answers the api's own submissions: the scheduler's
 * DagPublished carries the submission id. The parts of a split DAG version are joined before the
 * projection sees the version.
 *
 * <p>Runs as the supervised loop {@value #LOOP}. The position reached in each partition outlives a
 * failed session, so a consumer opened again after a failure goes on where the last one stopped
 * instead of reading the catalog again from the start.
 */
public final class CatalogConsumer {
  public static final String LOOP = "catalog";
  private static final Logger LOG = LoggerFactory.getLogger(CatalogConsumer.class);

  private final Properties properties;
  private final String topic;
  private final CatalogProjection projection;
  private final Positions positions = new Positions();
  // Like the positions, outlives a failed session: parts read before it wait for their head.
  private final CatalogAssembly assembly = new CatalogAssembly();

  public CatalogConsumer(Properties clientProperties, String topic, CatalogProjection projection) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kontroler-api-catalog");
    this.properties = p;
    this.topic = topic;
    this.projection = projection;
  }

  /** The supervised loop; not started. */
  public SupervisedLoop loop() {
    return new SupervisedLoop(LOOP, Session::new);
  }

  /** One consumer assigned to every partition of the catalog. */
  private final class Session extends ConsumerSession {
    private boolean assigned;

    Session() {
      super(properties);
    }

    @Override
    public void step() throws InterruptedException {
      if (!assigned) {
        assigned = assign();
        return;
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
        apply(r);
        positions.handled(r);
      }
    }

    private boolean assign() throws InterruptedException {
      if (positions.assignAll(consumer, topic, Duration.ofSeconds(1)).isEmpty()) {
        LOG.debug("Waiting for topic {} to exist", topic);
        // partitionsFor answers at once for a topic the broker does not know; ask twice a second
        Thread.sleep(500);
        return false;
      }
      return true;
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
      if (r.value() == null) {
        return;
      }
      Catalog record;
      try {
        record = MessageCodec.decode(r.value(), Catalog.class);
      } catch (InvalidMessageException e) {
        LOG.warn("Skipping catalog record {}@{}: {}", r.key(), r.offset(), e.getMessage());
        return;
      }
      assembly.accept(record).ifPresent(projection::apply);
    }
  }
}
