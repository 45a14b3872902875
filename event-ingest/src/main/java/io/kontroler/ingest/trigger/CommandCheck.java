package io.kontroler.ingest.trigger;

import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.Inbound.CancelRun;
import io.kontroler.core.message.Inbound.RetryRun;
import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.RunIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code kontroler.commands} contract for records from outside Kontroler: a known command type
 * and schema version, a DAG named {@code namespace/name}, the record key equal to that DAG (or
 * absent), named parameters, and run ids where a command needs one. A run request without an
 * idempotency key gets its position in the source topic, so a record delivered twice starts one
 * run.
 */
public final class CommandCheck {
  private static final Pattern DAG = Pattern.compile("[^/\\s]+/[^/\\s]+");

  private CommandCheck() {}

  /** The outcome: the command to forward, or why the record is refused. */
  public record Result(Inbound command, String reason) {
    public boolean ok() {
      return command != null;
    }
  }

  public static Result check(String topic, int partition, long offset, String key, byte[] value) {
    Inbound command;
    try {
      command = MessageCodec.decode(value, Inbound.class);
    } catch (InvalidMessageException e) {
      return new Result(null, e.getMessage());
    }
    List<String> problems = problems(command);
    if (command instanceof Inbound.DagSubmitted || command instanceof Inbound.DagTaskSubmitted) {
      // a spec goes through validation (kubectl or the API) before it is submitted
      problems.add("not accepted from outside: apply DAGs and DagTasks with kubectl or the API");
    }
    if (key != null && command.dag() != null && !key.equals(command.dag())) {
      problems.add("record key '" + key + "' is not the command's dag '" + command.dag() + "'");
    }
    if (!problems.isEmpty()) {
      return new Result(null, MessageCodec.typeOf(command) + ": " + String.join("; ", problems));
    }
    if (command instanceof RunRequested r && blank(r.idempotencyKey())) {
      command =
          new RunRequested(
              r.dag(),
              r.runName(),
              r.parameters(),
              RunIds.positionKey(topic, partition, offset),
              r.requestedAt(),
              r.trigger());
    }
    return new Result(command, null);
  }

  /** Every problem of a decoded command; empty when it keeps the contract. */
  public static List<String> problems(Inbound command) {
    List<String> problems = new ArrayList<>();
    if (command.dag() == null || !DAG.matcher(command.dag()).matches()) {
      problems.add("dag: expected 'namespace/name', but got '" + command.dag() + "'");
    }
    if (command instanceof RunRequested r) {
      for (Map.Entry<String, ParameterValue> p : r.parameters().entrySet()) {
        if (blank(p.getKey())) {
          problems.add("parameters: a parameter has an empty name");
        }
        if (p.getValue() == null) {
          problems.add("parameters[" + p.getKey() + "]: expected a value, but got null");
        } else if (p.getValue() instanceof ParameterValue.FromSecret s && blank(s.secretName())) {
          problems.add("parameters[" + p.getKey() + "]: fromSecret names no secret");
        }
      }
    } else if (command instanceof CancelRun c && blank(c.runId())) {
      problems.add("runId: missing");
    } else if (command instanceof RetryRun r && blank(r.runId())) {
      problems.add("runId: missing");
    }
    return problems;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
