package io.kontroler.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.util.JavalinBindException;
import io.kontroler.cli.client.ApiClient;
import io.kontroler.embedded.EmbeddedKafka;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.NoSuchFileException;
import java.util.Set;

/**
 * The one place where a failed command becomes words and an exit code: what went wrong, where, and
 * what to do about it, never a bare exception name or {@code null}.
 */
public final class Failures {
  private static final Set<Integer> REJECTIONS = Set.of(400, 409, 422);

  private Failures() {}

  /**
   * What the user is told, and the code the command exits with.
   *
   * @param bug whether this is a failure nobody foresaw, whose stack trace is worth printing
   */
  public record Failure(ExitCode code, String message, boolean bug) {
    Failure(ExitCode code, String message) {
      this(code, message, false);
    }
  }

  /** The failure that {@code e} stands for. */
  public static Failure describe(Throwable e) {
    if (e instanceof ApiClient.ApiError error) {
      return describe(error);
    }
    if (e instanceof io.kontroler.cli.client.SignInRefused r) {
      return new Failure(
          ExitCode.UNAUTHENTICATED, "Single sign-on failed: " + r.getMessage() + ".");
    }
    if (e instanceof ApiClient.Unreachable u) {
      return new Failure(
          ExitCode.UNREACHABLE,
          "Kontroler server not reachable at "
              + u.url()
              + " ("
              + connectReason(u)
              + "). Is it running? Point at it with --url or KONTROLER_URL.");
    }
    if (e instanceof ApiClient.TlsFailure t) {
      return new Failure(
          ExitCode.TLS,
          "TLS error talking to "
              + t.url()
              + ": "
              + rootMessage(t)
              + ". Check that the URL's scheme (http or https) is the server's and that Java"
              + " trusts its certificate.");
    }
    if (e instanceof EmbeddedKafka.PortInUse p) {
      return new Failure(
          ExitCode.CANNOT_START,
          p.getMessage()
              + " (another Kafka broker, or another standalone?). Stop it, or choose another port"
              + " with --kafka-port N (0 picks a free one).");
    }
    if (e instanceof JavalinBindException b) {
      return new Failure(
          ExitCode.CANNOT_START, rootMessage(b) + " Choose another port for the API with --port.");
    }
    if (e instanceof JsonProcessingException j) {
      return new Failure(
          ExitCode.SERVER_ERROR,
          "The server answered something that is not Kontroler's JSON (is the URL a Kontroler"
              + " server?): "
              + j.getOriginalMessage());
    }
    if (e instanceof NoSuchFileException n) {
      return new Failure(ExitCode.FAILED, "No such file: " + n.getFile());
    }
    if (e instanceof IOException) {
      return new Failure(ExitCode.FAILED, rootMessage(e));
    }
    return new Failure(
        ExitCode.FAILED, "unexpected " + e.getClass().getName() + ": " + rootMessage(e), true);
  }

  private static Failure describe(ApiClient.ApiError e) {
    String said = e.getMessage();
    String where = " (" + e.request() + ")";
    return switch (e.status()) {
      case 401 ->
          new Failure(
              ExitCode.UNAUTHENTICATED,
              e.request().endsWith("/auth/login")
                  ? "Login refused (401): " + said + ". Check the user name and password."
                  : "Not authenticated (401): "
                      + said
                      + where
                      + ". Log in again: kontroler login (or pass --token / KONTROLER_TOKEN).");
      case 403 ->
          new Failure(
              ExitCode.FORBIDDEN,
              "Forbidden (403): "
                  + said
                  + where
                  + ". Ask an admin for that role, or log in as a user who has it.");
      case 404 -> new Failure(ExitCode.NOT_FOUND, "Not found (404): " + said + where + ".");
      default -> {
        if (REJECTIONS.contains(e.status())) {
          yield new Failure(ExitCode.REJECTED, "Rejected (" + e.status() + "): " + said + where);
        }
        yield new Failure(
            ExitCode.SERVER_ERROR,
            "Server error (" + e.status() + "): " + said + where + ". The server's log says more.");
      }
    };
  }

  private static String connectReason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException) {
        return "unknown host";
      }
      if (t instanceof HttpConnectTimeoutException) {
        return "timed out connecting";
      }
      if (t instanceof ConnectException && t.getMessage() != null) {
        return t.getMessage().toLowerCase(java.util.Locale.ROOT);
      }
    }
    // Java's HTTP client reports a refused connection as a ConnectException without a message
    return "connection refused";
  }

  /** The most specific message in the chain of causes; the type's name when none has one. */
  static String rootMessage(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message != null ? message : e.getClass().getSimpleName();
  }
}
