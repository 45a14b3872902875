package io.kontroler.cli.distributed;

import static org.awaitility.Awaitility.await;

import io.kontroler.broker.TopicSetup;
import io.kontroler.core.message.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * Three Kafka nodes, each a {@link KafkaNode} process; every one is a broker and a voter of the
 * controller quorum. A node is killed with {@code kill -9} and restarted on its own data and ports.
 */
final class KafkaCluster implements AutoCloseable {
  static final int NODES = 3;

  private final Path dataDir;
  private final Path logDir;
  private final String clusterId = Uuid.randomUuid().toString();
  private final List<Integer> brokerPorts;
  private final List<Integer> controllerPorts;
  private final Map<Integer, JavaProcess> nodes = new HashMap<>();
  private Admin admin;

  private KafkaCluster(Path dataDir, Path logDir) {
    this.dataDir = dataDir;
    this.logDir = logDir;
    this.brokerPorts = freePorts(NODES);
    this.controllerPorts = freePorts(NODES);
  }

  /** Starts every node and waits until all of them are brokers of the cluster. */
  static KafkaCluster start(Path dataDir, Path logDir) {
    KafkaCluster cluster = new KafkaCluster(dataDir, logDir);
    for (int id = 1; id <= NODES; id++) {
      cluster.startNode(id);
    }
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    cluster.admin = Admin.create(props);
    cluster.awaitAllBrokers();
    cluster.finalizeTransactionVersion();
    return cluster;
  }

  /**
   * The transaction protocol the cluster runs ({@code -Dkontroler.it.transaction.version}, else the
   * version Kontroler's broker storage formats with, 1): lets the same faults be measured under
   * both.
   */
  private void finalizeTransactionVersion() {
    String version = System.getProperty("kontroler.it.transaction.version");
    if (version == null || version.isBlank()) {
      return;
    }
    short level = Short.parseShort(version);
    try {
      admin
          .updateFeatures(
              Map.of(
                  "transaction.version",
                  new FeatureUpdate(
                      level,
                      level >= 2
                          ? FeatureUpdate.UpgradeType.UPGRADE
                          : FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
              new UpdateFeaturesOptions())
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Could not set transaction.version " + version, e);
    }
  }

  String bootstrapServers() {
    return brokerPorts.stream().map(p -> "localhost:" + p).collect(Collectors.joining(","));
  }

  /** Kontroler's topics: {@code partitions} each, replicated to every node. */
  void createTopics(Topics topics, int partitions) {
    TopicSetup.ensureTopics(admin, topics, partitions, (short) NODES);
  }

  /** The node that leads the most partitions, of every topic including Kafka's own. */
  int leaderOfMostPartitions() {
    return leadership().entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .orElseThrow()
        .getKey();
  }

  /** How many partitions each node leads. */
  Map<Integer, Long> leadership() {
    return partitions().stream()
        .filter(p -> p.leader() != null)
        .collect(Collectors.groupingBy(p -> p.leader().id(), Collectors.counting()));
  }

  void kill9(int nodeId) {
    nodes.get(nodeId).kill9();
  }

  boolean isRunning(int nodeId) {
    return nodes.get(nodeId).isAlive();
  }

  /** Starts every node that is not running, and waits until every partition is fully in sync. */
  void heal() {
    for (int id = 1; id <= NODES; id++) {
      if (!nodes.get(id).isAlive()) {
        startNode(id);
      }
    }
    awaitAllBrokers();
    await("every partition back in sync on all " + NODES + " nodes")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> partitions().stream().allMatch(p -> p.isr().size() == NODES));
  }

  private void startNode(int id) {
    String name = "kafka-" + id;
    nodes.put(
        id,
        JavaProcess.start(
            name,
            logDir.resolve(name + ".log"),
            Map.of(),
            KafkaNode.class.getName(),
            List.of(
                String.valueOf(id),
                dataDir.resolve(name).toString(),
                clusterId,
                join(brokerPorts),
                join(controllerPorts))));
  }

  private void awaitAllBrokers() {
    await("all " + NODES + " Kafka nodes in the cluster")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> brokers().size() == NODES);
  }

  private Collection<Node> brokers() throws Exception {
    return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
  }

  private List<TopicPartitionInfo> partitions() {
    try {
      Set<String> names =
          admin
              .listTopics(new ListTopicsOptions().listInternal(true))
              .names()
              .get(10, TimeUnit.SECONDS);
      Map<String, TopicDescription> topics =
          admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
      List<TopicPartitionInfo> all = new ArrayList<>();
      topics.values().stream()
          .sorted(Comparator.comparing(TopicDescription::name))
          .forEach(t -> all.addAll(t.partitions()));
      return all;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("Could not describe the topics: " + e.getMessage(), e);
    }
  }

  private static String join(List<Integer> ports) {
    return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** Free ports now; a node keeps its ports across restarts, as a broker keeps its address. */
  static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 0, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // the port was found; closing it is all that is left
        }
      }
    }
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    nodes.values().forEach(JavaProcess::stop);
  }
}
