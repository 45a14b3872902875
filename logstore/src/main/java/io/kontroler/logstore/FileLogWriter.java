package io.kontroler.logstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a log file unbuffered, so readers see every write at once. On close it writes the {@code
 * .done} marker next to the file and runs {@code onFinish}.
 */
final class FileLogWriter implements LogWriter {
  private final Path file;
  private final FileChannel channel;
  private final Runnable onFinish;
  private long size;
  private boolean closed;

  FileLogWriter(Path file, Runnable onFinish) throws IOException {
    this.file = file;
    this.onFinish = onFinish;
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(LocalFiles.marker(file));
    this.channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
    if (closed) {
      throw new IOException("Expected an open log, but " + file + " is finished");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    size += length;
  }

  @Override
  public synchronized long size() {
    return size;
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      channel.close();
      Files.write(LocalFiles.marker(file), new byte[0]);
    }
    onFinish.run();
  }
}
