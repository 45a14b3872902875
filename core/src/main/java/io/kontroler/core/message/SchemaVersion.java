package io.kontroler.core.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of one message or store value type: a reader understands every minor version of its
 * major (fields added since are ignored; fields it knows keep their meaning), and nothing of
 * another major. Written as the integer {@code N} for {@code N.0} (so the records written before
 * minors existed, {@code "schemaVersion": 1}, read as 1.0) and as the string {@code "N.M"}
 * otherwise.
 */
public record SchemaVersion(int major, int minor) implements Comparable<SchemaVersion> {
  /** The name of the field that carries the version, in messages and store values alike. */
  public static final String FIELD = "schemaVersion";

  public static final SchemaVersion V1_0 = new SchemaVersion(1, 0);

  private static final Pattern TEXT = Pattern.compile("(\\d{1,9})(?:\\.(\\d{1,9}))?");

  public SchemaVersion {
    if (major < 1 || minor < 0) {
      throw new IllegalArgumentException(
          "Expected a major >= 1 and a minor >= 0, but got " + major + "." + minor);
    }
  }

  /**
   * The version {@code node} says, or null when it is not a version: an integer {@code N} (N.0) or
   * a string {@code "N"} or {@code "N.M"}.
   */
  public static SchemaVersion parse(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isInt() && node.intValue() >= 1) {
      return new SchemaVersion(node.intValue(), 0);
    }
    if (node.isTextual()) {
      Matcher m = TEXT.matcher(node.textValue());
      if (m.matches() && Integer.parseInt(m.group(1)) >= 1) {
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return new SchemaVersion(Integer.parseInt(m.group(1)), minor);
      }
    }
    return null;
  }

  /** The JSON written for this version: an integer for N.0, {@code "N.M"} otherwise. */
  public JsonNode toJson() {
    return minor == 0 ? IntNode.valueOf(major) : TextNode.valueOf(major + "." + minor);
  }

  /** Whether a reader of this version can read a record of {@code written} (the same major). */
  public boolean reads(SchemaVersion written) {
    return written.major == major;
  }

  @Override
  public int compareTo(SchemaVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
