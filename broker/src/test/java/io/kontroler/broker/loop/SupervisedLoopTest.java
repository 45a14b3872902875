package io.kontroler.broker.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SupervisedLoopTest {
  private static final SupervisedLoop.Backoff FAST =
      new SupervisedLoop.Backoff(Duration.ofMillis(5), Duration.ofMillis(20));

  @Test
  void opensANewSessionAfterAFailureAndCarriesOn() {
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    AtomicInteger steps = new AtomicInteger();
    LoopHealth health = new LoopHealth(Duration.ofMinutes(1), Clock.systemUTC());
    try (SupervisedLoop loop =
        health.watch(
            new SupervisedLoop(
                "flaky",
                () -> {
                  int n = opened.incrementAndGet();
                  return new SupervisedLoop.Session() {
                    @Override
                    public void step() {
                      steps.incrementAndGet();
                      if (n <= 2) {
                        throw new IllegalStateException("connection closed " + n);
                      }
                    }

                    @Override
                    public void close() {
                      closed.incrementAndGet();
                    }
                  };
                },
                FAST,
                Clock.systemUTC()))) {
      loop.start();

      await().until(() -> steps.get() > 10);

      assertThat(opened).hasValue(3);
      assertThat(closed).hasValue(2);
      assertThat(loop.status().failures()).isEqualTo(2);
      assertThat(loop.status().lastError()).contains("connection closed 2");
      assertThat(health.problems()).isEmpty();
    }
  }

  @Test
  void aFailingLoopIsUnhealthyAndNamesItself() {
    LoopHealth health = new LoopHealth(Duration.ofMinutes(1), Clock.systemUTC());
    try (SupervisedLoop loop =
        health.watch(
            new SupervisedLoop(
                "history",
                () -> {
                  throw new IllegalStateException("database down");
                },
                FAST,
                Clock.systemUTC()))) {
      loop.start();

      await().until(() -> loop.status().failures() >= 3);

      assertThat(health.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.loop()).isEqualTo("history");
                assertThat(p.reason()).contains("database down");
              });
    }
  }

  @Test
  void aLoopWithNoProgressPastTheLimitIsStalled() {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    SupervisedLoop loop =
        new SupervisedLoop("catalog", () -> () -> {}, FAST, Clock.fixed(start, ZoneOffset.UTC));
    LoopHealth health =
        new LoopHealth(Duration.ofSeconds(30), Clock.fixed(start.plusSeconds(31), ZoneOffset.UTC));
    health.watch(loop);

    assertThat(health.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.reason()).isEqualTo("no progress for 31 s"));
  }

  @Test
  void closeEndsALoopThatIsBackingOff() {
    SupervisedLoop loop =
        new SupervisedLoop(
            "slow",
            () -> {
              throw new IllegalStateException("down");
            },
            new SupervisedLoop.Backoff(Duration.ofMinutes(1), Duration.ofMinutes(1)),
            Clock.systemUTC());
    loop.start();
    await().until(() -> loop.status().state() == SupervisedLoop.State.BACKING_OFF);

    loop.close();

    assertThat(loop.status().state()).isEqualTo(SupervisedLoop.State.CLOSED);
  }

  @Test
  void backoffDoublesUpToItsMaximum() {
    SupervisedLoop.Backoff b =
        new SupervisedLoop.Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));

    assertThat(b.after(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.after(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(b.after(5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.after(500)).isEqualTo(Duration.ofSeconds(1));
  }
}
