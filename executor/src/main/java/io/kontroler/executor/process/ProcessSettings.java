package io.kontroler.executor.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the process backend: {@code workRoot} holds one working directory per run ({@code
 * <workRoot>/<run>}); {@code journal} holds the attempts taken on and not yet reported, which a
 * restarted backend reports; {@code secrets} resolves secret parameters; {@code killGrace} is how
 * long a process tree has between SIGTERM and SIGKILL; {@code maxProcesses} is how many attempts
 * may run at once (0: no limit), beyond which a start is refused as NotReady.
 */
public record ProcessSettings(
    Path workRoot, Path journal, SecretSource secrets, Duration killGrace, int maxProcesses) {

  public ProcessSettings {
    Objects.requireNonNull(workRoot, "workRoot");
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(killGrace, "killGrace");
    if (maxProcesses < 0) {
      throw new IllegalArgumentException("Expected maxProcesses >= 0, but got " + maxProcesses);
    }
  }

  /**
   * Work in {@code <dataDir>/work}, a journal in {@code <dataDir>/attempts}; secrets from {@code
   * KONTROLER_SECRET_*} variables of this process, then files in {@code <dataDir>/secrets}; 5 s
   * grace; no process limit.
   */
  public static ProcessSettings defaults(Path dataDir) {
    return new ProcessSettings(
        dataDir.resolve("work"),
        dataDir.resolve("attempts"),
        SecretSource.environment(System.getenv())
            .orElse(SecretSource.files(dataDir.resolve("secrets"))),
        Duration.ofSeconds(5),
        0);
  }

  public ProcessSettings withWorkRoot(Path workRoot) {
    return new ProcessSettings(workRoot, journal, secrets, killGrace, maxProcesses);
  }

  public ProcessSettings withSecrets(SecretSource secrets) {
    return new ProcessSettings(workRoot, journal, secrets, killGrace, maxProcesses);
  }

  public ProcessSettings withMaxProcesses(int maxProcesses) {
    return new ProcessSettings(workRoot, journal, secrets, killGrace, maxProcesses);
  }

  public ProcessSettings withKillGrace(Duration killGrace) {
    return new ProcessSettings(workRoot, journal, secrets, killGrace, maxProcesses);
  }
}
