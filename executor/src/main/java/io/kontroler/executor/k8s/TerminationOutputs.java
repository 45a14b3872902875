package io.kontroler.executor.k8s;

import io.kontroler.executor.backend.PhaseInfo;
import io.kontroler.executor.backend.TaskOutputs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a task's outputs leave its pod: the container's command runs under a small {@code sh} wrapper
 * that, after an exit 0, writes the declared files of {@code $KONTROLER_OUTPUTS} to the container's
 * termination message, where the executor reads them from the pod's status. The image therefore
 * needs {@code sh}, {@code cat} and {@code wc} (any busybox, alpine, debian or ubuntu based image
 * has them); a task that declares outputs runs its {@code command} or {@code script}, not the
 * image's entrypoint.
 *
 * <p>The message is {@code kontroler-outputs 1 <total bytes>\n}, then per declared output {@code
 * <name> <bytes>\n<content>} or {@code <name> -\n} when the file is missing. When the files are too
 * large the wrapper writes the first line alone, so that the failure still names the size.
 * Kubernetes keeps at most 4096 bytes of a termination message: outputs close to the limit whose
 * names and sizes push the message past it fail, saying so.
 */
final class TerminationOutputs {
  /** Where the container leaves its termination message (Kubernetes' default, set explicitly). */
  static final String MESSAGE_PATH = "/dev/termination-log";

  /** The most bytes of a termination message Kubernetes keeps. */
  static final int MESSAGE_LIMIT = 4096;

  private static final String HEADER = "kontroler-outputs 1 ";

  private TerminationOutputs() {}

  /**
   * The command line that runs {@code argv} and then leaves the outputs {@code names} in {@code
   * messagePath}; the wrapper passes SIGTERM on to the command and exits with its code.
   */
  static List<String> wrap(List<String> argv, List<String> names, String messagePath) {
    StringBuilder list = new StringBuilder();
    for (String name : names) {
      list.append(' ').append(quote(name));
    }
    String script =
        "\"$@\" & pid=$!\n"
            + "trap 'kill -TERM \"$pid\" 2>/dev/null' TERM INT\n"
            + "wait \"$pid\"; code=$?\n"
            + "while kill -0 \"$pid\" 2>/dev/null; do wait \"$pid\"; code=$?; done\n"
            + "[ \"$code\" -eq 0 ] || exit \"$code\"\n"
            + "total=0; count=0\n"
            + ("for name in" + list + "; do f=\"$KONTROLER_OUTPUTS/$name\"; count=$((count + 1));")
            + " [ -f \"$f\" ] && total=$((total + $(wc -c < \"$f\"))); done\n"
            + "{\n"
            + ("  printf '" + HEADER + "%s\\n' \"$total\"\n")
            + ("  [ \"$total\" -gt $((" + TaskOutputs.LIMIT + " + count)) ] ||")
            + (" for name in" + list + "; do f=\"$KONTROLER_OUTPUTS/$name\";")
            + " if [ -f \"$f\" ]; then printf '%s %s\\n' \"$name\" $(($(wc -c < \"$f\")));"
            + " cat \"$f\"; else printf '%s -\\n' \"$name\"; fi; done\n"
            + ("} > " + quote(messagePath) + "\n");
    List<String> line = new ArrayList<>(List.of("sh", "-c", script, "kontroler-outputs"));
    line.addAll(argv);
    return line;
  }

  /**
   * The outcome of a container that exited 0 at {@code at} leaving {@code message}, for the
   * declared {@code names}.
   */
  static PhaseInfo read(String message, List<String> names, Instant at) {
    byte[] bytes = message == null ? new byte[0] : message.getBytes(StandardCharsets.UTF_8);
    Reader reader = new Reader(bytes);
    String header = reader.line();
    if (header == null || !header.startsWith(HEADER)) {
      return TaskOutputs.invalid(
          "the container left no outputs in its termination message: a task with outputs runs"
              + " its command or script under sh, which its image must have",
          at);
    }
    long total;
    try {
      total = Long.parseLong(header.substring(HEADER.length()).trim());
    } catch (NumberFormatException e) {
      return TaskOutputs.invalid("unreadable outputs header '" + header + "'", at);
    }
    if (total > TaskOutputs.LIMIT + names.size()) {
      return TaskOutputs.tooLarge(total, at);
    }
    Map<String, String> values = new LinkedHashMap<>();
    names.forEach(name -> values.put(name, ""));
    while (reader.hasMore()) {
      String entry = reader.line();
      int space = entry == null ? -1 : entry.lastIndexOf(' ');
      if (space < 0) {
        return truncated(total, at);
      }
      String name = entry.substring(0, space);
      String size = entry.substring(space + 1);
      if (size.equals("-")) {
        continue;
      }
      String content = reader.take(count(size));
      if (content == null) {
        return truncated(total, at);
      }
      if (values.containsKey(name)) {
        values.put(name, TaskOutputs.value(content));
      }
    }
    return TaskOutputs.succeeded(at, values);
  }

  private static int count(String size) {
    try {
      return Integer.parseInt(size);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static PhaseInfo truncated(long total, Instant at) {
    return TaskOutputs.invalid(
        "outputs of "
            + total
            + " bytes with their names and sizes do not fit the container's termination message"
            + " of "
            + MESSAGE_LIMIT
            + " bytes; write large data to the workspace or an object store",
        at);
  }

  /** Single-quoted for sh. */
  private static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  /** Reads lines and counted bytes of a message. */
  private static final class Reader {
    private final byte[] bytes;
    private int pos;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    boolean hasMore() {
      return pos < bytes.length;
    }

    String line() {
      for (int i = pos; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          String line = new String(bytes, pos, i - pos, StandardCharsets.UTF_8);
          pos = i + 1;
          return line;
        }
      }
      return null;
    }

    String take(int count) {
      if (count < 0 || count > bytes.length - pos) {
        return null;
      }
      String text = new String(bytes, pos, count, StandardCharsets.UTF_8);
      pos += count;
      return text;
    }
  }
}
