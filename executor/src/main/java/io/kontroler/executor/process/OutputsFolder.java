package io.kontroler.executor.process;

import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.PhaseInfo;
import io.kontroler.executor.backend.TaskOutputs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The empty folder one attempt writes its outputs to ({@code $KONTROLER_OUTPUTS}), under the run
 * folder at {@code .kontroler/outputs/<task>.<attempt>}, and the reading of its declared outputs
 * after the attempt exited 0. Files are read without following links, so that a task can not make
 * Kontroler read a file the task itself may not read.
 */
record OutputsFolder(Path path) {

  /** Creates the attempt's folder, empty, under {@code runFolder}, owned by the task user. */
  static OutputsFolder create(Path runFolder, AttemptId id, TaskIsolation isolation)
      throws IOException {
    Path kontroler = runFolder.resolve(".kontroler");
    Path outputs = kontroler.resolve("outputs");
    Path folder = outputs.resolve(safe(id.task()) + "." + id.attempt());
    if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      delete(folder); // left by an earlier try of the same attempt: it starts empty
    }
    for (Path dir : List.of(kontroler, outputs, folder)) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dir);
        isolation.own(dir);
      }
    }
    return new OutputsFolder(folder);
  }

  /**
   * The outcome of an attempt that exited 0 at {@code at} and declared {@code names}: succeeded
   * with their values, or failed as INVALID_OUTPUTS.
   */
  PhaseInfo read(List<String> names, Instant at) {
    Map<String, String> values = new LinkedHashMap<>();
    long rawSize = 0;
    for (String name : names) {
      Path file = path.resolve(name).normalize();
      if (name.isEmpty() || !path.equals(file.getParent())) {
        return TaskOutputs.invalid("output '" + name + "' is not a plain file name", at);
      }
      BasicFileAttributes attributes;
      try {
        attributes =
            Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        values.put(name, "");
        continue;
      } catch (IOException e) {
        return TaskOutputs.invalid("could not read output '" + name + "': " + e.getMessage(), at);
      }
      if (!attributes.isRegularFile()) {
        return TaskOutputs.invalid(
            "output '" + name + "' is not a regular file in " + TaskOutputs.ENV, at);
      }
      rawSize += attributes.size();
      if (attributes.size() > TaskOutputs.LIMIT + 1) {
        continue; // over the limit whatever the others hold: not read
      }
      try {
        values.put(name, TaskOutputs.value(readAll(file)));
      } catch (IOException e) {
        return TaskOutputs.invalid("could not read output '" + name + "': " + e.getMessage(), at);
      }
    }
    if (values.size() < names.size()) {
      return TaskOutputs.tooLarge(rawSize, at);
    }
    return TaskOutputs.succeeded(at, values);
  }

  private static String readAll(Path file) throws IOException {
    try (SeekableByteChannel channel =
        Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buffer = ByteBuffer.allocate(TaskOutputs.LIMIT + 2);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // reads what fits; a file grown since its size was read is cut and then counted
      }
      return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
  }

  /** Task names may hold characters that do not belong in a file name. */
  private static String safe(String task) {
    return task.replaceAll("[^A-Za-z0-9._\\[\\]-]", "_");
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
