package io.kontroler.logstore;

import java.nio.charset.StandardCharsets;

/**
 * A byte range of a log. {@code nextOffset} is where the following read starts; {@code complete}
 * says the attempt has finished writing, so nothing will be added past the end; {@code found} is
 * false when the store has no log under the key (yet).
 */
public record LogChunk(byte[] data, long offset, long nextOffset, boolean complete, boolean found) {

  public static LogChunk notFound(long offset) {
    return new LogChunk(new byte[0], offset, offset, false, false);
  }

  /** True when this chunk reaches the end of a finished log: following may stop. */
  public boolean atEnd() {
    return complete && data.length == 0;
  }

  public String text() {
    return new String(data, StandardCharsets.UTF_8);
  }
}
