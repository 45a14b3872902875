package io.kontroler.logstore;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

/**
 * Where the logs of task attempts are kept: written live by the executor while an attempt runs,
 * read by byte range or followed by the api. Implementations: {@link LocalLogStore} (a folder, the
 * embedded default) and {@link S3LogStore} (any S3-compatible store). Open one with {@link
 * LogStores#open(LogStoreConfig)}.
 */
public interface LogStore extends AutoCloseable {

  /**
   * Starts (or restarts, truncating) the log of {@code key}. Bytes written are readable at once;
   * closing the writer marks the log complete.
   */
  LogWriter open(LogKey key) throws IOException;

  /**
   * Reads at most {@code maxBytes} from {@code offset}. Reading past the end returns an empty
   * chunk; an unknown key returns a chunk with {@code found == false}.
   */
  LogChunk read(LogKey key, long offset, int maxBytes) throws IOException;

  /** The attempts of {@code runId} that have a log, sorted by task then attempt. */
  List<LogKey> attempts(String runId) throws IOException;

  /**
   * Deletes every log of {@code runId}: complete, live and spooled; a run without logs is no error.
   * History retention calls it for each run it deletes.
   */
  void deleteRun(String runId) throws IOException;

  /**
   * A stream of the log from {@code offset} that waits for new bytes while the attempt runs and
   * ends when the log is complete; {@code pollInterval} is how often it looks for more. Close it to
   * stop following early.
   */
  default InputStream follow(LogKey key, long offset, Duration pollInterval) {
    return new FollowingInputStream(this, key, offset, pollInterval);
  }

  @Override
  void close();
}
