package io.kontroler.cli.distributed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/**
 * The DAGs of the test: {@link #LAYERS} layers (10, or {@code -Dkontroler.it.layers}) of two tasks,
 * each task after both of the layer before (20 tasks, at most two running at once in a run), every
 * task writing to the {@link Ledger}. Their names are chosen so that each partition of the
 * scheduler owns the same number of them: a fault of one partition's owner hits a known share of
 * the runs.
 */
final class LedgerDags {
  static final int LAYERS = Integer.getInteger("kontroler.it.layers", 10);
  static final String NAMESPACE = "default";

  private LedgerDags() {}

  /** Tasks per DAG. */
  static int tasks() {
    return 2 * LAYERS;
  }

  /** {@code perPartition} DAG names for each of {@code partitions}, as keys {@code ns/name}. */
  static List<String> keys(int partitions, int perPartition) {
    Map<Integer, Integer> taken = new HashMap<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < partitions * perPartition; i++) {
      String key = NAMESPACE + "/ledger-" + i;
      int partition = partitionOf(key, partitions);
      if (taken.merge(partition, 1, Integer::sum) <= perPartition) {
        keys.add(key);
      }
    }
    return keys;
  }

  /** The partition Kafka's default partitioner gives a record keyed {@code key}. */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** The DAG document of {@code key}, each task running {@code command}. */
  static String yaml(String key, String command) {
    String name = key.substring(key.indexOf('/') + 1);
    StringBuilder y = new StringBuilder();
    y.append("apiVersion: kontroler.greedykomodo/v1alpha1\n")
        .append("kind: DAG\n")
        .append("metadata:\n  name: ")
        .append(name)
        .append("\n  namespace: ")
        .append(NAMESPACE)
        .append("\nspec:\n  task:\n");
    for (int layer = 1; layer <= LAYERS; layer++) {
      for (String side : List.of("a", "b")) {
        y.append("    - name: s").append(layer).append(side).append('\n');
        if (layer > 1) {
          y.append("      runAfter: [s")
              .append(layer - 1)
              .append("a, s")
              .append(layer - 1)
              .append("b]\n");
        }
        y.append("      command: [\"sh\", \"-c\", ").append(quoted(command)).append("]\n");
        y.append("      image: alpine:3.20\n");
      }
    }
    return y.toString();
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
