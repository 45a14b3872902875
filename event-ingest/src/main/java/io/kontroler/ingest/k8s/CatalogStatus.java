package io.kontroler.ingest.k8s;

import io.kontroler.core.validate.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The status of a DAG or DagTask: accepted with its version, or rejected with every problem. */
final class CatalogStatus {
  static final String ACCEPTED = "Accepted";
  static final String REJECTED = "Rejected";

  private CatalogStatus() {}

  static Map<String, Object> accepted(int version, Long generation, String message) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", ACCEPTED);
    status.put("version", version);
    status.put("message", message);
    putGeneration(status, generation);
    return status;
  }

  static Map<String, Object> rejected(List<Problem> problems, Long generation) {
    Map<String, Object> status = new LinkedHashMap<>();
    List<String> lines = problems.stream().map(Problem::toString).toList();
    status.put("phase", REJECTED);
    status.put(
        "message",
        problems.size()
            + " problem"
            + (problems.size() == 1 ? "" : "s")
            + ": "
            + String.join("; ", lines));
    status.put("problems", lines);
    putGeneration(status, generation);
    return status;
  }

  private static void putGeneration(Map<String, Object> status, Long generation) {
    if (generation != null) {
      status.put("observedGeneration", generation);
    }
  }
}
