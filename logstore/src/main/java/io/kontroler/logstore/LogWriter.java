package io.kontroler.logstore;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Appends to the log of one attempt while it runs; what is written is visible to readers at once.
 * {@link #close()} finishes the log: it becomes complete and, for a remote store, is uploaded.
 */
public interface LogWriter extends Closeable {

  void write(byte[] bytes, int offset, int length) throws IOException;

  /** Appends {@code text} and a newline. */
  default void line(String text) throws IOException {
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    write(bytes, 0, bytes.length);
  }

  /** Bytes written so far. */
  long size();

  /** A view as an {@link OutputStream}; closing the stream finishes the log. */
  default OutputStream asOutputStream() {
    LogWriter writer = this;
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        writer.write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        writer.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        writer.close();
      }
    };
  }
}
