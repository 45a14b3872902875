package io.kontroler.api.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kontroler.api.db.Database;
import io.kontroler.broker.loop.LoopHealth;
import io.kontroler.broker.loop.SupervisedLoop;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessTest {
  @TempDir Path dir;

  @Test
  void aFailingOrStoppedLoopMakesTheApiUnreadyAndIsNamed() {
    LoopHealth loops = new LoopHealth();
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("r.db"), null, null);
        Readiness readiness = new Readiness(db, loops, Duration.ofSeconds(1));
        SupervisedLoop fine = loops.watch(new SupervisedLoop("fine", () -> () -> {}));
        SupervisedLoop flaky =
            loops.watch(
                new SupervisedLoop(
                    "flaky",
                    () -> {
                      throw new IllegalStateException("broker gone");
                    }))) {
      fine.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> fine.status().state() == SupervisedLoop.State.RUNNING);
      flaky.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                Readiness.Report r = readiness.check();
                assertThat(r.ready()).isFalse();
                assertThat(r.database()).isTrue();
                assertThat(r.loops())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.loop()).isEqualTo("flaky");
                          assertThat(p.reason()).contains("broker gone");
                        });
              });
      flaky.close();
      assertThat(readiness.check().loops())
          .containsExactly(new LoopHealth.Problem("flaky", "stopped"));
    }
  }
}
