package io.kontroler.executor.k8s;

import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.InstanceName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Deterministic Kubernetes names and label values: the same attempt always names the same Job, so a
 * launch delivered twice creates it once. Names are DNS-1123 labels, readable parts truncated and
 * made unique by a short hash of the full values.
 */
public final class JobNames {
  /** Longest Job name: leaves room for the suffix the Job controller adds to pod names. */
  static final int MAX_JOB_NAME = 52;

  private static final int MAX_LABEL_VALUE = 63;

  private JobNames() {}

  /**
   * {@code <task>-<run prefix>-<attempt>-<hash>}, e.g. {@code build-1f2e3d4c-2-9a8b7c6d}; an
   * instance {@code process[12]} of a forEach task is {@code process-12-…}, its index kept whole
   * when a long task name is cut.
   */
  public static String job(AttemptId id) {
    String hash = hash(id.dag() + "\n" + id.runId() + "\n" + id.task() + "\n" + id.attempt(), 8);
    String run = truncate(dns(id.runId()), 8);
    String suffix = "-" + run + "-" + id.attempt() + "-" + hash;
    return trimDashes(readableTask(id.task(), MAX_JOB_NAME - suffix.length()) + suffix);
  }

  private static String readableTask(String task, int max) {
    InstanceName instance = InstanceName.parse(task);
    if (instance == null) {
      return truncate(dns(task), max);
    }
    String index = "-" + instance.index();
    return truncate(dns(instance.task()), max - index.length()) + index;
  }

  /** The workspace claim of a run: {@code kontroler-ws-<hash of the run id>}. */
  public static String workspaceClaim(String runId) {
    return "kontroler-ws-" + hash(runId, 12);
  }

  /**
   * A valid label value for {@code value}: characters outside {@code [A-Za-z0-9._-]} become {@code
   * .}, ends are alphanumeric, and a value too long is cut and suffixed with a hash. An instance
   * {@code process[12]} becomes {@code process.12}, which no task name (a DNS-1123 label) can be.
   */
  public static String labelValue(String value) {
    String safe = value.replaceAll("[^A-Za-z0-9._-]", ".");
    safe = safe.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    if (safe.length() > MAX_LABEL_VALUE) {
      safe = safe.substring(0, MAX_LABEL_VALUE - 9).replaceAll("[^A-Za-z0-9]+$", "");
      safe = safe + "-" + hash(value, 8);
    }
    return safe;
  }

  private static String dns(String value) {
    String name =
        value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-{2,}", "-");
    name = trimDashes(name);
    return name.isEmpty() ? "x" : name;
  }

  private static String truncate(String value, int max) {
    return trimDashes(value.length() <= max ? value : value.substring(0, max));
  }

  private static String trimDashes(String value) {
    return value.replaceAll("^-+", "").replaceAll("-+$", "");
  }

  static String hash(String value, int hexChars) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, hexChars);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
