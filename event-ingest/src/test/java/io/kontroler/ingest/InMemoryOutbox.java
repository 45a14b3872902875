package io.kontroler.ingest;

import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.Inbound;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An outbox that keeps what was published, in order; thread-safe. */
public final class InMemoryOutbox implements Outbox {
  private final List<Inbound> commands = new ArrayList<>();
  private final List<Map.Entry<String, Catalog>> catalog = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();

  @Override
  public synchronized void command(Inbound command) {
    commands.add(command);
  }

  @Override
  public synchronized void catalog(String key, Catalog record) {
    catalog.add(Map.entry(key, record));
  }

  @Override
  public synchronized void deadLetter(String key, DeadLetter letter) {
    deadLetters.add(letter);
  }

  public synchronized List<Inbound> commands() {
    return List.copyOf(commands);
  }

  public synchronized <T extends Inbound> List<T> commands(Class<T> type) {
    return commands.stream().filter(type::isInstance).map(type::cast).toList();
  }

  public synchronized List<Catalog> catalog() {
    return catalog.stream().map(Map.Entry::getValue).toList();
  }

  public synchronized <T extends Catalog> List<T> catalog(Class<T> type) {
    return catalog().stream().filter(type::isInstance).map(type::cast).toList();
  }

  public synchronized List<DeadLetter> deadLetters() {
    return List.copyOf(deadLetters);
  }
}
