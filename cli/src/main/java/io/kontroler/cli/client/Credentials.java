package io.kontroler.cli.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * Where a client command finds its server and token: flags, then {@code KONTROLER_URL} / {@code
 * KONTROLER_TOKEN}, then the login saved by {@code kontroler login} in {@code
 * ~/.config/kontroler/login} (readable by its owner only).
 */
public record Credentials(String url, String token) {
  public static final String DEFAULT_URL = "http://localhost:8080";

  public static Path savedFile() {
    String home = System.getProperty("user.home");
    return Path.of(home, ".config", "kontroler", "login");
  }

  public static Credentials resolve(String urlFlag, String tokenFlag) throws IOException {
    Properties saved = new Properties();
    Path file = savedFile();
    if (Files.isReadable(file)) {
      try (var reader = Files.newBufferedReader(file)) {
        saved.load(reader);
      }
    }
    String url =
        first(urlFlag, System.getenv("KONTROLER_URL"), saved.getProperty("url"), DEFAULT_URL);
    String token =
        first(
            tokenFlag,
            System.getenv("KONTROLER_TOKEN"),
            url.equals(saved.getProperty("url")) ? saved.getProperty("token") : null,
            null);
    return new Credentials(url, token);
  }

  public void save() throws IOException {
    Path file = savedFile();
    Files.createDirectories(file.getParent());
    Properties props = new Properties();
    props.setProperty("url", url);
    props.setProperty("token", token);
    Path tmp =
        Files.createTempFile(
            file.getParent(),
            "login",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (var writer = Files.newBufferedWriter(tmp)) {
      props.store(writer, "kontroler login");
    }
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
