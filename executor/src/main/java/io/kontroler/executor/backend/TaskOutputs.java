package io.kontroler.executor.backend;

import io.kontroler.core.run.FailureKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * The rules every backend applies to what an attempt wrote for its declared outputs: one trailing
 * newline is dropped, a declared output that was not written is an empty string, and all values
 * together are at most {@value #LIMIT} bytes of UTF-8 (on Kubernetes they travel in the container's
 * termination message, which holds 4 KiB).
 */
public final class TaskOutputs {
  /** The most bytes all outputs of one attempt may take together. */
  public static final int LIMIT = 4096;

  /** The folder a Kubernetes task writes its outputs to; the process backend's is per attempt. */
  public static final String MOUNT_PATH = "/kontroler/outputs";

  /** The environment variable that names the outputs folder. */
  public static final String ENV = "KONTROLER_OUTPUTS";

  private TaskOutputs() {}

  /**
   * {@code raw} with one trailing newline dropped, as a task's {@code echo value > file} writes.
   */
  public static String value(String raw) {
    return raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
  }

  /** The bytes of all values together. */
  public static int size(Map<String, String> values) {
    return values.values().stream().mapToInt(v -> v.getBytes(StandardCharsets.UTF_8).length).sum();
  }

  /**
   * The outcome of an attempt that exited 0 at {@code at} with {@code values}: succeeded with them,
   * or failed as INVALID_OUTPUTS when they are over the limit.
   */
  public static PhaseInfo succeeded(Instant at, Map<String, String> values) {
    int size = size(values);
    if (size > LIMIT) {
      return tooLarge(size, at);
    }
    return PhaseInfo.succeeded(at, values);
  }

  /** The failure of an attempt whose outputs took {@code size} bytes together. */
  public static PhaseInfo tooLarge(long size, Instant at) {
    return invalid(
        "outputs are "
            + size
            + " bytes together, over the limit of "
            + LIMIT
            + " bytes (4 KiB); write large data to the workspace or an object store",
        at);
  }

  /** A failure of the attempt's outputs, not retried. */
  public static PhaseInfo invalid(String message, Instant at) {
    return PhaseInfo.failed(FailureKind.INVALID_OUTPUTS, 0, message, at);
  }
}
