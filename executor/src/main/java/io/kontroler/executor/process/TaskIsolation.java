package io.kontroler.executor.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * How task processes are kept away from Kontroler. A task always gets a clean environment and works
 * outside the data directory. When Kontroler runs as root, tasks run as an unprivileged user
 * through util-linux {@code setpriv} (no supplementary groups, no new privileges), the data
 * directory is made {@code 0700} and each run folder belongs to that user, so a task can not read
 * Kontroler's files. Otherwise tasks run as Kontroler's own user and can read what it can: {@link
 * #warning()} says so.
 *
 * @param user the user tasks run as, null when they run as Kontroler's own user
 */
public record TaskIsolation(TaskUser user, String ownUser) {

  /** A user tasks run as, with the ids {@code setpriv} takes. */
  public record TaskUser(String name, int uid, int gid) {}

  /** The variables every task gets, before its own. */
  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final List<String> SETPRIV = List.of("/usr/bin/setpriv", "/bin/setpriv");

  /**
   * Tasks as {@code user} when this process runs as root, else as this process's user; fails at
   * once when root has no such user or no {@code setpriv}.
   */
  public static TaskIsolation detect(String user) {
    String own = System.getProperty("user.name", "?");
    if (!isRoot()) {
      return new TaskIsolation(null, own);
    }
    if (setpriv().isEmpty()) {
      throw new IllegalStateException(
          "Expected util-linux setpriv at "
              + SETPRIV
              + " to run tasks as '"
              + user
              + "' (Kontroler runs as root), but there is none");
    }
    return new TaskIsolation(
        new TaskUser(user, id(user, "-u"), id(user, "-g")), Objects.requireNonNull(own));
  }

  /** True when tasks run as a user of their own. */
  public boolean separated() {
    return user != null;
  }

  /** What a task can reach, in a sentence fit for a start-up banner. */
  public String describe() {
    return separated()
        ? "tasks run as user '" + user.name() + "' and can not read Kontroler's data directory"
        : warning();
  }

  /** Said at start when tasks run as Kontroler's own user. */
  public String warning() {
    return "tasks run as this user ('"
        + ownUser
        + "') and can read its files, Kontroler's data directory included; run Kontroler as"
        + " root (tasks then run as executor.process.user) or use the kubernetes backend to keep"
        + " tasks away from them";
  }

  /** The command that runs {@code command} as the task user ({@code command} itself if none). */
  List<String> wrap(List<String> command) {
    if (!separated()) {
      return command;
    }
    List<String> line = new ArrayList<>();
    line.add(setpriv().orElseThrow());
    line.add("--reuid=" + user.uid());
    line.add("--regid=" + user.gid());
    line.add("--clear-groups");
    line.add("--no-new-privs");
    line.add("--");
    line.addAll(command);
    return line;
  }

  /** The environment a task starts from: nothing of Kontroler's, a minimal PATH, HOME and LANG. */
  Map<String, String> baseEnvironment(Path runFolder) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", PATH);
    env.put("HOME", runFolder.toString());
    env.put("LANG", "C.UTF-8");
    if (separated()) {
      env.put("USER", user.name());
      env.put("LOGNAME", user.name());
    }
    env.put("KONTROLER_WORKSPACE", runFolder.toString());
    return env;
  }

  /**
   * Makes the data directory Kontroler's alone and the work root reachable by tasks, and checks
   * that the work root lies outside the data directory.
   */
  void secure(Path dataDir, Path workRoot) {
    Path data = dataDir.toAbsolutePath().normalize();
    Path work = workRoot.toAbsolutePath().normalize();
    if (work.startsWith(data)) {
      throw new IllegalArgumentException(
          "Expected the work folder (executor.process.work-dir) outside the data directory "
              + data
              + ", but it is "
              + work);
    }
    try {
      Files.createDirectories(data);
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
      Files.createDirectories(work);
      // Tasks reach their own run folder by name, but can not list the others.
      Files.setPosixFilePermissions(
          work, PosixFilePermissions.fromString(separated() ? "rwx--x--x" : "rwx------"));
      if (separated()) {
        checkReachable(work);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare " + data + " and " + work, e);
    }
  }

  /** Gives a run folder to the task user, alone. */
  void own(Path runFolder) throws IOException {
    Files.setPosixFilePermissions(runFolder, PosixFilePermissions.fromString("rwx------"));
    if (separated()) {
      Files.setAttribute(runFolder, "unix:uid", user.uid());
      Files.setAttribute(runFolder, "unix:gid", user.gid());
    }
  }

  private void checkReachable(Path work) throws IOException {
    for (Path p = work.getParent(); p != null; p = p.getParent()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IllegalStateException(
            "Expected user '"
                + user.name()
                + "' to reach the work folder "
                + work
                + ", but "
                + p
                + " is mode "
                + PosixFilePermissions.toString(perms)
                + "; set executor.process.work-dir elsewhere");
      }
    }
  }

  private static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  private static Optional<String> setpriv() {
    return SETPRIV.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
  }

  private static int id(String user, String flag) {
    try {
      Process id = new ProcessBuilder("id", flag, "--", user).redirectErrorStream(true).start();
      String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!id.waitFor(10, TimeUnit.SECONDS) || id.exitValue() != 0) {
        throw new IllegalStateException(
            "Expected a user '" + user + "' for tasks (executor.process.user), but: " + out);
      }
      return Integer.parseInt(out);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot look up the user '" + user + "'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted looking up the user '" + user + "'", e);
    }
  }
}
