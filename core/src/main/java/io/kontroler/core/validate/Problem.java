package io.kontroler.core.validate;

/** One thing wrong with a document: where ({@code spec.task[2].runAfter[0]}) and what. */
public record Problem(String path, String message) {
  public Problem {
    path = path == null ? "" : path;
  }

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
