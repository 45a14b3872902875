package io.kontroler.executor.process;

import io.kontroler.core.run.FailureKind;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.Phase;
import io.kontroler.executor.backend.PhaseInfo;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts a process backend has taken on and not yet handed back, one small file each: written
 * when a launch is taken, updated with the process once it runs and with the outcome once it ends,
 * and removed once the outcome is published. What is left after a backend stopped is what the next
 * one on the same data directory must report: the recorded outcome, or the attempt as lost.
 *
 * <p>Each open journal is a folder of its own under the root, locked while it is open; opening one
 * takes over the folders of journals whose backend has stopped (their lock is free), so that two
 * backends sharing a data directory never report each other's attempts.
 */
final class AttemptJournal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptJournal.class);
  private static final String SUFFIX = ".attempt";

  /**
   * One attempt left behind.
   *
   * @param pid the process that ran it, null if none started
   * @param processStart when that process started, to tell it from a later process with its pid
   * @param outcome how it ended, null if it had not ended
   */
  record Entry(AttemptId id, Long pid, Instant processStart, PhaseInfo outcome) {}

  private static final String LOCK = "lock";

  /** The prefix of the keys that hold the outputs of a succeeded attempt. */
  private static final String OUTPUT = "output.";

  private final Path root;
  private final Path dir;
  private final FileChannel lockChannel;

  private AttemptJournal(Path root, Path dir, FileChannel lockChannel) {
    this.root = root;
    this.dir = dir;
    this.lockChannel = lockChannel;
  }

  /** A new journal of its own under {@code root}, locked until closed. */
  static AttemptJournal open(Path root) {
    try {
      Path dir = Files.createDirectories(root.resolve(UUID.randomUUID().toString()));
      FileChannel channel = lockedChannel(dir);
      if (channel == null) {
        throw new IllegalStateException("Cannot lock the new attempt journal " + dir);
      }
      return new AttemptJournal(root, dir, channel);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open an attempt journal in " + root, e);
    }
  }

  /** The channel holding {@code dir}'s lock, or null if another journal holds it. */
  private static FileChannel lockedChannel(Path dir) throws IOException {
    FileChannel channel =
        FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return channel;
      }
    } catch (OverlappingFileLockException e) {
      // held by a journal of this JVM
    }
    channel.close();
    return null;
  }

  /**
   * Moves the attempts of journals whose backend stopped into this one, and returns every attempt
   * this journal holds.
   */
  List<Entry> takeOver() {
    try (Stream<Path> folders = Files.list(root)) {
      for (Path other : folders.filter(Files::isDirectory).filter(f -> !f.equals(dir)).toList()) {
        takeOver(other);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the attempt journals in " + root, e);
    }
    return load();
  }

  private void takeOver(Path other) {
    try (FileChannel channel = lockedChannel(other)) {
      if (channel == null) {
        return; // its backend still runs
      }
      for (Path file : attemptFiles(other)) {
        Files.move(file, dir.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
      }
      deleteFolder(other);
    } catch (IOException e) {
      LOG.warn("Could not take over the attempt journal {}: {}", other, e.toString());
    }
  }

  /** The attempt records in {@code folder}, in name order. */
  private static List<Path> attemptFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.toString().endsWith(SUFFIX)).sorted().toList();
    }
  }

  private static void deleteFolder(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(folder);
  }

  /** Lets go of the lock; an empty journal is removed, one with attempts is left for the next. */
  @Override
  public void close() {
    try {
      if (attemptFiles(dir).isEmpty()) {
        deleteFolder(dir);
      }
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("Could not close the attempt journal {}: {}", dir, e.toString());
    }
  }

  /** The attempt was taken on; no process yet. */
  void taken(AttemptId id) {
    write(id, properties(id));
  }

  /** The attempt runs as {@code process}. */
  void running(AttemptId id, ProcessHandle process) {
    Properties props = properties(id);
    props.setProperty("pid", Long.toString(process.pid()));
    process.info().startInstant().ifPresent(s -> props.setProperty("processStart", s.toString()));
    write(id, props);
  }

  /** The attempt ended with {@code outcome}, not yet published. */
  void ended(AttemptId id, PhaseInfo outcome) {
    Properties props = properties(id);
    props.setProperty("phase", outcome.phase().name());
    if (outcome.exitCode() != null) {
      props.setProperty("exitCode", outcome.exitCode().toString());
    }
    if (outcome.failureKind() != null) {
      props.setProperty("failureKind", outcome.failureKind().name());
    }
    if (outcome.message() != null) {
      props.setProperty("message", outcome.message());
    }
    if (outcome.at() != null) {
      props.setProperty("at", outcome.at().toString());
    }
    outcome.outputs().forEach((name, value) -> props.setProperty(OUTPUT + name, value));
    write(id, props);
  }

  /** The attempt's outcome was published: nothing is left to report. */
  void forget(AttemptId id) {
    try {
      Files.deleteIfExists(file(id));
    } catch (IOException e) {
      LOG.warn("Could not forget attempt {}: {}", id, e.getMessage());
    }
  }

  /** The attempts in this journal; unreadable files are logged and skipped. */
  private List<Entry> load() {
    List<Entry> entries = new ArrayList<>();
    try {
      for (Path file : attemptFiles(dir)) {
        try {
          entries.add(read(file));
        } catch (IOException | RuntimeException e) {
          LOG.warn("Skipping the unreadable attempt record {}: {}", file, e.toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the attempt journal " + dir, e);
    }
    return entries;
  }

  private static Entry read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(reader);
    }
    AttemptId id =
        new AttemptId(
            required(p, "runId"),
            required(p, "dag"),
            required(p, "task"),
            Integer.parseInt(required(p, "attempt")));
    String pid = p.getProperty("pid");
    String start = p.getProperty("processStart");
    PhaseInfo outcome = null;
    if (p.getProperty("phase") != null) {
      String code = p.getProperty("exitCode");
      String kind = p.getProperty("failureKind");
      String at = p.getProperty("at");
      Map<String, String> outputs = new TreeMap<>();
      for (String key : p.stringPropertyNames()) {
        if (key.startsWith(OUTPUT)) {
          outputs.put(key.substring(OUTPUT.length()), p.getProperty(key));
        }
      }
      outcome =
          new PhaseInfo(
              Phase.valueOf(p.getProperty("phase")),
              code == null ? null : Integer.valueOf(code),
              kind == null ? null : FailureKind.valueOf(kind),
              p.getProperty("message"),
              at == null ? null : Instant.parse(at),
              outputs);
    }
    return new Entry(
        id,
        pid == null ? null : Long.valueOf(pid),
        start == null ? null : Instant.parse(start),
        outcome);
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return value;
  }

  private static Properties properties(AttemptId id) {
    Properties props = new Properties();
    props.setProperty("runId", id.runId());
    props.setProperty("dag", id.dag());
    props.setProperty("task", id.task());
    props.setProperty("attempt", Integer.toString(id.attempt()));
    return props;
  }

  /** Replaces the attempt's file at once: a crash leaves the old record or the new one. */
  private void write(AttemptId id, Properties props) {
    try {
      Path target = file(id);
      Path temp = Files.createTempFile(dir, "write-", ".tmp");
      try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
        props.store(writer, null);
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot record attempt " + id + " in " + dir, e);
    }
  }

  /** A short file name for the attempt; the file itself holds its id. */
  private Path file(AttemptId id) {
    String name = id.dag() + "\n" + id.runId() + "\n" + id.task() + "\n" + id.attempt();
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return dir.resolve(HexFormat.of().formatHex(hash) + SUFFIX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
