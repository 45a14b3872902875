package io.kontroler.cli.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.cli.distributed.RunEvents.RunView;
import io.kontroler.core.run.RunCommand.TaskPhaseChanged;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Whether the api's history tells each run as committed run-events do: the run's phase, and each
 * task's phase and latest attempt.
 */
final class HistoryAgreement {
  private HistoryAgreement() {}

  /** Every difference, one line each; empty when the api agrees on every run. */
  static List<String> differences(ApiNode api, RunEvents events, Collection<String> runIds) {
    List<String> out = new ArrayList<>();
    for (String runId : runIds) {
      out.addAll(differences(runId, api.run(runId), events.view(runId)));
    }
    return out;
  }

  static List<String> differences(String runId, Optional<JsonNode> answer, RunView expected) {
    if (answer.isEmpty()) {
      return List.of(runId + ": the api has no answer");
    }
    JsonNode run = answer.get();
    List<String> out = new ArrayList<>();
    String expectedPhase = expected.phase() == null ? "Pending" : expected.phase().name();
    if (!run.path("phase").asText().equals(expectedPhase)) {
      out.add(runId + ": api says " + run.path("phase").asText() + ", run-events " + expectedPhase);
    }
    for (TaskPhaseChanged t : expected.tasks().values()) {
      JsonNode task = task(run, t.task());
      String phase = task == null ? "(none)" : task.path("phase").asText();
      int attempt = task == null ? -1 : task.path("attempts").asInt();
      if (!phase.equals(t.to().name()) || attempt != t.attempt()) {
        out.add(
            runId
                + " "
                + t.task()
                + ": api says "
                + phase
                + " #"
                + attempt
                + ", run-events "
                + t.to()
                + " #"
                + t.attempt());
      }
    }
    return out;
  }

  private static JsonNode task(JsonNode run, String name) {
    for (JsonNode t : run.path("tasks")) {
      if (t.path("name").asText().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /**
   * Whether the api shows each run at least as far as run-events had it at {@code at}: what was
   * committed by then has been projected (Pending, then Running, then a final phase).
   */
  static boolean caughtUp(ApiNode api, RunEvents events, Collection<String> runIds, long at) {
    for (String runId : runIds) {
      RunView then = events.view(runId, at);
      if (then.phase() == null) {
        continue;
      }
      Optional<JsonNode> run = api.run(runId);
      if (run.isEmpty() || rank(run.get().path("phase").asText()) < rank(then.phase().name())) {
        return false;
      }
    }
    return true;
  }

  private static int rank(String phase) {
    return switch (phase) {
      case "Pending" -> 0;
      case "Running" -> 1;
      default -> 2;
    };
  }
}
