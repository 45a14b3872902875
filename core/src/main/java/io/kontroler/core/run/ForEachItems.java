package io.kontroler.core.run;

import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.parse.JsonText;
import java.util.List;

/**
 * The items a {@code forEach} task fans out over: its literal list, or its template rendered and
 * read as a JSON list. The list is not stored in the run: it is derived again when an instance is
 * launched (the references it reads do not change while the task runs), through the plan's cache of
 * recent lists, so that launching the next instance does not parse the list again.
 */
final class ForEachItems {
  private ForEachItems() {}

  /** A list, or why there is none. */
  record Items(List<Object> list, String error) {}

  static Items of(DagPlan plan, int i, String runId, RunValues values) {
    TaskSpec spec = plan.task(i);
    if (spec.forEachItems() != null) {
      return new Items(spec.forEachItems(), null);
    }
    String text = values.render(spec.forEachTemplate());
    return plan.itemsCache().get(runId + "/" + spec.name(), text, ForEachItems::parse);
  }

  private static Items parse(String text) {
    JsonText.ListOrError parsed = JsonText.parseList(text);
    return parsed.error() != null
        ? new Items(null, "forEach " + parsed.error())
        : new Items(List.copyOf(nullsAsText(parsed.items())), null);
  }

  /** JSON nulls as the text "null": List.copyOf refuses nulls, and {{ item }} shows "null". */
  private static List<Object> nullsAsText(List<Object> items) {
    if (!items.contains(null)) {
      return items;
    }
    return items.stream().map(o -> o == null ? (Object) "null" : o).toList();
  }
}
