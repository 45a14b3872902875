package io.kontroler.core.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.core.validate.Problem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads typed fields out of a JSON/YAML object node, recording a {@link Problem} with its path for
 * every unknown field and every value of the wrong type instead of stopping at the first.
 */
final class NodeReader {
  private final JsonNode node;
  private final String path;
  private final List<Problem> problems;

  NodeReader(JsonNode node, String path, List<Problem> problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  List<Problem> problems() {
    return problems;
  }

  String child(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  void problem(String at, String message) {
    problems.add(new Problem(at, message));
  }

  /** Reports every field of this object that is not in {@code allowed}. */
  void allowOnly(Set<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        problem(child(name), "unknown field '" + name + "'");
      }
    }
  }

  boolean has(String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  String string(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isValueNode()) {
      return value.asText();
    }
    problem(child(field), "expected a string, but got " + describe(value));
    return null;
  }

  /**
   * A field that is a list or a text ({@code forEach}): a plain list or a String, or null (with a
   * problem when it is something else).
   */
  Object listOrText(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isArray() || value.isTextual()) {
      return Json.toPlain(value);
    }
    problem(
        child(field),
        "expected a list or a template text that yields a JSON list, but got " + describe(value));
    return null;
  }

  Integer integer(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber() && value.canConvertToInt()) {
      return value.intValue();
    }
    problem(child(field), "expected an integer, but got " + describe(value));
    return null;
  }

  Long longValue(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    problem(child(field), "expected an integer, but got " + describe(value));
    return null;
  }

  Double number(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return value.doubleValue();
    }
    problem(child(field), "expected a number, but got " + describe(value));
    return null;
  }

  Boolean bool(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    problem(child(field), "expected true or false, but got " + describe(value));
    return null;
  }

  List<String> strings(String field) {
    return list(
        field,
        (item, at) -> {
          if (item.isValueNode() && !item.isNull()) {
            return item.asText();
          }
          problem(at, "expected a string, but got " + describe(item));
          return null;
        });
  }

  List<Integer> integers(String field) {
    return list(
        field,
        (item, at) -> {
          if (item.isIntegralNumber() && item.canConvertToInt()) {
            return item.intValue();
          }
          problem(at, "expected an integer, but got " + describe(item));
          return null;
        });
  }

  /** Each element of an array field through {@code reader}; nulls it returns are dropped. */
  <T> List<T> list(String field, BiFunction<JsonNode, String, T> reader) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      problem(child(field), "expected a list, but got " + describe(value));
      return null;
    }
    List<T> result = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      T item = reader.apply(value.get(i), child(field) + "[" + i + "]");
      if (item != null) {
        result.add(item);
      }
    }
    return result;
  }

  /** A nested object field, or null when absent (a non-object is reported). */
  NodeReader object(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      problem(child(field), "expected an object, but got " + describe(value));
      return null;
    }
    return new NodeReader(value, child(field), problems);
  }

  static NodeReader of(JsonNode item, String at, List<Problem> problems) {
    if (!item.isObject()) {
      problems.add(new Problem(at, "expected an object, but got " + describe(item)));
      return null;
    }
    return new NodeReader(item, at, problems);
  }

  Map<String, String> stringMap(String field) {
    NodeReader nested = object(field);
    if (nested == null) {
      return null;
    }
    Map<String, String> result = new LinkedHashMap<>();
    nested
        .node
        .fields()
        .forEachRemaining(
            e -> {
              String value = nested.string(e.getKey());
              if (value != null) {
                result.put(e.getKey(), value);
              }
            });
    return result;
  }

  /** A free-form object field as a plain tree of maps, lists and scalars. */
  @SuppressWarnings("unchecked")
  Map<String, Object> tree(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      problem(child(field), "expected an object, but got " + describe(value));
      return null;
    }
    return (Map<String, Object>) Json.toPlain(value);
  }

  /** A free-form array field as a list of plain trees. */
  @SuppressWarnings("unchecked")
  List<Object> treeList(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      problem(child(field), "expected a list, but got " + describe(value));
      return null;
    }
    return (List<Object>) Json.toPlain(value);
  }

  static String describe(JsonNode value) {
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "a list";
    }
    if (value.isTextual()) {
      return "'" + value.asText() + "'";
    }
    return value.toString();
  }
}
