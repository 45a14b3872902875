package io.kontroler.logstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The on-disk layout shared by the local store and the S3 spool: {@code
 * <root>/runs/<run>/<task>/<attempt>.log}, plus an empty {@code <attempt>.done} once the log is
 * complete.
 */
final class LocalFiles {
  private LocalFiles() {}

  static Path marker(Path logFile) {
    String name = logFile.getFileName().toString();
    return logFile.resolveSibling(name.substring(0, name.length() - ".log".length()) + ".done");
  }

  static boolean isComplete(Path logFile) {
    return Files.exists(marker(logFile));
  }

  /** Reads a range of {@code file}; the completeness is checked first, so it covers the bytes. */
  static LogChunk read(Path file, long offset, int maxBytes) throws IOException {
    if (offset < 0 || maxBytes < 0) {
      throw new IllegalArgumentException(
          "Expected offset >= 0 and maxBytes >= 0, but got " + offset + " and " + maxBytes);
    }
    boolean complete = isComplete(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (offset >= size) {
        return new LogChunk(new byte[0], offset, offset, complete, true);
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxBytes, size - offset));
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, offset + buffer.position()) < 0) {
          break;
        }
      }
      byte[] data = new byte[buffer.position()];
      buffer.flip().get(data);
      return new LogChunk(data, offset, offset + data.length, complete, true);
    } catch (NoSuchFileException e) {
      return LogChunk.notFound(offset);
    }
  }

  /** The log keys under {@code root/runs/<runId>}. */
  static List<LogKey> attempts(Path root, String runId) throws IOException {
    Path runDir = root.resolve(LogKey.runPrefix(runId));
    List<LogKey> keys = new ArrayList<>();
    if (!Files.isDirectory(runDir)) {
      return keys;
    }
    try (Stream<Path> files = Files.walk(runDir, 2)) {
      files
          .filter(p -> p.getFileName().toString().endsWith(".log"))
          .map(p -> LogKey.parse(root.relativize(p).toString().replace('\\', '/')))
          .filter(k -> k != null)
          .forEach(keys::add);
    }
    return keys;
  }

  /** Every complete log under {@code root}: the ones a spool still has to upload. */
  static List<LogKey> completeLogs(Path root) throws IOException {
    Path runs = root.resolve("runs");
    List<LogKey> keys = new ArrayList<>();
    if (!Files.isDirectory(runs)) {
      return keys;
    }
    try (Stream<Path> files = Files.walk(runs, 3)) {
      files
          .filter(p -> p.getFileName().toString().endsWith(".log") && isComplete(p))
          .map(p -> LogKey.parse(root.relativize(p).toString().replace('\\', '/')))
          .filter(k -> k != null)
          .forEach(keys::add);
    }
    return keys;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  static Comparator<LogKey> order() {
    return Comparator.comparing(LogKey::task).thenComparingInt(LogKey::attempt);
  }
}
