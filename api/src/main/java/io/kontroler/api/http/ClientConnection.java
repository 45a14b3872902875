package io.kontroler.api.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Whether the client of a long response is still there. A stream with nothing to write would
 * otherwise notice a client that left only at its next write, which for a quiet log may be never:
 * the connection is asked directly, and a closed one (end of input) or a client that already sends
 * its next request means the stream should end.
 */
public final class ClientConnection {
  private ClientConnection() {}

  /** True when the client closed the connection or moved on; false while it waits for bytes. */
  public static boolean gone(HttpServletRequest request) {
    Request base = Request.getBaseRequest(request);
    if (base == null || base.getHttpChannel() == null) {
      return false;
    }
    EndPoint endPoint = base.getHttpChannel().getEndPoint();
    if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
      return true;
    }
    ByteBuffer probe = BufferUtil.allocate(1);
    try {
      return endPoint.fill(probe) != 0;
    } catch (IOException e) {
      return true;
    }
  }
}
