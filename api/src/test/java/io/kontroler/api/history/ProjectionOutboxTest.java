package io.kontroler.api.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kontroler.api.dags.CatalogProjection;
import io.kontroler.api.dags.Submissions;
import io.kontroler.api.db.Database;
import io.kontroler.api.webhooks.DeliveryStore;
import io.kontroler.api.webhooks.WebhookOutbox;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.dag.Webhook;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.run.PhaseCounts;
import io.kontroler.core.run.RunCommand.RunPhaseChanged;
import io.kontroler.core.run.RunPhase;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A webhook delivery is written with the history change that causes it, or not at all. */
class ProjectionOutboxTest {
  @TempDir Path dir;

  @Test
  void aFailureBetweenHistoryAndDeliveryLosesNeitherAndAReplayDuplicatesNeither() {
    Clock clock = Clock.systemUTC();
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("h.db"), null, null)) {
      DagSpec spec =
          new DagSpec(
              "",
              List.of(TaskSpec.of("a", "busybox", List.of("true"), List.of())),
              List.of(),
              new Webhook("https://hooks.example.com/k", true),
              null,
              false,
              null,
              null,
              null);
      new CatalogProjection(db, () -> "secret", new Submissions(Duration.ofSeconds(1)), clock)
          .apply(new Catalog.DagPublished("default/d", 1, spec, clock.instant()));
      RunPhaseChanged started =
          new RunPhaseChanged(
              "run-1",
              "default/d",
              1,
              null,
              RunPhase.Pending,
              RunPhase.Running,
              new PhaseCounts(1, 0, 0, 0, 0, 0, 0, 0),
              null,
              clock.instant());
      WebhookOutbox outbox = new WebhookOutbox(clock);
      AtomicBoolean crash = new AtomicBoolean(true);
      Projection projection =
          new Projection(
              db,
              (c, event) -> {
                outbox.write(c, event);
                if (crash.get()) {
                  throw new IllegalStateException("crash after writing the delivery");
                }
              },
              List.of());

      assertThatThrownBy(() -> projection.apply(started, 7)).hasMessageContaining("crash");
      assertThat(count(db, "runs")).isZero();
      assertThat(count(db, "webhook_deliveries")).isZero();

      crash.set(false);
      assertThat(projection.apply(started, 7)).isTrue();
      assertThat(projection.apply(started, 7)).isFalse();
      assertThat(count(db, "runs")).isEqualTo(1);
      List<DeliveryStore.Delivery> pending =
          new DeliveryStore(db).due(Instant.now().plusSeconds(1), 10);
      assertThat(pending).singleElement().satisfies(d -> assertThat(d.runId()).isEqualTo("run-1"));
    }
  }

  private static long count(Database db, String table) {
    return db.read(
        c -> {
          try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }
}
