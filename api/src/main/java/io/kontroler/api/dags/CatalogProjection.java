package io.kontroler.api.dags;

import io.kontroler.api.db.Database;
import io.kontroler.core.message.Catalog;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Records what {@code kontroler.dags} says into the api's DAG tables, the only way DAG and DagTask
 * versions get there: the scheduler numbers them, the api reads them. A record that answers a
 * submission of this api completes it after it is recorded, so the caller reads its own version.
 */
public final class CatalogProjection {
  private final Database db;
  private final Supplier<String> secrets;
  private final Submissions submissions;
  private final Clock clock;

  /**
   * @param secrets a new webhook signing secret, for a DAG seen for the first time
   */
  public CatalogProjection(
      Database db, Supplier<String> secrets, Submissions submissions, Clock clock) {
    this.db = db;
    this.secrets = secrets;
    this.submissions = submissions;
    this.clock = clock;
  }

  public void apply(Catalog record) {
    db.transaction(
        c -> {
          if (record instanceof Catalog.DagPublished d) {
            DagStore.recordDag(
                c, d.dag(), d.version(), d.spec(), at(d.publishedAt()), secrets.get());
          } else if (record instanceof Catalog.DagDeleted d) {
            DagStore.markDeleted(c, d.dag(), at(d.deletedAt()));
          } else if (record instanceof Catalog.DagTaskPublished t) {
            DagStore.recordDagTask(c, t.namespace(), t.name(), t.version(), t.spec(), at(null));
          }
          return null;
        });
    if (record instanceof Catalog.DagPublished d && d.submissionId() != null) {
      submissions.published(d.submissionId(), d.version());
    } else if (record instanceof Catalog.DagTaskPublished t && t.submissionId() != null) {
      submissions.published(t.submissionId(), t.version());
    }
  }

  private Instant at(Instant t) {
    return t == null ? clock.instant() : t;
  }
}
