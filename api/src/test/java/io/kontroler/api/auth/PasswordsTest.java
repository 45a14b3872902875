package io.kontroler.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordsTest {
  private final Passwords passwords = new Passwords(1000, new SecureRandom());

  @Test
  void aHashMatchesOnlyItsPasswordAndIsSalted() {
    String hash = passwords.hash("correct horse");
    assertThat(hash).startsWith("pbkdf2-sha256$1000$").doesNotContain("correct");
    assertThat(passwords.matches("correct horse", hash)).isTrue();
    assertThat(passwords.matches("correct horsE", hash)).isFalse();
    assertThat(passwords.hash("correct horse")).isNotEqualTo(hash);
  }

  @Test
  void hashesKeepTheirOwnCostWhenTheDefaultChanges() {
    String old = passwords.hash("pw-123456");
    assertThat(new Passwords(5000, new SecureRandom()).matches("pw-123456", old)).isTrue();
  }

  @Test
  void hashesBelowTheConfiguredCostNeedARehash() {
    String old = passwords.hash("pw-123456");
    assertThat(passwords.needsRehash(old)).isFalse();
    assertThat(new Passwords(5000, new SecureRandom()).needsRehash(old)).isTrue();
    assertThat(passwords.needsRehash("plain")).isTrue();
  }

  @Test
  void garbageNeverMatches() {
    assertThat(passwords.matches("x", null)).isFalse();
    assertThat(passwords.matches("x", "plain")).isFalse();
    assertThat(passwords.matches("x", "pbkdf2-sha256$abc$%%$%%")).isFalse();
  }

  @Test
  void generatedPasswordsAreLongAndDiffer() {
    assertThat(passwords.generate()).hasSize(24).isNotEqualTo(passwords.generate());
  }
}
