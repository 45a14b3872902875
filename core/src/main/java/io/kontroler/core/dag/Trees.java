package io.kontroler.core.dag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep, unmodifiable copies of JSON-like trees (maps keep their order, nulls are allowed). */
final class Trees {
  private Trees() {}

  static List<Object> list(List<?> source) {
    if (source == null) {
      return List.of();
    }
    List<Object> copy = new ArrayList<>(source.size());
    for (Object item : source) {
      copy.add(copyValue(item));
    }
    return Collections.unmodifiableList(copy);
  }

  static Map<String, Object> map(Map<String, ?> source) {
    if (source == null) {
      return Map.of();
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    source.forEach((k, v) -> copy.put(k, copyValue(v)));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * A deep, unmodifiable copy in which every whole number is a Long and every other number a
   * Double, so that a tree read from YAML equals the same tree read back from JSON.
   */
  static List<Object> normalizedList(List<?> source) {
    List<Object> copy = new ArrayList<>(source.size());
    for (Object item : source) {
      copy.add(normalized(item));
    }
    return Collections.unmodifiableList(copy);
  }

  @SuppressWarnings("unchecked")
  private static Object normalized(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      ((Map<String, ?>) m).forEach((k, v) -> copy.put(k, normalized(v)));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> l) {
      return normalizedList(l);
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Object copyValue(Object value) {
    if (value instanceof Map<?, ?> m) {
      return map((Map<String, ?>) m);
    }
    if (value instanceof List<?> l) {
      return list(l);
    }
    return value;
  }
}
