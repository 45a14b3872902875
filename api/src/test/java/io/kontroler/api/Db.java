package io.kontroler.api;

import java.nio.file.Path;

/** The history databases every api test runs on. */
enum Db {
  SQLITE,
  POSTGRESQL;

  /** A JDBC URL of a new, empty database. */
  String newUrl(Path dir) {
    return this == SQLITE
        ? "jdbc:sqlite:" + dir.resolve("kontroler.db")
        : TestPostgres.newDatabase();
  }
}
