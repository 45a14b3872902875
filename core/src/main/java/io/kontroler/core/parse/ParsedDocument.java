package io.kontroler.core.parse;

import io.kontroler.core.dag.Document;
import io.kontroler.core.validate.Problem;
import java.util.List;

/**
 * One document of a file: its position (0-based) and either the parsed resource, or the problems
 * that kept it from being read (then {@code document} is null).
 */
public record ParsedDocument(int index, Document document, List<Problem> problems) {
  public ParsedDocument {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return document != null && problems.isEmpty();
  }
}
