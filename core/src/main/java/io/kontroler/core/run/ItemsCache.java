package io.kontroler.core.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The lists that {@code forEach} templates yielded lately, by run and task, each with the text it
 * was read from: a hit only when the text is the same, so the cache changes how fast, never what,
 * the machine decides. Bounded; shared by the threads that run one plan.
 */
final class ItemsCache {
  private static final int ENTRIES = 32;

  private record Entry(String text, ForEachItems.Items items) {}

  private final Map<String, Entry> entries =
      new LinkedHashMap<>(ENTRIES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
          return size() > ENTRIES;
        }
      };

  synchronized ForEachItems.Items get(
      String key, String text, Function<String, ForEachItems.Items> parse) {
    Entry e = entries.get(key);
    if (e != null && e.text().equals(text)) {
      return e.items();
    }
    ForEachItems.Items items = parse.apply(text);
    entries.put(key, new Entry(text, items));
    return items;
  }
}
