package io.kontroler.api.dags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kontroler.api.db.Database;
import io.kontroler.api.db.Rows;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.message.MessageCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * DAG and DagTask versions as the api knows them: written only from what {@code kontroler.dags}
 * says ({@link CatalogProjection}), read by the routes.
 */
public final class DagStore {
  private static final ObjectMapper SPECS = MessageCodec.mapper();

  /** The current state of a DAG: its latest version and flags. */
  public record DagHead(
      String dag,
      String namespace,
      String name,
      int latestVersion,
      boolean suspended,
      boolean deleted,
      String webhookSecret,
      Instant updatedAt) {}

  /** One stored version of a DAG, task references resolved. */
  public record DagVersion(int version, DagSpec spec, Instant publishedAt) {}

  /** One stored version of a DagTask. */
  public record DagTaskVersion(int version, DagTaskSpec spec, Instant publishedAt) {}

  /** A DagTask as listed. */
  public record DagTaskSummary(String namespace, String name, int latestVersion) {}

  private final Database db;

  public DagStore(Database db) {
    this.db = db;
  }

  public Database database() {
    return db;
  }

  public Optional<DagHead> head(String dag) {
    return db.read(c -> head(c, dag));
  }

  public static Optional<DagHead> head(Connection c, String dag) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM dags WHERE dag = ?")) {
      Rows.bind(ps, dag);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(head(rs)) : Optional.empty();
      }
    }
  }

  private static DagHead head(ResultSet rs) throws SQLException {
    return new DagHead(
        rs.getString("dag"),
        rs.getString("namespace"),
        rs.getString("name"),
        rs.getInt("latest_version"),
        Rows.flag(rs, "suspended"),
        Rows.flag(rs, "deleted"),
        rs.getString("webhook_secret"),
        Rows.instant(rs, "updated_at"));
  }

  /** Live DAGs whose name contains {@code search}, by namespace and name. */
  public List<DagHead> list(String search, String namespace, int limit, int offset) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM dags WHERE deleted = 0 AND name LIKE ? ESCAPE '\\' AND (? = '' OR"
                      + " namespace = ?) ORDER BY namespace, name LIMIT ? OFFSET ?")) {
            String ns = namespace == null ? "" : namespace;
            Rows.bind(ps, Rows.likeContains(search == null ? "" : search), ns, ns, limit, offset);
            List<DagHead> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(head(rs));
              }
            }
            return out;
          }
        });
  }

  public long count(String search, String namespace) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM dags WHERE deleted = 0 AND name LIKE ? ESCAPE '\\' AND (?"
                      + " = '' OR namespace = ?)")) {
            String ns = namespace == null ? "" : namespace;
            Rows.bind(ps, Rows.likeContains(search == null ? "" : search), ns, ns);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /** Versions of a DAG, oldest first. */
  public List<DagVersion> versions(String dag) {
    return db.read(c -> versions(c, dag));
  }

  public static List<DagVersion> versions(Connection c, String dag) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT version, spec, published_at FROM dag_versions WHERE dag = ? ORDER BY"
                + " version")) {
      Rows.bind(ps, dag);
      List<DagVersion> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new DagVersion(
                  rs.getInt(1),
                  read(rs.getString(2), DagSpec.class),
                  Rows.instant(rs, "published_at")));
        }
      }
      return out;
    }
  }

  public Optional<DagVersion> version(String dag, int version) {
    return versions(dag).stream().filter(v -> v.version() == version).findFirst();
  }

  public SortedMap<Integer, DagTaskSpec> dagTaskVersions(String namespace, String name) {
    SortedMap<Integer, DagTaskSpec> out = new TreeMap<>();
    dagTaskHistory(namespace, name).forEach(v -> out.put(v.version(), v.spec()));
    return out;
  }

  public List<DagTaskVersion> dagTaskHistory(String namespace, String name) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT version, spec, published_at FROM dag_task_versions WHERE namespace = ?"
                      + " AND name = ? ORDER BY version")) {
            Rows.bind(ps, namespace, name);
            List<DagTaskVersion> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new DagTaskVersion(
                        rs.getInt(1),
                        read(rs.getString(2), DagTaskSpec.class),
                        Rows.instant(rs, "published_at")));
              }
            }
            return out;
          }
        });
  }

  public List<DagTaskSummary> dagTasks(String namespace) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT namespace, name, MAX(version) FROM dag_task_versions WHERE (? = '' OR"
                      + " namespace = ?) GROUP BY namespace, name ORDER BY namespace, name")) {
            String ns = namespace == null ? "" : namespace;
            Rows.bind(ps, ns, ns);
            List<DagTaskSummary> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(new DagTaskSummary(rs.getString(1), rs.getString(2), rs.getInt(3)));
              }
            }
            return out;
          }
        });
  }

  /**
   * Records a DAG version (kept if already there) and moves the head to it unless a later version
   * is known. {@code secret} is the webhook secret for a DAG seen for the first time.
   */
  public static void recordDag(
      Connection c, String dag, int version, DagSpec spec, Instant at, String secret)
      throws SQLException {
    int slash = dag.indexOf('/');
    try (PreparedStatement v =
            c.prepareStatement(
                "INSERT INTO dag_versions (dag, version, spec, published_at) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (dag, version) DO NOTHING");
        PreparedStatement h =
            c.prepareStatement(
                "INSERT INTO dags (dag, namespace, name, latest_version, suspended, deleted,"
                    + " webhook_secret, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT"
                    + " (dag) DO UPDATE SET latest_version = excluded.latest_version, suspended ="
                    + " excluded.suspended, deleted = 0, updated_at = excluded.updated_at WHERE"
                    + " excluded.latest_version >= dags.latest_version")) {
      Rows.bind(v, dag, version, write(spec.withSuspended(false)), at);
      v.executeUpdate();
      Rows.bind(
          h,
          dag,
          dag.substring(0, slash),
          dag.substring(slash + 1),
          version,
          spec.suspended(),
          secret,
          at);
      h.executeUpdate();
    }
  }

  public static void markDeleted(Connection c, String dag, Instant at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE dags SET deleted = 1, updated_at = ? WHERE dag = ?")) {
      Rows.bind(ps, at, dag);
      ps.executeUpdate();
    }
  }

  public static void recordDagTask(
      Connection c, String namespace, String name, int version, DagTaskSpec spec, Instant at)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dag_task_versions (namespace, name, version, spec, published_at) VALUES"
                + " (?, ?, ?, ?, ?) ON CONFLICT (namespace, name, version) DO NOTHING")) {
      Rows.bind(ps, namespace, name, version, write(spec), at);
      ps.executeUpdate();
    }
  }

  public void rotateSecret(String dag, String secret) {
    db.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE dags SET webhook_secret = ? WHERE dag = ?")) {
            Rows.bind(ps, secret, dag);
            return ps.executeUpdate();
          }
        });
  }

  static String write(Object spec) {
    try {
      return SPECS.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Expected a serialisable spec, but " + e.getMessage(), e);
    }
  }

  static <T> T read(String json, Class<T> type) {
    try {
      return SPECS.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Expected a stored " + type.getSimpleName(), e);
    }
  }
}
