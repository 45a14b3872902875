package io.kontroler.api.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads request bodies within the configured size limit: beyond it, 413 and nothing read. */
public final class Bodies {
  private final long maxBytes;

  public Bodies(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  public long maxBytes() {
    return maxBytes;
  }

  public byte[] bytes(Context ctx) {
    long declared = ctx.contentLength();
    if (declared > maxBytes) {
      throw tooLarge();
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (data.length > maxBytes) {
        throw tooLarge();
      }
      return data;
    } catch (IOException e) {
      throw new ApiException(400, "unreadable body: " + e.getMessage());
    }
  }

  public String text(Context ctx) {
    return new String(bytes(ctx), StandardCharsets.UTF_8);
  }

  public <T> T json(Context ctx, Class<T> type) {
    byte[] data = bytes(ctx);
    if (data.length == 0) {
      throw new ApiException(400, "expected a JSON body, but the body is empty");
    }
    return Json.read(data, type);
  }

  private ApiException tooLarge() {
    return new ApiException(413, "request body larger than the limit of " + maxBytes + " bytes");
  }
}
