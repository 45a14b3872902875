package io.kontroler.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final LoginThrottle throttle =
      new LoginThrottle(
          new Clock() {
            @Override
            public ZoneId getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return now;
            }
          },
          3,
          Duration.ofSeconds(30));

  @Test
  void theWaitDoublesWithEachFailureAfterTheFreeOnes() {
    assertThat(throttle.tryAttempt("user:a")).isZero();
    assertThat(throttle.tryAttempt("user:a")).isZero();
    assertThat(throttle.tryAttempt("user:a")).isZero();
    assertThat(throttle.tryAttempt("user:a")).isEqualTo(Duration.ofSeconds(1));
    now = now.plusSeconds(1);
    assertThat(throttle.tryAttempt("user:a")).isZero();
    assertThat(throttle.tryAttempt("user:a", "ip:1")).isEqualTo(Duration.ofSeconds(2));
    now = now.plusSeconds(2);
    assertThat(throttle.tryAttempt("user:a")).isZero();
    assertThat(throttle.tryAttempt("user:a")).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void refusedAttemptsDoNotCountSoTheWaitNeverPassesTheMaximum() {
    for (int i = 0; i < 40; i++) {
      throttle.tryAttempt("ip:9");
      now = now.plusSeconds(31);
    }
    assertThat(throttle.tryAttempt("ip:9")).isZero();
    assertThat(throttle.tryAttempt("ip:9")).isEqualTo(Duration.ofSeconds(30));
    for (int i = 0; i < 1000; i++) {
      assertThat(throttle.tryAttempt("ip:9")).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }
    now = now.plusSeconds(30);
    assertThat(throttle.tryAttempt("ip:9")).isZero();
    throttle.succeeded("ip:9");
    assertThat(throttle.tryAttempt("ip:9")).isZero();
  }

  @Test
  void aBurstOfConcurrentAttemptsLetsThroughNoMoreThanTheFreeFailures() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Duration>> answers = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return throttle.tryAttempt("user:admin", "ip:10.0.0.1");
                }));
      }
      go.countDown();
      int through = 0;
      for (Future<Duration> f : answers) {
        through += f.get().isZero() ? 1 : 0;
      }
      assertThat(through).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void addressesAndUsersAreThrottledApart() {
    for (int i = 0; i < 3; i++) {
      throttle.tryAttempt("user:a", "ip:1");
    }
    assertThat(throttle.tryAttempt("user:a", "ip:2")).isPositive();
    assertThat(throttle.tryAttempt("user:b", "ip:1")).isPositive();
    assertThat(throttle.tryAttempt("user:b", "ip:2")).isZero();
  }
}
