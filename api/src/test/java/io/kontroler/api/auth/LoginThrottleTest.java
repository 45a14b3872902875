package io.kontroler.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final LoginThrottle throttle =
      new LoginThrottle(
          new Clock() {
            @Override
            public java.time.ZoneId getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return now;
            }
          });

  @Test
  void theWaitDoublesWithEachFailureAfterTheFreeOnes() {
    throttle.failed("user:a");
    throttle.failed("user:a");
    assertThat(throttle.waitFor("user:a")).isZero();
    throttle.failed("user:a");
    assertThat(throttle.waitFor("user:a")).isEqualTo(Duration.ofSeconds(1));
    throttle.failed("user:a");
    assertThat(throttle.waitFor("user:a")).isEqualTo(Duration.ofSeconds(2));
    throttle.failed("user:a");
    assertThat(throttle.waitFor("user:a", "ip:1")).isEqualTo(Duration.ofSeconds(4));
    now = now.plusSeconds(4);
    assertThat(throttle.waitFor("user:a")).isZero();
  }

  @Test
  void theWaitIsCappedAndSuccessClearsIt() {
    for (int i = 0; i < 40; i++) {
      throttle.failed("ip:9");
    }
    assertThat(throttle.waitFor("ip:9")).isEqualTo(Duration.ofMinutes(5));
    throttle.succeeded("ip:9");
    assertThat(throttle.waitFor("ip:9")).isZero();
  }
}
