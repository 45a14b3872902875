package io.kontroler.api.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the first admin, {@code admin}, when there are no users. Its password is the configured
 * one, or a generated one that is logged once and written to {@code
 * <dataDir>/initial-admin-password} readable by the owner only. There is never a fixed default.
 */
public final class InitialAdmin {
  public static final String USERNAME = "admin";
  public static final String PASSWORD_FILE = "initial-admin-password";
  private static final Logger LOG = LoggerFactory.getLogger(InitialAdmin.class);

  private InitialAdmin() {}

  /** Creates {@code admin} if no user exists yet; returns whether it did. */
  public static boolean ensure(
      Accounts accounts, Passwords passwords, String configured, Path dataDir) {
    if (accounts.anyUser()) {
      return false;
    }
    boolean generated = configured == null || configured.isEmpty();
    String password = generated ? passwords.generate() : configured;
    if (!accounts.create(USERNAME, password, Role.admin)) {
      return false;
    }
    if (generated) {
      Path file = writePrivate(dataDir.resolve(PASSWORD_FILE), password);
      LOG.warn(
          "Created the first admin '{}' with the generated password {} (also in {}); change it"
              + " after logging in",
          USERNAME,
          password,
          file);
    } else {
      LOG.info("Created the first admin '{}' with the configured password", USERNAME);
    }
    return true;
  }

  private static Path writePrivate(Path file, String password) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.setPosixFilePermissions(
            file, Set.copyOf(PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(
          file,
          password + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the initial admin password to " + file, e);
    }
  }
}
