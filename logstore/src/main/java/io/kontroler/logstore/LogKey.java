package io.kontroler.logstore;

import java.util.Objects;

/**
 * The log of one attempt of one task of one run. Its place in any store is {@link #path()}: {@code
 * runs/<run>/<task>/<attempt>.log}.
 */
public record LogKey(String runId, String task, int attempt) {

  public LogKey {
    requireSegment(runId, "runId");
    requireSegment(task, "task");
    if (attempt < 0) {
      throw new IllegalArgumentException("Expected attempt >= 0, but got " + attempt);
    }
  }

  /** The relative path of the log: {@code runs/<run>/<task>/<attempt>.log}. */
  public String path() {
    return runPrefix(runId) + task + "/" + attempt + ".log";
  }

  /** The prefix under which every log of {@code runId} lives: {@code runs/<run>/}. */
  public static String runPrefix(String runId) {
    requireSegment(runId, "runId");
    return "runs/" + runId + "/";
  }

  /** Reads a key back from {@link #path()}; null when {@code path} is not a log path. */
  public static LogKey parse(String path) {
    String[] parts = path.split("/");
    if (parts.length != 4 || !parts[0].equals("runs") || !parts[3].endsWith(".log")) {
      return null;
    }
    String number = parts[3].substring(0, parts[3].length() - ".log".length());
    if (number.isEmpty() || !number.chars().allMatch(Character::isDigit) || number.length() > 9) {
      return null;
    }
    return new LogKey(parts[1], parts[2], Integer.parseInt(number));
  }

  private static void requireSegment(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty()
        || value.equals(".")
        || value.equals("..")
        || value.indexOf('/') >= 0
        || value.indexOf('\\') >= 0
        || value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "Expected " + what + " to be a single path segment, but got '" + value + "'");
    }
  }
}
