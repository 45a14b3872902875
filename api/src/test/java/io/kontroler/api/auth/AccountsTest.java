package io.kontroler.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.db.Database;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {
  @TempDir Path dir;

  @Test
  void aWeakerHashIsUpgradedAtTheNextSuccessfulLoginOnly() {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("a.db"), null, null)) {
      SecureRandom random = new SecureRandom();
      Clock clock = Clock.systemUTC();
      new Accounts(db, new Passwords(1000, random), random, clock)
          .create("ana", "old-cost-password", Role.editor);
      assertThat(hashOf(db, "ana")).startsWith("pbkdf2-sha256$1000$");

      Accounts stronger = new Accounts(db, new Passwords(2000, random), random, clock);
      String token = stronger.issue("ana", "ci", Duration.ofHours(1)).token();
      assertThat(stronger.check("ana", "wrong-password")).isEmpty();
      assertThat(hashOf(db, "ana")).startsWith("pbkdf2-sha256$1000$");

      assertThat(stronger.check("ana", "old-cost-password")).contains(Role.editor);
      assertThat(hashOf(db, "ana")).startsWith("pbkdf2-sha256$2000$");
      assertThat(stronger.check("ana", "old-cost-password")).contains(Role.editor);
      assertThat(stronger.authenticate(token)).isPresent();
    }
  }

  @Test
  void settingAPasswordRevokesEveryTokenOfThatUserOnly() {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("b.db"), null, null)) {
      SecureRandom random = new SecureRandom();
      Accounts accounts = new Accounts(db, new Passwords(1000, random), random, Clock.systemUTC());
      accounts.create("ana", "first-password", Role.viewer);
      accounts.create("bob", "other-password", Role.viewer);
      String session = accounts.issue("ana", "login", Duration.ofHours(1)).token();
      String minted = accounts.issue("ana", "ci", Duration.ofDays(30)).token();
      String bobs = accounts.issue("bob", "login", Duration.ofHours(1)).token();

      assertThat(accounts.setPassword("ana", "second-password")).isTrue();

      assertThat(accounts.authenticate(session)).isEmpty();
      assertThat(accounts.authenticate(minted)).isEmpty();
      assertThat(accounts.authenticate(bobs)).isPresent();
      assertThat(accounts.tokens("ana")).allMatch(t -> t.revokedAt() != null);
      assertThat(accounts.check("ana", "second-password")).contains(Role.viewer);
    }
  }

  private static String hashOf(Database db, String user) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT password_hash FROM users WHERE username = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getString(1);
            }
          }
        });
  }
}
