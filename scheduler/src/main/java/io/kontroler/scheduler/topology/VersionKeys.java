package io.kontroler.scheduler.topology;

/** Keys of the DAG versions store: {@code namespace/name#version}. */
final class VersionKeys {
  private VersionKeys() {}

  static String of(String dag, int version) {
    return dag + "#" + version;
  }
}
