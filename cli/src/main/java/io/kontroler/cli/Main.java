package io.kontroler.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kontroler} executable: server components and client commands. */
@Command(
    name = "kontroler",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Kubernetes-native workflow scheduler on Kafka Streams.",
    subcommands = {
      StandaloneCommand.class,
      io.kontroler.cli.server.SchedulerCommand.class,
      io.kontroler.cli.server.ExecutorCommand.class,
      io.kontroler.cli.server.IngestCommand.class,
      io.kontroler.cli.server.ApiCommand.class,
      io.kontroler.cli.client.LoginCommand.class,
      io.kontroler.cli.client.ApplyCommand.class,
      ValidateCommand.class,
      io.kontroler.cli.client.RunDagCommand.class,
      io.kontroler.cli.client.RunsCommand.class,
      io.kontroler.cli.client.GetCommand.class,
      io.kontroler.cli.client.LogsCommand.class,
      io.kontroler.cli.client.RunControlCommands.Cancel.class,
      io.kontroler.cli.client.RunControlCommands.Retry.class,
      io.kontroler.cli.client.RunControlCommands.Rerun.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (0 ok, 1 failed, 2 usage error). */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  /** Runs the command line with its output and errors going to the given writers. */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    return new CommandLine(new Main()).setOut(out).setErr(err).execute(args);
  }
}
