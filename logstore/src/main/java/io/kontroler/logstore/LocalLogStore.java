package io.kontroler.logstore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Logs in a folder: {@code <root>/runs/<run>/<task>/<attempt>.log}, written as the attempt runs so
 * readers can follow it. The embedded default, with {@code <data-dir>/logs} as the root.
 */
public final class LocalLogStore implements LogStore {
  private final Path root;

  public LocalLogStore(Path root) {
    this.root = root.toAbsolutePath();
  }

  public Path root() {
    return root;
  }

  @Override
  public LogWriter open(LogKey key) throws IOException {
    return new FileLogWriter(root.resolve(key.path()), () -> {});
  }

  @Override
  public LogChunk read(LogKey key, long offset, int maxBytes) throws IOException {
    return LocalFiles.read(root.resolve(key.path()), offset, maxBytes);
  }

  @Override
  public List<LogKey> attempts(String runId) throws IOException {
    List<LogKey> keys = LocalFiles.attempts(root, runId);
    keys.sort(LocalFiles.order());
    return keys;
  }

  @Override
  public void deleteRun(String runId) throws IOException {
    LocalFiles.deleteTree(root.resolve(LogKey.runPrefix(runId)));
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "LocalLogStore[" + root + "]";
  }
}
