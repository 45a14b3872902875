package io.kontroler.api.logs;

import io.javalin.http.Context;
import io.kontroler.api.auth.AccessGuard;
import io.kontroler.api.auth.Role;
import io.kontroler.api.dags.DagStore;
import io.kontroler.api.http.ApiException;
import io.kontroler.api.http.ClientConnection;
import io.kontroler.api.http.LiveStreams;
import io.kontroler.api.http.Route;
import io.kontroler.api.runs.RunService;
import io.kontroler.api.runs.RunStore;
import io.kontroler.logstore.LogChunk;
import io.kontroler.logstore.LogKey;
import io.kontroler.logstore.LogStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs of task attempts: the stored log, whole or by {@code Range: bytes=a-b}, {@code bytes=a-} or
 * {@code bytes=-n} (206, with {@code Content-Range}; 416 for a range that is malformed or beyond
 * the log); and a live follow stream that ends when the attempt's log is complete or its client
 * leaves. A follow is a {@link LiveStreams live stream}: bounded per user and in all, served off
 * the threads of the other routes, and answered 404 at once when the attempt has no log and never
 * will.
 */
public final class LogRoutes {
  private static final Logger LOGGER = LoggerFactory.getLogger(LogRoutes.class);
  private static final String LOG = "/api/v1/runs/{id}/tasks/{task}/attempts/{attempt}/log";
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  private static final int CHUNK = 256 * 1024;
  private static final int MAX_RANGE = 64 * 1024 * 1024;

  private final LogStore logs;
  private final RunService runs;
  private final KnownAttempts known;
  private final LiveStreams streams;
  private final Duration pollInterval;
  private final Duration heartbeat;

  /**
   * @param pollInterval how often a follow looks for new bytes
   * @param heartbeat how often a follow with nothing to write checks that its client is there
   */
  public LogRoutes(
      LogStore logs,
      RunService runs,
      RunStore runStore,
      DagStore dags,
      LiveStreams streams,
      Duration pollInterval,
      Duration heartbeat) {
    this.logs = logs;
    this.runs = runs;
    this.known = new KnownAttempts(runStore, dags);
    this.streams = streams;
    this.pollInterval = pollInterval;
    this.heartbeat = heartbeat;
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
    return key(runs.existing(ctx.pathParam("id")), ctx);
  }

  private static LogKey key(RunStore.RunRow run, Context ctx) {
    try {
      int attempt = Integer.parseInt(ctx.pathParam("attempt"));
      return new LogKey(run.id(), ctx.pathParam("task"), attempt);
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
      long last = position(m.group(2), range);
      if (last == 0) {
        throw new ApiException(416, "range " + range + " asks for no bytes");
      }
      start = Math.max(0, size(key) - last);
      end = Long.MAX_VALUE;
    } else {
      start = position(m.group(1), range);
      end = m.group(2).isEmpty() ? Long.MAX_VALUE : position(m.group(2), range);
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

  /** A byte position of a Range header; one past any log's size is unsatisfiable, 416. */
  private static long position(String digits, String range) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new ApiException(416, "range " + range + " lies beyond any log");
    }
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
    RunStore.RunRow run = runs.existing(ctx.pathParam("id"));
    LogKey key = key(run, ctx);
    long offset = Math.max(0, parseOffset(ctx.queryParam("offset")));
    if (!logs.read(key, 0, 1).found()) {
      Optional<String> never = known.whyNever(run, key.task(), key.attempt());
      if (never.isPresent()) {
        throw ApiException.notFound(never.get());
      }
    }
    LiveStreams.Permit permit = streams.acquire(AccessGuard.principal(ctx).username());
    try {
      ctx.contentType("text/plain; charset=utf-8");
      ctx.header("Cache-Control", "no-cache");
      ctx.header("X-Accel-Buffering", "no");
      ctx.async(
          c -> {
            c.executor = streams.executor();
            c.timeout = 0;
          },
          () -> {
            try (permit) {
              pump(ctx, key, offset);
            }
          });
    } catch (RuntimeException e) {
      permit.close();
      throw e;
    }
  }

  /** Copies the log to the client until it is complete, the client leaves, or the server stops. */
  private void pump(Context ctx, LogKey key, long from) throws IOException {
    OutputStream out = ctx.res().getOutputStream();
    long offset = from;
    long lastSign = System.nanoTime();
    try {
      out.flush();
      while (!Thread.currentThread().isInterrupted()) {
        LogChunk chunk = logs.read(key, offset, CHUNK);
        if (chunk.data().length > 0) {
          out.write(chunk.data());
          out.flush();
          offset = chunk.nextOffset();
          lastSign = System.nanoTime();
          continue;
        }
        if (chunk.found() && chunk.complete()) {
          return;
        }
        if (System.nanoTime() - lastSign >= heartbeat.toNanos()) {
          if (ClientConnection.gone(ctx.req())) {
            LOGGER.debug("The client following {} left", key.path());
            return;
          }
          lastSign = System.nanoTime();
        }
        Thread.sleep(pollInterval.toMillis());
      }
    } catch (IOException e) {
      LOGGER.debug("The client following {} left: {}", key.path(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
