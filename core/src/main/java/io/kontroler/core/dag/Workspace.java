package io.kontroler.core.dag;

import java.util.Map;

/**
 * One PersistentVolumeClaim per run, mounted at {@code /workspace} in every task. {@code pvc} holds
 * the claim's spec fields (accessModes, selector, resources, storageClassName, volumeMode).
 */
public record Workspace(boolean enable, Map<String, Object> pvc) {
  public static final String MOUNT_PATH = "/workspace";

  public Workspace {
    pvc = Trees.map(pvc);
  }
}
