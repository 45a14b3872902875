package io.kontroler.cli.server;

import io.kontroler.api.ApiConfig;
import io.kontroler.core.config.ConfigDocs;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.executor.ExecutorConfig;
import io.kontroler.ingest.IngestConfig;
import io.kontroler.scheduler.SchedulerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The keys each server command reads, from the components' tables: its {@code --help} lists them
 * (this is the picocli model transformer of those commands), and so does the README.
 */
public final class ComponentKeys implements IModelTransformer {

  /** Each server command's tables, by command name. */
  public static final Map<String, List<ConfigTable<?>>> TABLES = tables();

  private static Map<String, List<ConfigTable<?>>> tables() {
    Map<String, List<ConfigTable<?>>> tables = new LinkedHashMap<>();
    tables.put("scheduler", List.of(SchedulerConfig.TABLE, HealthSettings.TABLE));
    tables.put("executor", List.of(ExecutorConfig.TABLE, HealthSettings.TABLE));
    tables.put("ingest", List.of(IngestConfig.TABLE, HealthSettings.TABLE));
    tables.put("api", List.of(ApiConfig.TABLE));
    return tables;
  }

  /** The {@code --help} text of {@code command}'s keys. */
  public static String help(String command) {
    StringBuilder out = new StringBuilder();
    TABLES.get(command).forEach(t -> out.append(ConfigDocs.help(t)));
    return out.toString();
  }

  /** The README table of {@code command}'s keys. */
  public static String markdown(String command) {
    return ConfigDocs.markdown(TABLES.get(command).toArray(ConfigTable<?>[]::new));
  }

  @Override
  public CommandSpec transform(CommandSpec spec) {
    List<String> footer = new ArrayList<>();
    footer.add("");
    footer.add(
        "Keys: from --config FILE, then KONTROLER_* environment variables, then --set KEY=VALUE."
            + " Each key, its default, then what it is, its type and environment variable:");
    for (String line : help(spec.name()).split("\n")) {
      footer.add(line.replace("%", "%%"));
    }
    spec.usageMessage().footer(footer.toArray(String[]::new));
    return spec;
  }
}
