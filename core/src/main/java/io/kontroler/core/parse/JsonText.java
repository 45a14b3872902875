package io.kontroler.core.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * JSON text for the state machine, which knows no Jackson: a {@code forEach} value read as a list,
 * and an item written back as text.
 */
public final class JsonText {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SHOWN_CHARS = 200;

  private JsonText() {}

  /** A parsed list, or why the text is not one. */
  public record ListOrError(List<Object> items, String error) {}

  /** {@code text} as a JSON list of plain trees, or the error saying what it got. */
  @SuppressWarnings("unchecked")
  public static ListOrError parseList(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return new ListOrError(
          null, "expected a JSON list, but got text that is not JSON: " + shown(text));
    }
    if (node == null || !node.isArray()) {
      String what = node == null ? "nothing" : NodeReader.describe(node);
      return new ListOrError(null, "expected a JSON list, but got " + shown(what));
    }
    return new ListOrError((List<Object>) Json.toPlain(node), null);
  }

  /** A plain tree as JSON text; a string as itself (unquoted), as {@code {{ item }}} shows it. */
  public static String itemText(Object item) {
    if (item instanceof String s) {
      return s;
    }
    if (item == null) {
      return "null";
    }
    try {
      return JSON.writeValueAsString(item);
    } catch (JsonProcessingException e) {
      return String.valueOf(item);
    }
  }

  private static String shown(String text) {
    return text.length() <= SHOWN_CHARS
        ? "'" + text + "'"
        : "'" + text.substring(0, SHOWN_CHARS) + "…'";
  }
}
