package io.kontroler.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pools set NAME --slots N}, {@code pools list} and {@code pools get NAME}: the shared pools
 * that limit how many tasks of any DAGs run at once.
 */
@Command(
    name = "pools",
    mixinStandardHelpOptions = true,
    subcommands = {
      PoolsCommand.SetSlots.class,
      PoolsCommand.ListPools.class,
      PoolsCommand.GetPool.class
    },
    description = {
      "Shared pools: at most a pool's slots tasks that name it (pool: NAME) run at once, whatever"
          + " their DAGs; the others wait in the order they became ready."
    })
public final class PoolsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "Expected a subcommand: set, list or get");
  }

  /** {@code pools set NAME --slots N}. */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description =
          "Set a pool's slots (admin); it applies at once. Lowering it below the slots in use takes"
              + " none away: it only holds new tasks. 0 holds every task of the pool.")
  public static final class SetSlots extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--slots", paramLabel = "N", required = true, description = "0 to 10000.")
    int slots;

    @Override
    protected int run(ApiClient api, PrintWriter out) throws IOException {
      JsonNode sent = api.put("/api/v1/pools/" + ApiClient.encode(name), Map.of("slots", slots));
      if (options.json()) {
        printJson(out, sent);
      } else {
        out.println("Pool " + name + " set to " + sent.path("slots").asInt() + " slots");
      }
      return 0;
    }
  }

  /** {@code pools list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every pool with its slots, the slots in use and how many tasks wait.")
  public static final class ListPools extends ClientCommand {
    @Override
    protected int run(ApiClient api, PrintWriter out) throws IOException {
      JsonNode answer = api.get("/api/v1/pools");
      if (options.json()) {
        printJson(out, answer);
        return 0;
      }
      Table table = new Table("NAME", "SLOTS", "IN USE", "WAITING");
      for (JsonNode p : answer.path("items")) {
        table.row(text(p, "name"), slots(p), p.path("inUse").asInt(), p.path("waiting").asInt());
      }
      table.print(out);
      return 0;
    }
  }

  /** {@code pools get NAME}. */
  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "A pool and the task attempts holding its slots, with their leases.")
  public static final class GetPool extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    protected int run(ApiClient api, PrintWriter out) throws IOException {
      JsonNode p = api.get("/api/v1/pools/" + ApiClient.encode(name));
      if (options.json()) {
        printJson(out, p);
        return 0;
      }
      out.println(
          "Pool "
              + text(p, "name")
              + ": "
              + p.path("inUse").asInt()
              + " of "
              + slots(p)
              + " slots in use, "
              + p.path("waiting").asInt()
              + " waiting");
      Table table = new Table("DAG", "RUN", "TASK", "ATTEMPT", "SINCE", "LEASE UNTIL");
      for (JsonNode h : p.path("holders")) {
        table.row(
            text(h, "dag"),
            text(h, "runId"),
            text(h, "task"),
            h.path("attempt").asInt(),
            text(h, "since"),
            text(h, "leaseUntil"));
      }
      table.print(out);
      return 0;
    }
  }

  /** A pool's slots, or that nobody defined it (its tasks wait until an admin does). */
  private static String slots(JsonNode p) {
    return p.path("defined").asBoolean()
        ? String.valueOf(p.path("slots").asInt())
        : p.path("slots").asInt() + " (not defined)";
  }
}
