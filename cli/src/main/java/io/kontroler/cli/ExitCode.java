package io.kontroler.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** How {@code kontroler} exits: one code per kind of failure, listed in every command's help. */
public enum ExitCode {
  OK(0, "Success."),
  FAILED(1, "The work failed: a run that did not succeed (--wait), an invalid file, a bug."),
  USAGE(2, "Wrong options or arguments."),
  UNREACHABLE(3, "The server could not be reached at its URL (nothing listening, unknown host)."),
  TLS(4, "The TLS handshake with the server failed (untrusted certificate, not TLS)."),
  UNAUTHENTICATED(
      5,
      "Not logged in, wrong password, a refused single sign-on or an expired token (401): log in"
          + " again."),
  FORBIDDEN(6, "Logged in, but the role is too low for it (403)."),
  NOT_FOUND(7, "What was named does not exist (404)."),
  REJECTED(8, "The server refused the request as invalid or conflicting (400, 409, 422)."),
  SERVER_ERROR(9, "The server failed (5xx) or answered something else unexpected."),
  CANNOT_START(10, "standalone could not start: a port it needs is in use.");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /** The list picocli prints under "Exit codes:". */
  public static Map<String, String> helpList() {
    Map<String, String> list = new LinkedHashMap<>();
    for (ExitCode c : values()) {
      list.put(String.format("%2d", c.code), c.meaning);
    }
    return list;
  }
}
