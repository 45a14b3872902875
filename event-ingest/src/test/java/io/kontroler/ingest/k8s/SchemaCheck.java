package io.kontroler.ingest.k8s;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a JSON-like value against a CRD's structural schema as the API server would with strict
 * field validation: types, enums, required fields, and unknown fields of closed objects.
 */
final class SchemaCheck {
  private SchemaCheck() {}

  static List<String> problems(Object value, Map<String, Object> schema) {
    List<String> problems = new ArrayList<>();
    check(value, schema, "", problems);
    return problems;
  }

  @SuppressWarnings("unchecked")
  private static void check(Object value, Map<String, Object> schema, String at, List<String> out) {
    if (value == null) {
      if (!Boolean.TRUE.equals(schema.get("nullable"))) {
        out.add(at + ": null is not allowed");
      }
      return;
    }
    String type = (String) schema.get("type");
    switch (type) {
      case "object" -> {
        if (!(value instanceof Map<?, ?> map)) {
          out.add(at + ": expected an object");
          return;
        }
        Map<String, Map<String, Object>> props = Crds.properties(schema);
        Map<String, Object> additional = (Map<String, Object>) schema.get("additionalProperties");
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String key = (String) e.getKey();
          String path = at.isEmpty() ? key : at + "." + key;
          if (props.containsKey(key)) {
            check(e.getValue(), props.get(key), path, out);
          } else if (additional != null) {
            check(e.getValue(), additional, path, out);
          } else if (!Crds.open(schema)) {
            out.add(path + ": unknown field");
          }
        }
        for (String required : (List<String>) schema.getOrDefault("required", List.of())) {
          if (!map.containsKey(required)) {
            out.add(at + "." + required + ": required");
          }
        }
      }
      case "array" -> {
        if (!(value instanceof List<?> list)) {
          out.add(at + ": expected an array");
          return;
        }
        for (int i = 0; i < list.size(); i++) {
          check(list.get(i), (Map<String, Object>) schema.get("items"), at + "[" + i + "]", out);
        }
      }
      case "string" -> {
        if (!(value instanceof String s)) {
          out.add(at + ": expected a string, got " + value);
        } else if (schema.containsKey("enum") && !((List<?>) schema.get("enum")).contains(s)) {
          out.add(at + ": '" + s + "' is not one of " + schema.get("enum"));
        }
      }
      case "integer" -> {
        if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger)) {
          out.add(at + ": expected an integer, got " + value);
        }
      }
      case "number" -> {
        if (!(value instanceof Number)) {
          out.add(at + ": expected a number, got " + value);
        }
      }
      case "boolean" -> {
        if (!(value instanceof Boolean)) {
          out.add(at + ": expected a boolean, got " + value);
        }
      }
      default -> out.add(at + ": unknown schema type " + type);
    }
  }
}
