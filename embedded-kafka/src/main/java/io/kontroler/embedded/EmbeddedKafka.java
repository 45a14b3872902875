package io.kontroler.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process, single-node Kafka broker in KRaft mode (one process is broker and controller), for
 * tests, the bench and {@code kontroler standalone}. Data lives in the directory given to {@link
 * #start(Path)}: starting again on the same directory resumes with the topics, offsets and
 * committed transactions of the previous run. The broker listens on localhost, on the port asked
 * for (advertised as {@code localhost:<port>}) or on a free one; the controller always on a free
 * one.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final Runnable stop;
  private final String bootstrapServers;
  private final Path dataDir;
  private boolean closed;

  private EmbeddedKafka(Runnable stop, String bootstrapServers, Path dataDir) {
    this.stop = stop;
    this.bootstrapServers = bootstrapServers;
    this.dataDir = dataDir;
  }

  /**
   * A broker that something else runs (a container, in tests that may use one), behind the same
   * handle: {@link #close()} runs {@code stop}. Its data is the runner's; {@code dataDir} is only
   * handed back by {@link #dataDir()}.
   */
  public static EmbeddedKafka runningElsewhere(
      String bootstrapServers, Path dataDir, Runnable stop) {
    return new EmbeddedKafka(stop, bootstrapServers, dataDir);
  }

  /** Starts a broker with data in {@code dataDir} (created and formatted if new). */
  public static EmbeddedKafka start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  /**
   * Starts a broker with data in {@code dataDir}; {@code overrides} replace or add broker
   * properties (for example {@code num.partitions}).
   */
  public static EmbeddedKafka start(Path dataDir, Map<String, String> overrides) {
    return start(dataDir, 0, overrides);
  }

  /**
   * Starts a broker with data in {@code dataDir} that clients reach at {@code localhost:<port>};
   * port 0 picks a free one.
   *
   * @throws PortInUse when something else listens on that port already
   */
  public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> overrides) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Expected a port in 0..65535, but got " + port);
    }
    try {
      Path logDir = dataDir.toAbsolutePath().resolve("kafka");
      Files.createDirectories(logDir);
      int brokerPort = port == 0 ? freePort() : claimablePort(port);
      int controllerPort = freePort();
      BrokerProperties properties = BrokerProperties.singleNode(logDir, brokerPort, controllerPort);
      overrides.forEach(properties::with);
      KafkaConfig config = new KafkaConfig(properties.toMap(), false);
      KraftStorage.formatIfNew(config, properties.nodeId(), Uuid.randomUuid().toString(), logDir);
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      String bootstrap = "localhost:" + brokerPort;
      Runnable stop =
          () -> {
            server.shutdown();
            server.awaitShutdown();
          };
      EmbeddedKafka kafka = new EmbeddedKafka(stop, bootstrap, dataDir);
      kafka.awaitReady(Duration.ofSeconds(60));
      LOG.info("Embedded Kafka broker ready at {} (data in {})", bootstrap, logDir);
      return kafka;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not prepare the Kafka data directory " + dataDir, e);
    }
  }

  /** The {@code bootstrap.servers} value for clients of this broker. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The directory given at start. */
  public Path dataDir() {
    return dataDir;
  }

  /** Admin/producer/consumer properties that reach this broker. */
  public Properties clientProperties() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return props;
  }

  /** Stops the broker cleanly, keeping its data. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop.run();
    LOG.info("Embedded Kafka broker at {} stopped", bootstrapServers);
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Properties props = clientProperties();
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    try (Admin admin = Admin.create(props)) {
      RuntimeException last = null;
      while (System.nanoTime() < deadline) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for the broker", e);
        } catch (Exception e) {
          last = new IllegalStateException(e.getMessage(), e);
        }
        pause();
      }
      close();
      throw new IllegalStateException("The embedded broker did not become ready", last);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the broker", e);
    }
  }

  /**
   * The broker could not listen on the port it was given: another process (another Kafka, most
   * likely) has it.
   */
  public static final class PortInUse extends IllegalStateException {
    private final int port;

    PortInUse(int port, Throwable cause) {
      super("Kafka port " + port + " on localhost is already in use", cause);
      this.port = port;
    }

    /** The port that was taken. */
    public int port() {
      return port;
    }
  }

  /**
   * {@code port}, once a listener could bind it: a taken port is found out before the controller
   * and the broker start, with an error that names it, rather than deep in the broker's startup.
   */
  private static int claimablePort(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return port;
    } catch (IOException e) {
      throw new PortInUse(port, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
