package io.kontroler.cli.distributed;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One node (broker and controller) of a Kafka cluster whose quorum is every node, run as a process
 * of its own by {@link KafkaCluster}, so that killing it is a real crash. Arguments: {@code <node
 * id 1..n> <data dir> <cluster id> <broker ports, comma-separated> <controller ports>}. The
 * settings are io.kontroler.broker.EmbeddedKafka's for n nodes, with a production's replication:
 * factor 3, {@code min.insync.replicas} 2.
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
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      new Formatter()
          .setNodeId(nodeId)
          .setClusterId(clusterId)
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(config.metadataLogDir())
          .addDirectory(logDir.toString())
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setIgnoreFormatted(true)
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .run();
    }
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "kafka-node-shutdown"));
    server.startup();
    server.awaitShutdown();
  }

  static Map<String, Object> properties(
      int nodeId, Path logDir, List<Integer> brokerPorts, List<Integer> controllerPorts) {
    int brokerPort = brokerPorts.get(nodeId - 1);
    int controllerPort = controllerPorts.get(nodeId - 1);
    String voters =
        IntStream.range(0, controllerPorts.size())
            .mapToObj(i -> (i + 1) + "@localhost:" + controllerPorts.get(i))
            .collect(Collectors.joining(","));
    Map<String, Object> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(nodeId));
    p.put("controller.quorum.voters", voters);
    p.put(
        "listeners",
        "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "6");
    p.put("default.replication.factor", "3");
    p.put("min.insync.replicas", "2");
    p.put("offsets.topic.replication.factor", "3");
    p.put("offsets.topic.num.partitions", "6");
    p.put("transaction.state.log.replication.factor", "3");
    p.put("transaction.state.log.min.isr", "2");
    p.put("transaction.state.log.num.partitions", "6");
    p.put("share.coordinator.state.topic.replication.factor", "3");
    p.put("share.coordinator.state.topic.min.isr", "2");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    p.put("log.cleaner.threads", "1");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("num.replica.fetchers", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("transaction.max.timeout.ms", String.valueOf(TimeUnit.MINUTES.toMillis(15)));
    // The broker settings the README recommends for fast failover: a dead scheduler's open
    // transaction is aborted within a second of its timeout (default: up to 10 s later), and a
    // dead broker is fenced and its partitions led elsewhere after 3 s (default 9 s).
    p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    p.put("broker.session.timeout.ms", "3000");
    p.put("broker.heartbeat.interval.ms", "750");
    return p;
  }

  private static List<Integer> ports(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(Integer::valueOf).toList();
  }
}
