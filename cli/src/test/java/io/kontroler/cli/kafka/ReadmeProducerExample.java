package io.kontroler.cli.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A producer example of the README's Kafka section, as a user would copy it: the line that {@code
 * echo} feeds, and the producer's command line split into words the way a shell splits it.
 *
 * @param line what the producer reads on standard input
 * @param command the producer and its arguments
 */
record ReadmeProducerExample(String line, List<String> command) {
  private static final Path README = Path.of("..", "README.md");
  private static final Pattern EXAMPLE =
      Pattern.compile("```bash\\necho '([^']*)' \\|\\n((?:.*\\\\\\n)*.*)\\n```");

  /** The README's example whose producer command starts with {@code program}. */
  static ReadmeProducerExample of(String program) throws IOException {
    Matcher m = EXAMPLE.matcher(Files.readString(README));
    while (m.find()) {
      List<String> words = shellWords(m.group(2).replace("\\\n", " "));
      if (words.get(0).equals(program)) {
        return new ReadmeProducerExample(m.group(1), words);
      }
    }
    throw new AssertionError("README.md has no producer example with " + program);
  }

  /** The arguments after the program, with {@code localhost:9092} replaced by {@code bootstrap}. */
  List<String> argumentsFor(String bootstrap) {
    return command.subList(1, command.size()).stream()
        .map(w -> w.replace("localhost:9092", bootstrap))
        .toList();
  }

  /** Whitespace-separated words; single quotes group and are removed, as in a shell. */
  private static List<String> shellWords(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    for (char c : text.strip().toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
        inWord = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
