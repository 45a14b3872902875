package io.kontroler.scheduler;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls back the open transactions of scheduler instances that left the group, as soon as the group
 * has dropped them, instead of waiting for the broker to time them out: a {@code kill -9} of an
 * instance then costs its session timeout, not its transaction timeout. Kafka's own zombie fencing
 * ({@link Admin#fenceProducers}) does it: the dead producer's epoch is bumped and its transaction
 * aborted. An instance that is alive but was dropped from the group (a long pause) is fenced the
 * same way the group already fenced it, and rejoins with a new producer.
 *
 * <p>Checked when this instance's streams start rebalancing (a member left or joined), on a thread
 * of its own; a check that fails is logged and left to the transaction timeout.
 */
final class DeadInstanceFencer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeadInstanceFencer.class);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final Admin admin;
  private final DeadInstances instances;
  private final Supplier<Collection<String>> localClientIds;
  private final ExecutorService checks =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "scheduler-dead-instance-fencer");
            t.setDaemon(true);
            return t;
          });

  DeadInstanceFencer(
      Properties adminProperties,
      String applicationId,
      Supplier<Collection<String>> localClientIds) {
    this.admin = Admin.create(adminProperties);
    this.instances = new DeadInstances(applicationId);
    this.localClientIds = localClientIds;
  }

  /** Checks in the background for dead instances' open transactions and fences them. */
  void checkSoon() {
    checks.execute(
        () -> {
          try {
            fenceDead();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            LOG.warn("Could not look for dead scheduler instances' transactions", e);
          }
        });
  }

  /** Fences the open transactions of instances not in the group; returns their ids. */
  List<String> fenceDead() throws Exception {
    List<String> open =
        admin
            .listTransactions(
                new ListTransactionsOptions()
                    .filterStates(List.of(TransactionState.ONGOING))
                    .filterOnTransactionalIdPattern(instances.transactionalIdPattern()))
            .all()
            .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .stream()
            .map(TransactionListing::transactionalId)
            .toList();
    if (open.isEmpty()) {
      return List.of();
    }
    ConsumerGroupDescription group =
        admin
            .describeConsumerGroups(List.of(instances.applicationId()))
            .describedGroups()
            .get(instances.applicationId())
            .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    List<String> members = group.members().stream().map(MemberDescription::clientId).toList();
    List<String> dead = instances.deadTransactions(open, members, localClientIds.get());
    if (!dead.isEmpty()) {
      admin.fenceProducers(dead).all().get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("Rolled back the open transactions of instances that left the group: {}", dead);
    }
    return dead;
  }

  @Override
  public void close() {
    checks.shutdownNow();
    admin.close(Duration.ofSeconds(5));
  }
}
