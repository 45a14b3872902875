package io.kontroler.testkafka;

import io.kontroler.embedded.EmbeddedKafka;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The one place the integration tests get their Kafka broker from, as {@link KafkaChoice} decides:
 * the official {@code apache/kafka} image (the same version as the clients) in a container, or the
 * in-process broker. Either way the test holds an {@link EmbeddedKafka} handle: {@code
 * bootstrapServers()} to reach it, {@code close()} to stop it.
 */
public final class TestKafka {
  private static final Logger LOG = LoggerFactory.getLogger(TestKafka.class);

  private TestKafka() {}

  /** A broker for a test, with data (when in-process) in {@code dataDir}. */
  public static EmbeddedKafka start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  /** A broker for a test with some broker properties replaced or added. */
  public static EmbeddedKafka start(Path dataDir, Map<String, String> overrides) {
    KafkaChoice choice = KafkaChoice.decide(System.getenv(), TestKafka::dockerAnswers);
    return switch (choice) {
      case IN_PROCESS -> EmbeddedKafka.start(dataDir, overrides);
      case TESTCONTAINERS -> container(dataDir, overrides);
    };
  }

  /**
   * Whether a Docker engine answers. Testcontainers is asked only where an engine may be (a socket
   * or a configured host): where none can be, its search logs errors in every test's output.
   */
  static boolean dockerAnswers() {
    Path home = Path.of(System.getProperty("user.home"));
    String runtimeDir = System.getenv().getOrDefault("XDG_RUNTIME_DIR", "/nonexistent");
    boolean mayBe =
        !System.getenv().getOrDefault("DOCKER_HOST", "").isBlank()
            || Files.exists(Path.of("/var/run/docker.sock"))
            || Files.exists(Path.of(runtimeDir, "docker.sock"))
            || Files.exists(home.resolve(".docker/run/docker.sock"))
            || Files.exists(home.resolve(".docker/desktop/docker.sock"))
            || Files.exists(home.resolve(".testcontainers.properties"));
    return mayBe && DockerClientFactory.instance().isDockerAvailable();
  }

  private static EmbeddedKafka container(Path dataDir, Map<String, String> overrides) {
    KafkaContainer container = new KafkaContainer(image());
    overrides.forEach((key, value) -> container.withEnv(environmentName(key), value));
    container.start();
    LOG.info("Kafka {} in a container at {}", image(), container.getBootstrapServers());
    return EmbeddedKafka.runningElsewhere(
        container.getBootstrapServers(), dataDir, container::stop);
  }

  /**
   * The variable through which the {@code apache/kafka} image takes broker property {@code key}:
   * {@code _} doubled, {@code -} tripled, {@code .} as {@code _}, upper case, after {@code KAFKA_}.
   */
  static String environmentName(String key) {
    return "KAFKA_"
        + key.replace("_", "__").replace("-", "___").replace(".", "_").toUpperCase(Locale.ROOT);
  }

  /**
   * {@code apache/kafka:<the clients' version>}, unless {@code KONTROLER_TEST_KAFKA_IMAGE} says.
   */
  static String image() {
    String asked = System.getenv("KONTROLER_TEST_KAFKA_IMAGE");
    if (asked != null && !asked.isBlank()) {
      return asked;
    }
    try (InputStream in = TestKafka.class.getResourceAsStream("/kontroler-test-kafka.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("image");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read kontroler-test-kafka.properties", e);
    }
  }
}
