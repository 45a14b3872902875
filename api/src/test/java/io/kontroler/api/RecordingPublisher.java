package io.kontroler.api;

import io.kontroler.api.kafka.Publisher;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Inbound;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A publisher that keeps what it was given, and can be told to fail like an unreachable broker. */
final class RecordingPublisher implements Publisher {
  final List<Inbound> commands = new CopyOnWriteArrayList<>();
  final List<Catalog> catalog = new CopyOnWriteArrayList<>();
  final List<String> catalogKeys = new CopyOnWriteArrayList<>();
  volatile boolean failing;

  @Override
  public void publish(List<Outgoing> records) {
    check();
    for (Outgoing r : records) {
      if (r.topic() == Topic.COMMANDS) {
        commands.add((Inbound) r.message());
      } else {
        catalog.add((Catalog) r.message());
        catalogKeys.add(r.key());
      }
    }
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
