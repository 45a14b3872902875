package io.kontroler.cli;

import io.kontroler.cli.config.FlatConfig;
import io.kontroler.cli.standalone.Standalone;
import io.kontroler.cli.standalone.StandaloneOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs everything on this machine with nothing else to install. */
@Command(
    name = "standalone",
    mixinStandardHelpOptions = true,
    description = {
      "Run Kontroler on one machine: an in-process Kafka broker, the scheduler and the other"
          + " components, with all data under --data-dir. Ctrl-C stops it; starting again with the"
          + " same --data-dir resumes unfinished runs."
    })
final class StandaloneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "API and UI port (${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      description =
          "Interface the API and UI listen on (127.0.0.1: this machine only; 0.0.0.0 for every"
              + " interface).")
  String host;

  @Option(
      names = "--kafka-port",
      defaultValue = "" + StandaloneOptions.DEFAULT_KAFKA_PORT,
      description =
          "Port of the in-process Kafka broker, advertised as localhost:<port> for producers"
              + " (${DEFAULT-VALUE}; 0 picks a free one).")
  int kafkaPort;

  @Option(
      names = "--data-dir",
      defaultValue = "kontroler-data",
      description = "Where everything is kept (${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--partitions",
      defaultValue = "3",
      description = "Partitions of Kontroler's topics (${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--config", paramLabel = "FILE", description = "A properties file of keys.")
  Path configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any component key; repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    Map<String, String> config = FlatConfig.load(configFile, System.getenv(), overrides);
    if (host != null) {
      config.put("api.host", host);
    }
    Standalone standalone =
        Standalone.start(new StandaloneOptions(port, dataDir, partitions, config, kafkaPort));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  standalone.close();
                  stopped.countDown();
                },
                "kontroler-shutdown"));
    var out = spec.commandLine().getOut();
    Path passwordFile = dataDir.toAbsolutePath().resolve("initial-admin-password");
    out.println("Kontroler is running.");
    out.println(
        "  UI and API:  "
            + standalone.url()
            + "  (OpenAPI: "
            + standalone.url()
            + "/api/v1/openapi.json)");
    out.println(
        "  Listening:   "
            + standalone.host()
            + ":"
            + standalone.port()
            + (standalone.host().equals("127.0.0.1")
                ? "  (this machine only; --host 0.0.0.0 opens it to the network)"
                : ""));
    out.println(
        "  Log in as:   admin, password "
            + (config.containsKey("admin.password")
                ? "from KONTROLER_ADMIN_PASSWORD"
                : "in " + passwordFile));
    out.println(
        "  Kafka:       "
            + standalone.bootstrapServers()
            + "  (publish RunRequested to kontroler.commands)");
    out.println("  Data:        " + dataDir.toAbsolutePath());
    out.println("  Security:    " + standalone.tasks());
    out.println("Press Ctrl-C to stop; starting again with the same --data-dir resumes.");
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}
