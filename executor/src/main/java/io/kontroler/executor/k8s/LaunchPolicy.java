package io.kontroler.executor.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.kontroler.core.run.EnvVar;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.validate.PodPolicy;
import io.kontroler.core.validate.Problem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The pod policy checked once more on the pod that is about to be created, as defence in depth
 * behind the check at apply time: a DAG accepted under a looser policy, or a launch written to the
 * topic by hand, still can not reach the node or another namespace's Secrets. Secrets are read only
 * in the DAG's own namespace (narrowed by the policy's allow-list); a Job that runs in another
 * namespace ({@code executor.kubernetes.namespace}) may read only Secrets allow-listed as {@code
 * <that namespace>/<name>}.
 */
final class LaunchPolicy {
  private LaunchPolicy() {}

  /** Why the pod of {@code launch}, built as {@code pod} in {@code namespace}, is refused. */
  static List<String> refusals(
      LaunchTask launch, PodSpec pod, String namespace, String dagNamespace, PodPolicy policy) {
    List<String> reasons = new ArrayList<>();
    for (String secret : secretsOf(launch, pod)) {
      String refusal = secretRefusal(secret, namespace, dagNamespace, policy);
      if (refusal != null) {
        reasons.add(refusal);
      }
    }
    for (Problem p : policy.check(launch.container().podTemplate(), "task")) {
      reasons.add(p.toString());
    }
    checkPod(pod, policy, reasons);
    return List.copyOf(new LinkedHashSet<>(reasons));
  }

  private static String secretRefusal(
      String secret, String namespace, String dagNamespace, PodPolicy policy) {
    if (!namespace.equals(dagNamespace)) {
      return policy.allowedSecrets().contains(namespace + "/" + secret)
          ? null
          : "Secret '"
              + secret
              + "' would be read in namespace '"
              + namespace
              + "', where the Jobs run, not in the DAG's namespace '"
              + dagNamespace
              + "' (an admin may allow it as '"
              + namespace
              + "/"
              + secret
              + "' in policy.pod.secrets)";
    }
    return policy.secretAllowed(namespace, secret) ? null : policy.secretRefusal(namespace, secret);
  }

  /** Secrets the pod reads: parameters from Secrets, and Secret volumes (projected ones too). */
  private static Set<String> secretsOf(LaunchTask launch, PodSpec pod) {
    Set<String> names = new LinkedHashSet<>();
    for (EnvVar var : launch.container().env()) {
      if (var.isSecret()) {
        names.add(var.secretName());
      }
    }
    for (Volume volume : pod.getVolumes()) {
      if (volume.getSecret() != null) {
        names.add(volume.getSecret().getSecretName());
      }
      if (volume.getProjected() != null && volume.getProjected().getSources() != null) {
        for (VolumeProjection source : volume.getProjected().getSources()) {
          if (source.getSecret() != null) {
            names.add(source.getSecret().getName());
          }
        }
      }
    }
    return names;
  }

  private static void checkPod(PodSpec pod, PodPolicy policy, List<String> reasons) {
    if (Boolean.TRUE.equals(pod.getHostNetwork()) && !policy.allowHostNetwork()) {
      reasons.add("the pod uses the host's network, which the pod policy refuses");
    }
    if (Boolean.TRUE.equals(pod.getHostPID()) && !policy.allowHostPid()) {
      reasons.add("the pod uses the host's PID namespace, which the pod policy refuses");
    }
    if (Boolean.TRUE.equals(pod.getHostIPC()) && !policy.allowHostIpc()) {
      reasons.add("the pod uses the host's IPC namespace, which the pod policy refuses");
    }
    for (Volume volume : pod.getVolumes()) {
      if (volume.getHostPath() != null && !policy.allowHostPath()) {
        reasons.add(
            "volume '" + volume.getName() + "' is a hostPath, which the pod policy refuses");
      }
    }
    if (!policy.serviceAccountAllowed(pod.getServiceAccountName())) {
      reasons.add(
          "service account '" + pod.getServiceAccountName() + "' is not allowed by the pod policy");
    }
    List<Container> containers = new ArrayList<>(pod.getContainers());
    if (pod.getInitContainers() != null) {
      containers.addAll(pod.getInitContainers());
    }
    for (Container container : containers) {
      checkContainer(container, policy, reasons);
    }
  }

  private static void checkContainer(Container container, PodPolicy policy, List<String> reasons) {
    SecurityContext context = container.getSecurityContext();
    if (context == null) {
      return;
    }
    String who = "container '" + container.getName() + "'";
    if (!policy.allowPrivileged()
        && (Boolean.TRUE.equals(context.getPrivileged())
            || Boolean.TRUE.equals(context.getAllowPrivilegeEscalation()))) {
      reasons.add(who + " is privileged or may escalate, which the pod policy refuses");
    }
    if (context.getCapabilities() != null && context.getCapabilities().getAdd() != null) {
      for (String capability : context.getCapabilities().getAdd()) {
        if (!policy.capabilityAllowed(capability)) {
          reasons.add(who + " adds capability '" + capability + "', which the pod policy refuses");
        }
      }
    }
  }
}
