package io.kontroler.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

  /** One attempt that fails when admitted; the wait when it is not. */
  private Duration wrong(String... keys) {
    LoginThrottle.Admission a = throttle.admit(keys);
    if (a.admitted()) {
      a.attempt().failed();
    }
    return a.retryAfter();
  }

  @Test
  void theWaitDoublesWithEachFailureAfterTheFreeOnes() {
    assertThat(wrong("user:a")).isZero();
    assertThat(wrong("user:a")).isZero();
    assertThat(wrong("user:a")).isZero();
    assertThat(wrong("user:a")).isEqualTo(Duration.ofSeconds(1));
    now = now.plusSeconds(1);
    assertThat(wrong("user:a")).isZero();
    assertThat(wrong("user:a", "ip:1")).isEqualTo(Duration.ofSeconds(2));
    now = now.plusSeconds(2);
    assertThat(wrong("user:a")).isZero();
    assertThat(wrong("user:a")).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void refusedAttemptsDoNotCountSoTheWaitNeverPassesTheMaximum() {
    for (int i = 0; i < 40; i++) {
      wrong("ip:9");
      now = now.plusSeconds(31);
    }
    assertThat(wrong("ip:9")).isZero();
    assertThat(wrong("ip:9")).isEqualTo(Duration.ofSeconds(30));
    for (int i = 0; i < 1000; i++) {
      assertThat(wrong("ip:9")).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }
    now = now.plusSeconds(30);
    LoginThrottle.Admission right = throttle.admit("ip:9");
    assertThat(right.admitted()).isTrue();
    right.attempt().succeeded();
    assertThat(wrong("ip:9")).isZero();
  }

  @Test
  void attemptsBeingCheckedCountSoABurstGetsNoMoreThanTheFreeFailures() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch go = new CountDownLatch(1);
      CountDownLatch checking = new CountDownLatch(1);
      List<Future<Boolean>> answers = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  LoginThrottle.Admission a = throttle.admit("user:admin", "ip:10.0.0.1");
                  if (a.admitted()) {
                    checking.await(); // a slow password check, still going on
                    a.attempt().failed();
                  }
                  return a.admitted();
                }));
      }
      go.countDown();
      int admitted = 0;
      await().until(() -> answers.stream().filter(Future::isDone).count() == 97);
      checking.countDown();
      for (Future<Boolean> f : answers) {
        admitted += f.get() ? 1 : 0;
      }
      assertThat(admitted).isEqualTo(3);
      assertThat(wrong("user:admin")).isEqualTo(Duration.ofSeconds(1));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anAttemptThatEndsUnexpectedlyCountsForNothing() {
    for (int i = 0; i < 5; i++) {
      throttle.admit("user:a").attempt().close();
    }
    assertThat(wrong("user:a")).isZero();
  }

  @Test
  void addressesAndUsersAreThrottledApart() {
    for (int i = 0; i < 3; i++) {
      wrong("user:a", "ip:1");
    }
    assertThat(wrong("user:a", "ip:2")).isPositive();
    assertThat(wrong("user:b", "ip:1")).isPositive();
    assertThat(wrong("user:b", "ip:2")).isZero();
  }
}
