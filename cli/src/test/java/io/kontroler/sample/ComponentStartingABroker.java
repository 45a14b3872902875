package io.kontroler.sample;

import io.kontroler.embedded.EmbeddedKafka;
import java.nio.file.Path;

/**
 * A component outside the cli that starts the in-process broker, as no production class may: the
 * sample that the architecture rule must reject.
 */
public final class ComponentStartingABroker {
  private ComponentStartingABroker() {}

  public static String start(Path dataDir) {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir)) {
      return kafka.bootstrapServers();
    }
  }
}
