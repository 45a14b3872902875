package io.kontroler.executor.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the process backend: {@code dataDir} is Kontroler's own, which tasks must not read;
 * {@code workRoot}, outside it, holds one working directory per run ({@code <workRoot>/<run>});
 * {@code journal} holds the attempts taken on and not yet reported, which a restarted backend
 * reports; {@code secrets} resolves secret parameters; {@code killGrace} is how long a process tree
 * has between SIGTERM and SIGKILL; {@code maxProcesses} is how many attempts may run at once (0: no
 * limit), beyond which a start is refused as NotReady; {@code user} is who tasks run as when
 * Kontroler runs as root.
 */
public record ProcessSettings(
    Path dataDir,
    Path workRoot,
    Path journal,
    SecretSource secrets,
    Duration killGrace,
    int maxProcesses,
    String user) {

  public ProcessSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(workRoot, "workRoot");
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(killGrace, "killGrace");
    Objects.requireNonNull(user, "user");
    if (maxProcesses < 0) {
      throw new IllegalArgumentException("Expected maxProcesses >= 0, but got " + maxProcesses);
    }
  }

  /**
   * Work in {@code workRoot}, a journal in {@code <dataDir>/attempts}; secrets from {@code
   * KONTROLER_SECRET_*} variables of this process, then files in {@code <dataDir>/secrets}; 5 s
   * grace; no process limit; tasks as {@code nobody} when Kontroler runs as root.
   */
  public static ProcessSettings defaults(Path dataDir, Path workRoot) {
    return new ProcessSettings(
        dataDir,
        workRoot,
        dataDir.resolve("attempts"),
        SecretSource.environment(System.getenv())
            .orElse(SecretSource.files(dataDir.resolve("secrets"))),
        Duration.ofSeconds(5),
        0,
        "nobody");
  }

  public ProcessSettings withSecrets(SecretSource secrets) {
    return new ProcessSettings(dataDir, workRoot, journal, secrets, killGrace, maxProcesses, user);
  }

  public ProcessSettings withMaxProcesses(int maxProcesses) {
    return new ProcessSettings(dataDir, workRoot, journal, secrets, killGrace, maxProcesses, user);
  }

  public ProcessSettings withKillGrace(Duration killGrace) {
    return new ProcessSettings(dataDir, workRoot, journal, secrets, killGrace, maxProcesses, user);
  }

  /** Tasks run as {@code user} when Kontroler runs as root. */
  public ProcessSettings withUser(String user) {
    return new ProcessSettings(dataDir, workRoot, journal, secrets, killGrace, maxProcesses, user);
  }
}
