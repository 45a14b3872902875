package io.kontroler.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.kontroler.api.db.Database;
import io.kontroler.api.http.ApiException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line's sign-in hand-off: only a loopback address of this machine receives a code, and
 * a code is good once, for a minute, with the verifier of the challenge it was bound to.
 */
class LoopbackSignInTest {
  @TempDir Path dir;

  @Test
  void aLoopbackAddressWithAPortIsAccepted() {
    assertThat(LoopbackSignIn.loopbackUri("http://127.0.0.1:41234/callback"))
        .hasToString("http://127.0.0.1:41234/callback");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:41234/callback",
        "https://127.0.0.1:41234/callback",
        "http://127.0.0.1/callback",
        "http://127.0.0.1.evil.example:41234/callback",
        "http://evil.example/callback",
        "http://user@127.0.0.1:41234/callback",
        "http://127.0.0.1:41234/callback?next=http://evil.example",
        "http://127.0.0.1:41234/callback#x",
        "//127.0.0.1:41234/callback",
        "not a url"
      })
  void anyOtherAddressIsRefused(String address) {
    assertThatThrownBy(() -> LoopbackSignIn.loopbackUri(address))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("expected a loopback address");
  }

  @Test
  void aCodeIsRedeemedOnceWithItsVerifierOnlyAndNeverAuthenticatesARequest() {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("a.db"), null, null)) {
      MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
      Accounts accounts = accounts(db, clock);
      LoopbackCodes codes = new LoopbackCodes(accounts);
      CodeVerifier verifier = new CodeVerifier();

      String code = codes.issue("erin", challenge(verifier));

      assertThat(accounts.authenticate(code)).isEmpty();
      assertThat(codes.redeem(code, new CodeVerifier().getValue())).isEmpty();
      assertThat(codes.redeem(code, verifier.getValue())).contains("erin");
      assertThat(codes.redeem(code, verifier.getValue())).as("spent").isEmpty();
      assertThat(accounts.tokens("erin"))
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.name()).isEqualTo(LoopbackCodes.NAME);
                assertThat(t.revokedAt()).isNotNull();
              });
    }
  }

  @Test
  void aCodeExpiresAfterAMinute() {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("b.db"), null, null)) {
      MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
      LoopbackCodes codes = new LoopbackCodes(accounts(db, clock));
      CodeVerifier verifier = new CodeVerifier();
      String code = codes.issue("erin", challenge(verifier));

      clock.now = clock.now.plus(LoopbackCodes.TTL);

      assertThat(codes.redeem(code, verifier.getValue())).isEmpty();
    }
  }

  private static Accounts accounts(Database db, Clock clock) {
    SecureRandom random = new SecureRandom();
    Accounts accounts = new Accounts(db, new Passwords(1000, random), random, clock);
    accounts.signInExternal("erin", "https://idp.example#erin", Role.editor);
    return accounts;
  }

  private static String challenge(CodeVerifier verifier) {
    return CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue();
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
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
  }
}
