package io.kontroler.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.kontroler.core.validate.Problem;
import java.io.IOException;
import java.util.List;

/** The JSON mapper of the API: records by accessor, ISO-8601 times, no nulls written. */
public final class Json {
  public static final ObjectMapper MAPPER = create();

  private Json() {}

  private static ObjectMapper create() {
    ObjectMapper m = new ObjectMapper();
    m.registerModule(new JavaTimeModule());
    m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    m.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    return m;
  }

  /** Reads {@code bytes} as {@code type}; a syntax or shape error is a 400 with line and column. */
  public static <T> T read(byte[] bytes, Class<T> type) {
    try {
      T value = MAPPER.readValue(bytes, type);
      if (value == null) {
        throw ApiException.badRequest(List.of(new Problem("", "expected a JSON object")));
      }
      return value;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(List.of(problem(e)));
    } catch (IOException e) {
      throw ApiException.badRequest(List.of(new Problem("", "unreadable body: " + e.getMessage())));
    }
  }

  public static JsonNode tree(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Expected stored JSON, but " + e.getOriginalMessage(), e);
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Expected a serialisable value, but " + e.getMessage(), e);
    }
  }

  static Problem problem(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new Problem(where, "invalid JSON: " + e.getOriginalMessage());
  }
}
