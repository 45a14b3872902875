package io.kontroler.api.http;

import io.kontroler.core.validate.Problem;
import java.util.List;

/** The body of every error answer: {@code {errors: [{path, message}]}}. */
public record ErrorBody(List<Problem> errors) {
  public static ErrorBody of(String message) {
    return new ErrorBody(List.of(new Problem("", message)));
  }
}
