package io.kontroler.core.run;

/**
 * The names of a {@code forEach} task's instances: {@code task[index]}, index from 0. Task names
 * are DNS-1123 labels and never hold {@code [}, so an instance's name can not be a task's.
 */
public final class Instances {
  private Instances() {}

  /** The name of instance {@code index} of {@code task}. */
  public static String name(String task, int index) {
    return task + "[" + index + "]";
  }

  /** The index of the instance {@code name}, or -1 when it names no instance. */
  public static int index(String name) {
    int open = name.lastIndexOf('[');
    if (open <= 0 || !name.endsWith("]") || open + 2 > name.length() - 1) {
      return -1;
    }
    int value = 0;
    for (int k = open + 1; k < name.length() - 1; k++) {
      char c = name.charAt(k);
      if (c < '0' || c > '9' || value > (Integer.MAX_VALUE - 9) / 10) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** The task an instance belongs to (the name before the last {@code [}), or the name itself. */
  public static String group(String name) {
    return index(name) < 0 ? name : name.substring(0, name.lastIndexOf('['));
  }
}
