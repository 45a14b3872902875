package io.kontroler.api.logs;

import io.javalin.http.Context;
import io.kontroler.api.auth.Role;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.Route;
import io.kontroler.api.runs.RunService;
import io.kontroler.logstore.LogChunk;
import io.kontroler.logstore.LogKey;
import io.kontroler.logstore.LogStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Logs of task attempts: the stored log, whole or by {@code Range: bytes=a-b}, {@code bytes=a-} or
 * {@code bytes=-n} (206, with {@code Content-Range}); and a live follow stream that ends when the
 * attempt's log is complete.
 */
public final class LogRoutes {
  private static final String LOG = "/api/v1/runs/{id}/tasks/{task}/attempts/{attempt}/log";
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  private static final int CHUNK = 256 * 1024;
  private static final int MAX_RANGE = 64 * 1024 * 1024;

  private final LogStore logs;
  private final RunService runs;
  private final Duration pollInterval;

  public LogRoutes(LogStore logs, RunService runs, Duration pollInterval) {
    this.logs = logs;
    this.runs = runs;
    this.pollInterval = pollInterval;
  }

  public List<Route> routes() {
    return List.of(
        Route.get(
            "/api/v1/runs/{id}/logs",
            Role.viewer,
            "The attempts of a run that have logs",
            this::list),
        Route.get(LOG, Role.viewer, "An attempt's stored log (Range: bytes=a-b)", this::read),
        Route.get(
            LOG + "/follow",
            Role.viewer,
            "Follow an attempt's log live (?offset=N) until it is complete",
            this::follow));
  }

  private void list(Context ctx) {
    String runId = runs.existing(ctx.pathParam("id")).id();
    try {
      ctx.json(Map.of("items", logs.attempts(runId)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private LogKey key(Context ctx) {
    String runId = runs.existing(ctx.pathParam("id")).id();
    try {
      int attempt = Integer.parseInt(ctx.pathParam("attempt"));
      return new LogKey(runId, ctx.pathParam("task"), attempt);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "bad log address: " + e.getMessage());
    }
  }

  private void read(Context ctx) throws IOException {
    LogKey key = key(ctx);
    String range = ctx.header("Range");
    ctx.header("Accept-Ranges", "bytes");
    if (range == null) {
      whole(ctx, key);
      return;
    }
    Matcher m = RANGE.matcher(range.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      throw new ApiException(
          416, "expected Range: bytes=<start>-[<end>] or bytes=-<last n>, but got '" + range + "'");
    }
    long start;
    long end;
    if (m.group(1).isEmpty()) {
      long size = size(key);
      start = Math.max(0, size - Long.parseLong(m.group(2)));
      end = Long.MAX_VALUE;
    } else {
      start = Long.parseLong(m.group(1));
      end = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
    }
    if (end < start) {
      throw new ApiException(416, "range " + range + " ends before it starts");
    }
    int length = (int) Math.min(MAX_RANGE, Math.min(end - start + 1, Integer.MAX_VALUE));
    LogChunk chunk = logs.read(key, start, length);
    if (!chunk.found()) {
      throw ApiException.notFound("no log for " + key.path());
    }
    if (chunk.data().length == 0 && start > 0) {
      throw new ApiException(416, "range starts at or after the end of the log");
    }
    long last = start + chunk.data().length - 1;
    ctx.status(206)
        .header(
            "Content-Range",
            "bytes " + start + "-" + last + "/" + (chunk.complete() ? total(key, chunk) : "*"))
        .header("X-Log-Complete", String.valueOf(chunk.complete()))
        .contentType("text/plain; charset=utf-8")
        .result(chunk.data());
  }

  private long size(LogKey key) throws IOException {
    LogChunk first = logs.read(key, 0, CHUNK);
    if (!first.found()) {
      throw ApiException.notFound("no log for " + key.path());
    }
    return Long.parseLong(total(key, first));
  }

  private String total(LogKey key, LogChunk chunk) throws IOException {
    long offset = chunk.nextOffset();
    while (true) {
      LogChunk more = logs.read(key, offset, CHUNK);
      if (more.data().length == 0) {
        return String.valueOf(offset);
      }
      offset = more.nextOffset();
    }
  }

  private void whole(Context ctx, LogKey key) throws IOException {
    LogChunk first = logs.read(key, 0, CHUNK);
    if (!first.found()) {
      throw ApiException.notFound("no log for " + key.path());
    }
    ctx.contentType("text/plain; charset=utf-8");
    ctx.header("X-Log-Complete", String.valueOf(first.complete()));
    OutputStream out = ctx.res().getOutputStream();
    LogChunk chunk = first;
    while (chunk.data().length > 0) {
      out.write(chunk.data());
      chunk = logs.read(key, chunk.nextOffset(), CHUNK);
    }
    out.flush();
  }

  private void follow(Context ctx) throws IOException {
    LogKey key = key(ctx);
    long offset = Math.max(0, parseOffset(ctx.queryParam("offset")));
    ctx.contentType("text/plain; charset=utf-8");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Content-Type-Options", "nosniff");
    OutputStream out = ctx.res().getOutputStream();
    byte[] buffer = new byte[8192];
    try (InputStream in = logs.follow(key, offset, pollInterval)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    }
  }

  private static long parseOffset(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ApiException(400, "expected a byte offset, but got '" + text + "'");
    }
  }
}
