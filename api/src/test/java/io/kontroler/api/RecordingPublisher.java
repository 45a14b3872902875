package io.kontroler.api;

import io.kontroler.api.kafka.Publisher;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.PoolMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A publisher that keeps what it was given, and can be told to fail like an unreachable broker.
 * With a {@link FakeScheduler} and a catalog reader it also answers DAG and DagTask submissions as
 * the scheduler does: the answer is kept in {@link #catalog} (what kontroler.dags would hold) and
 * handed to the reader.
 */
final class RecordingPublisher implements Publisher {
  final List<Inbound> commands = new CopyOnWriteArrayList<>();
  final List<Catalog> catalog = new CopyOnWriteArrayList<>();
  final List<String> catalogKeys = new CopyOnWriteArrayList<>();
  final List<PoolMessage> pools = new CopyOnWriteArrayList<>();
  final List<String> poolKeys = new CopyOnWriteArrayList<>();
  volatile boolean failing;
  volatile boolean schedulerSilent;
  private volatile FakeScheduler scheduler;
  private volatile Consumer<Catalog> reader;

  /** Answers submissions with {@code fake}, read back by {@code catalogReader}. */
  void answerWith(FakeScheduler fake, Consumer<Catalog> catalogReader) {
    this.scheduler = fake;
    this.reader = catalogReader;
  }

  @Override
  public void publish(List<Outgoing> records) {
    check();
    for (Outgoing r : records) {
      if (r.topic() == Topic.COMMANDS) {
        commands.add((Inbound) r.message());
      } else if (r.topic() == Topic.POOLS) {
        pools.add((PoolMessage) r.message());
        poolKeys.add(r.key());
      } else {
        catalog.add((Catalog) r.message());
        catalogKeys.add(r.key());
      }
    }
    for (Outgoing r : records) {
      if (r.topic() == Topic.COMMANDS && scheduler != null && !schedulerSilent) {
        scheduler.answer((Inbound) r.message()).ifPresent(this::published);
      }
    }
  }

  private void published(Catalog record) {
    catalog.add(record);
    catalogKeys.add(FakeScheduler.key(record));
    reader.accept(record);
  }

  private void check() {
    if (failing) {
      throw new PublishException("broker unreachable", new IllegalStateException("test"));
    }
  }

  <T> List<T> commandsOf(Class<T> type) {
    return commands.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T> List<T> catalogOf(Class<T> type) {
    return catalog.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
