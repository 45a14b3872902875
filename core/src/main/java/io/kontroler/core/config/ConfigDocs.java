package io.kontroler.core.config;

import java.util.ArrayList;
import java.util.List;

/** A table's keys as {@code --help} text and as a README table: both from the same keys. */
public final class ConfigDocs {
  private static final int WIDTH = 100;

  private ConfigDocs() {}

  /**
   * One entry a key: {@code name = default}, then its doc, type and environment variable indented
   * below; pass-through prefixes last.
   */
  public static String help(ConfigTable<?> table) {
    StringBuilder out = new StringBuilder();
    for (ConfigKey<?, ?> key : table.keys()) {
      out.append("  ").append(key.name()).append(" = ").append(key.shownDefault()).append('\n');
      wrap(key.doc(), out);
      out.append("      (")
          .append(key.type().name())
          .append("; ")
          .append(EnvironmentNames.of(key.name()))
          .append(key.secret() ? "; secret, never shown" : "")
          .append(")\n");
    }
    for (ConfigTable.PassThrough<?> p : table.passThroughs()) {
      out.append("  ").append(p.prefix()).append("*\n");
      wrap(p.doc(), out);
    }
    return out.toString();
  }

  /** A markdown table of the keys of {@code tables}: key, type, default, environment, doc. */
  public static String markdown(ConfigTable<?>... tables) {
    StringBuilder out = new StringBuilder();
    out.append("| key | type | default | environment | what it does |\n");
    out.append("|---|---|---|---|---|\n");
    for (ConfigTable<?> table : tables) {
      rows(table, out);
    }
    return out.toString();
  }

  private static void rows(ConfigTable<?> table, StringBuilder out) {
    for (ConfigKey<?, ?> key : table.keys()) {
      out.append("| `")
          .append(key.name())
          .append("` | ")
          .append(cell(key.type().name()))
          .append(" | `")
          .append(key.shownDefault().replace("|", "\\|"))
          .append("` | `")
          .append(EnvironmentNames.of(key.name()))
          .append("` | ")
          .append(cell(key.doc() + (key.secret() ? " Secret: never shown." : "")))
          .append(" |\n");
    }
    for (ConfigTable.PassThrough<?> p : table.passThroughs()) {
      out.append("| `")
          .append(p.prefix())
          .append("*` | | | `")
          .append(EnvironmentNames.of(p.prefix()))
          .append("*` | ")
          .append(cell(p.doc()))
          .append(" |\n");
    }
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("<", "\\<").replace("\n", " ");
  }

  private static void wrap(String doc, StringBuilder out) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : doc.split("\\s+")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > WIDTH - 6) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    lines.forEach(l -> out.append("      ").append(l).append('\n'));
  }
}
