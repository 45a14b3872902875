package io.kontroler.api.kafka;

import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.PoolMessage;
import java.util.List;

/**
 * Where the api publishes: commands ({@code kontroler.commands}, keyed by DAG), catalog records
 * ({@code kontroler.dags}) and shared pools' limits ({@code kontroler.pools}, keyed by pool).
 * {@link #publish} writes a batch atomically and returns once it is acknowledged, or throws {@link
 * PublishException} with nothing of the batch visible.
 */
public interface Publisher extends AutoCloseable {

  /** Which topic a record goes to. */
  enum Topic {
    COMMANDS,
    DAGS,
    POOLS
  }

  /** One record to publish. */
  record Outgoing(Topic topic, String key, Object message) {
    public static Outgoing command(Inbound command) {
      return new Outgoing(Topic.COMMANDS, command.dag(), command);
    }

    public static Outgoing catalog(String key, Catalog record) {
      return new Outgoing(Topic.DAGS, key, record);
    }

    public static Outgoing pool(PoolMessage message) {
      return new Outgoing(Topic.POOLS, message.pool(), message);
    }
  }

  /** Publishes every record or none of them. */
  void publish(List<Outgoing> records);

  default void command(Inbound command) {
    publish(List.of(Outgoing.command(command)));
  }

  default void catalog(String key, Catalog record) {
    publish(List.of(Outgoing.catalog(key, record)));
  }

  default void pool(PoolMessage message) {
    publish(List.of(Outgoing.pool(message)));
  }

  @Override
  default void close() {}

  /** Records could not be published. */
  final class PublishException extends RuntimeException {
    public PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
