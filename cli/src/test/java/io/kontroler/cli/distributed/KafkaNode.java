package io.kontroler.cli.distributed;

import io.kontroler.embedded.BrokerProperties;
import io.kontroler.embedded.KraftStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * One node (broker and controller) of a Kafka cluster whose quorum is every node, run as a process
 * of its own by {@link KafkaCluster}, so that killing it is a real crash. Arguments: {@code <node
 * id 1..n> <data dir> <cluster id> <broker ports, comma-separated> <controller ports>}. The
 * settings are {@link BrokerProperties}', as for io.kontroler.embedded.EmbeddedKafka, with a
 * production's replication: factor 3, {@code min.insync.replicas} 2.
 */
public final class KafkaNode {
  private KafkaNode() {}

  public static void main(String[] args) throws Exception {
    int nodeId = Integer.parseInt(args[0]);
    Path logDir = Path.of(args[1]).toAbsolutePath();
    String clusterId = args[2];
    List<Integer> brokerPorts = ports(args[3]);
    List<Integer> controllerPorts = ports(args[4]);
    Files.createDirectories(logDir);
    KafkaConfig config =
        new KafkaConfig(properties(nodeId, logDir, brokerPorts, controllerPorts), false);
    KraftStorage.formatIfNew(config, nodeId, clusterId, logDir);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "kafka-node-shutdown"));
    server.startup();
    server.awaitShutdown();
  }

  static Map<String, Object> properties(
      int nodeId, Path logDir, List<Integer> brokerPorts, List<Integer> controllerPorts) {
    return BrokerProperties.clusterNode(nodeId, logDir, brokerPorts, controllerPorts)
        .replication(3, 2)
        .partitions(6, 6)
        .ioThreads(2)
        .autoCreateTopics(false)
        .with("num.replica.fetchers", "1")
        // The broker settings the README recommends for fast failover: a dead producer's open
        // transaction that no survivor fenced is aborted within a second of its timeout (default:
        // up to 10 s later); a dead broker is fenced and its partitions led elsewhere after 2 s
        // (default 9 s); a dead controller is replaced after about 1 s (default 2–3 s); and group
        // members may ask for 3 s sessions (default floor 6 s).
        .with("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
        .with("broker.session.timeout.ms", "2000")
        .with("broker.heartbeat.interval.ms", "500")
        .with("controller.quorum.fetch.timeout.ms", "1000")
        .with("controller.quorum.election.timeout.ms", "500")
        .with("group.min.session.timeout.ms", "3000")
        .toMap();
  }

  private static List<Integer> ports(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(Integer::valueOf).toList();
  }
}
