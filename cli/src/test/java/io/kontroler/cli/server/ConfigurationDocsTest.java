package io.kontroler.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's configuration tables and each server command's {@code --help} list the same keys
 * with the same defaults, both made from the components' key tables. Run with {@code
 * -Dkontroler.readme.write=true} to write the tables into the README after a key changed.
 */
class ConfigurationDocsTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Pattern HELP_KEY = Pattern.compile("^  (\\S+)(?: = (.*))?$");
  private static final String END = "<!-- /keys -->";
  private static final Pattern CELL_SPLIT = Pattern.compile("(?<!\\\\)\\|");

  @ParameterizedTest
  @ValueSource(strings = {"scheduler", "executor", "ingest", "api"})
  void helpAndReadmeListTheSameKeysWithTheSameDefaults(String command) throws IOException {
    Map<String, String> help = keysOfHelp(help(command));
    Map<String, String> readme = keysOfReadme(section(Files.readString(README), command));

    assertThat(help).containsKeys("kafka.bootstrap.servers", "kafka.*", "topics.run-events");
    assertThat(help).containsExactlyEntriesOf(readme);
  }

  @Test
  void readmeTablesAreTheOnesTheKeyTablesGive() throws IOException {
    String readme = Files.readString(README);
    String expected = readme;
    for (String command : ComponentKeys.TABLES.keySet()) {
      int from = start(expected, command);
      int to = expected.indexOf(END, from);
      expected =
          expected.substring(0, from)
              + "\n"
              + ComponentKeys.markdown(command)
              + expected.substring(to);
    }
    if (Boolean.getBoolean("kontroler.readme.write")) {
      Files.writeString(README, expected);
    }
    assertThat(readme)
        .as("README tables out of date: run this test with -Dkontroler.readme.write=true")
        .isEqualTo(expected);
  }

  @Test
  void helpNamesEachKeysEnvironmentVariable() {
    assertThat(help("ingest"))
        .contains("  ingest.quartz.jdbc-password = none")
        .contains("KONTROLER_INGEST_QUARTZ_JDBC__PASSWORD; secret, never shown");
    assertThat(help("scheduler"))
        .contains("  scheduler.partitions = 6")
        .contains("KONTROLER_SCHEDULER_FINISHED_RUN_RETENTION_MS");
  }

  private static String help(String command) {
    StringWriter out = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(out, true), new PrintWriter(new StringWriter()), command, "--help");
    assertThat(code).isZero();
    return out.toString();
  }

  /** The key and shown default of every entry in the keys part of {@code --help}. */
  private static Map<String, String> keysOfHelp(String help) {
    Map<String, String> keys = new LinkedHashMap<>();
    String afterHeading = help.substring(help.indexOf("\nKeys:"));
    for (String line : afterHeading.split("\\R")) {
      Matcher m = HELP_KEY.matcher(line);
      if (m.matches()) {
        keys.put(m.group(1), m.group(2) == null ? "" : m.group(2));
      }
    }
    return keys;
  }

  /** The key and default of every row of a README table. */
  private static Map<String, String> keysOfReadme(String table) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String line : table.split("\\R")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = CELL_SPLIT.split(line);
      String key = cells[1].trim().replace("`", "");
      String shown = cells[3].trim().replace("\\|", "|");
      keys.put(key, shown.isEmpty() ? "" : shown.substring(1, shown.length() - 1));
    }
    return keys;
  }

  /** The text between the markers of {@code command}'s table in the README. */
  private static String section(String readme, String command) {
    int from = start(readme, command);
    return readme.substring(from, readme.indexOf(END, from));
  }

  /** Where {@code command}'s table starts: just after its marker. */
  private static int start(String readme, String command) {
    String marker = "<!-- keys: " + command + " -->";
    int at = readme.indexOf(marker);
    assertThat(at).as("README marker " + marker).isNotNegative();
    return at + marker.length();
  }
}
