package io.kontroler.ingest;

import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.DeadLetter;
import io.kontroler.core.message.Inbound;
import io.kontroler.ingest.catalog.CatalogView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An outbox that keeps what was published, in order; thread-safe. With a {@link CatalogView} to
 * answer into, a {@link FakeCatalogOwner} plays the scheduler: submissions are answered with the
 * published record, which lands in {@link #catalog()} (as on {@code kontroler.dags}) and in the
 * view (as the ingest's follower of that topic would apply it).
 */
public final class InMemoryOutbox implements Outbox {
  private final List<Inbound> commands = new ArrayList<>();
  private final List<Map.Entry<String, Catalog>> catalog = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final FakeCatalogOwner scheduler = new FakeCatalogOwner();
  private final CatalogView answerInto;

  public InMemoryOutbox() {
    this(null);
  }

  public InMemoryOutbox(CatalogView answerInto) {
    this.answerInto = answerInto;
  }

  @Override
  public void command(Inbound command) {
    synchronized (this) {
      commands.add(command);
    }
    if (answerInto != null) {
      scheduler
          .answer(command, Instant.now())
          .ifPresent(
              answer -> {
                synchronized (this) {
                  catalog.add(Map.entry(FakeCatalogOwner.key(answer), answer));
                }
                answerInto.apply(answer);
              });
    }
  }

  @Override
  public synchronized void catalog(String key, Catalog record) {
    catalog.add(Map.entry(key, record));
    scheduler.saw(record);
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
