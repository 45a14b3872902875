package io.kontroler.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.db.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitialAdminTest {
  @TempDir Path dir;

  @Test
  void generatesAPasswordOnceIntoAnOwnerOnlyFile() throws Exception {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("a.db"), null, null)) {
      Passwords passwords = new Passwords(1000, new SecureRandom());
      Accounts accounts = new Accounts(db, passwords, new SecureRandom(), Clock.systemUTC());
      assertThat(InitialAdmin.ensure(accounts, passwords, null, dir)).isTrue();
      Path file = dir.resolve(InitialAdmin.PASSWORD_FILE);
      String password = Files.readString(file).trim();
      assertThat(password).hasSizeGreaterThanOrEqualTo(20);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(accounts.check("admin", password)).contains(Role.admin);

      assertThat(InitialAdmin.ensure(accounts, passwords, "other-password", dir)).isFalse();
      assertThat(Files.readString(file).trim()).isEqualTo(password);
    }
  }

  @Test
  void usesTheConfiguredPasswordAndWritesNoFile() {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("b.db"), null, null)) {
      Passwords passwords = new Passwords(1000, new SecureRandom());
      Accounts accounts = new Accounts(db, passwords, new SecureRandom(), Clock.systemUTC());
      InitialAdmin.ensure(accounts, passwords, "configured-pw", dir);
      assertThat(accounts.check("admin", "configured-pw")).contains(Role.admin);
      assertThat(Files.exists(dir.resolve(InitialAdmin.PASSWORD_FILE))).isFalse();
    }
  }
}
