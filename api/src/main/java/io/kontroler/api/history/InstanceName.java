package io.kontroler.api.history;

/**
 * The name of an instance of a forEach task: {@code process[3]} is instance 3 of task {@code
 * process} (the name before the last {@code [}). Task names are DNS-1123 labels, so only instances
 * have brackets.
 */
public record InstanceName(String task, int index) {

  /** The instance {@code name} names, or null for a task of its own. */
  public static InstanceName parse(String name) {
    int open = name.lastIndexOf('[');
    if (open <= 0 || !name.endsWith("]") || open + 2 >= name.length()) {
      return null;
    }
    String digits = name.substring(open + 1, name.length() - 1);
    if (digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return new InstanceName(name.substring(0, open), Integer.parseInt(digits));
  }
}
