package io.kontroler.api.http;

import io.javalin.http.Context;
import io.kontroler.core.validate.Problem;
import java.util.List;

/** {@code limit} and {@code offset} query parameters, checked. */
public record Paging(int limit, int offset) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public static Paging of(Context ctx) {
    return new Paging(
        intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE));
  }

  /** An integer query parameter within {@code min..max}; 400 otherwise. */
  public static int intParam(Context ctx, String name, int fallback, int min, int max) {
    String text = ctx.queryParam(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest(
        List.of(
            new Problem(
                name, "expected an integer in " + min + ".." + max + ", but got '" + text + "'")));
  }
}
