package io.kontroler.logstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;

/** Reads a log chunk by chunk, waiting for more while the log is not complete. */
final class FollowingInputStream extends InputStream {
  private static final int CHUNK = 64 * 1024;

  private final LogStore store;
  private final LogKey key;
  private final long pollMillis;
  private long offset;
  private byte[] buffer = new byte[0];
  private int position;
  private boolean ended;
  private volatile boolean closed;

  FollowingInputStream(LogStore store, LogKey key, long offset, Duration pollInterval) {
    this.store = store;
    this.key = key;
    this.offset = offset;
    this.pollMillis = Math.max(1, pollInterval.toMillis());
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] target, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (position >= buffer.length) {
      if (ended || closed) {
        return -1;
      }
      fill();
    }
    int n = Math.min(len, buffer.length - position);
    System.arraycopy(buffer, position, target, off, n);
    position += n;
    return n;
  }

  private void fill() throws IOException {
    LogChunk chunk = store.read(key, offset, CHUNK);
    if (chunk.data().length > 0) {
      buffer = chunk.data();
      position = 0;
      offset = chunk.nextOffset();
      return;
    }
    if (chunk.complete()) {
      ended = true;
      return;
    }
    try {
      Thread.sleep(pollMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while following " + key.path());
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
