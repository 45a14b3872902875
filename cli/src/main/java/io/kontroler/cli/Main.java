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
      io.kontroler.cli.client.BackfillCommand.class,
      io.kontroler.cli.client.HoldCommands.Pause.class,
      io.kontroler.cli.client.HoldCommands.Resume.class,
      io.kontroler.cli.client.HoldCommands.Approve.class,
      io.kontroler.cli.client.HoldCommands.Reject.class,
      io.kontroler.cli.client.PoolsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (see {@link ExitCode}). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** Runs the command line with its output and errors going to the given writers. */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    return commandLine().setOut(out).setErr(err).execute(args);
  }

  /**
   * The command tree: a failure of any command becomes words and an exit code in {@link Failures},
   * and every command's help lists the exit codes.
   */
  static CommandLine commandLine() {
    CommandLine line =
        new CommandLine(new Main())
            .setExecutionExceptionHandler(
                (e, command, parsed) -> {
                  Failures.Failure failure = Failures.describe(e);
                  if (failure.bug()) {
                    e.printStackTrace(command.getErr());
                  }
                  command.getErr().println("Error: " + failure.message());
                  command.getErr().flush();
                  return failure.code().code();
                });
    listExitCodes(line);
    return line;
  }

  private static void listExitCodes(CommandLine line) {
    line.getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCode.helpList());
    line.getSubcommands().values().forEach(Main::listExitCodes);
  }
}
