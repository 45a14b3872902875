package io.kontroler.api.runs;

/**
 * The instances of forEach tasks: {@code process[3]} is instance 3 of task {@code process}, named
 * by the name before the last {@code [}. Task names are DNS-1123 labels, so only instances have
 * brackets.
 */
final class TaskGroups {
  private TaskGroups() {}

  /** An instance name, split. */
  record Instance(String group, int index) {}

  /** The instance {@code name} names, or null for a task of its own. */
  static Instance instance(String name) {
    int open = name.lastIndexOf('[');
    if (open <= 0 || !name.endsWith("]") || open + 2 >= name.length()) {
      return null;
    }
    String digits = name.substring(open + 1, name.length() - 1);
    if (digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return new Instance(name.substring(0, open), Integer.parseInt(digits));
  }
}
