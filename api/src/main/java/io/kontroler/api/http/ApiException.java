package io.kontroler.api.http;

import io.kontroler.core.validate.Problem;
import java.util.List;

/** An expected failure of a request: an HTTP status and the problems to answer with. */
public final class ApiException extends RuntimeException {
  private final int status;
  private final transient List<Problem> problems;

  public ApiException(int status, List<Problem> problems) {
    super(problems.isEmpty() ? "HTTP " + status : problems.get(0).toString());
    this.status = status;
    this.problems = List.copyOf(problems);
  }

  public ApiException(int status, String message) {
    this(status, List.of(new Problem("", message)));
  }

  public static ApiException badRequest(List<Problem> problems) {
    return new ApiException(400, problems);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, message);
  }

  public int status() {
    return status;
  }

  public List<Problem> problems() {
    return problems;
  }
}
