package io.kontroler.executor.k8s;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kontroler.core.dag.PodTemplate;
import io.kontroler.core.dag.Workspace;
import io.kontroler.core.job.JobLabels;
import io.kontroler.core.run.ContainerSpec;
import io.kontroler.core.run.EnvVar;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.TaskOutputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a launch into the Job that runs it: one container named {@value #CONTAINER}, {@code
 * backoffLimit: 0} and {@code restartPolicy: Never} (retries are the scheduler's), every field of
 * the task's pod template ({@code activeDeadlineSeconds} on the Job, so that its end reads as
 * DeadlineExceeded), parameters as environment (secrets as {@code secretKeyRef}), and the run's
 * workspace claim mounted at {@code /workspace}. A {@code script} runs as {@code sh -c} in the
 * task's own image.
 *
 * <p>Pods meet the Pod Security Standard {@code restricted} unless the task says otherwise: not as
 * root (uid, gid and fsGroup 65534 unless {@code securityContext} sets {@code runAsUser}), the
 * runtime's default seccomp profile, no privilege escalation, every capability dropped, no service
 * account token unless the task names a service account or asks for one. The container-level fields
 * a task may write in its {@code securityContext} ({@code privileged}, {@code
 * allowPrivilegeEscalation}, {@code capabilities}, {@code readOnlyRootFilesystem}) go to the
 * container, where Kubernetes reads them; the pod policy decides whether they are allowed.
 */
public final class JobSpecs {
  public static final String CONTAINER = "task";
  static final String WORKSPACE_VOLUME = "kontroler-workspace";
  static final String OUTPUTS_VOLUME = "kontroler-outputs";

  /** On a Job whose task declares outputs: their names, comma-separated. */
  static final String OUTPUTS_ANNOTATION = JobLabels.PREFIX + "outputs";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  static final long NOBODY = 65534;
  private static final Set<String> CONTAINER_FIELDS =
      Set.of("privileged", "allowPrivilegeEscalation", "capabilities", "readOnlyRootFilesystem");

  private JobSpecs() {}

  /**
   * The Job of {@code launch}, read from {@code partition} of the launches topic, in {@code
   * namespace}; finished Jobs live {@code ttlSeconds}.
   */
  public static Job job(LaunchTask launch, int partition, String namespace, Integer ttlSeconds) {
    AttemptId id = AttemptId.of(launch);
    String name = JobNames.job(id);
    Map<String, String> podLabels = new LinkedHashMap<>(JobMetadata.labels(id));
    podLabels.put(JobLabels.JOB, name);
    Map<String, String> annotations = new LinkedHashMap<>(JobMetadata.annotations(id));
    annotations.put(JobLabels.LAUNCH_PARTITION, String.valueOf(partition));
    if (!launch.container().outputs().isEmpty()) {
      annotations.put(OUTPUTS_ANNOTATION, String.join(",", launch.container().outputs()));
    }
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(JobMetadata.labels(id))
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(launch.container().podTemplate().activeDeadlineSeconds())
        .withTtlSecondsAfterFinished(ttlSeconds)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .withAnnotations(JobMetadata.annotations(id))
        .endMetadata()
        .withSpec(podSpec(launch))
        .endTemplate()
        .endSpec()
        .build();
  }

  static PodSpec podSpec(LaunchTask launch) {
    ContainerSpec spec = launch.container();
    PodTemplate template = spec.podTemplate();
    List<Volume> volumes = convertList(template.volumes(), Volume.class);
    List<VolumeMount> mounts = convertList(template.volumeMounts(), VolumeMount.class);
    if (spec.workspace() != null) {
      volumes.add(
          new VolumeBuilder()
              .withName(WORKSPACE_VOLUME)
              .withNewPersistentVolumeClaim()
              .withClaimName(JobNames.workspaceClaim(launch.runId()))
              .endPersistentVolumeClaim()
              .build());
      mounts.add(
          new VolumeMountBuilder()
              .withName(WORKSPACE_VOLUME)
              .withMountPath(Workspace.MOUNT_PATH)
              .build());
    }
    if (!spec.outputs().isEmpty()) {
      volumes.add(
          new VolumeBuilder().withName(OUTPUTS_VOLUME).withNewEmptyDir().endEmptyDir().build());
      mounts.add(
          new VolumeMountBuilder()
              .withName(OUTPUTS_VOLUME)
              .withMountPath(TaskOutputs.MOUNT_PATH)
              .build());
    }
    return new PodSpecBuilder()
        .withRestartPolicy("Never")
        .withContainers(container(spec, mounts))
        .withVolumes(volumes)
        .withImagePullSecrets(convertList(template.imagePullSecrets(), LocalObjectReference.class))
        .withSecurityContext(podSecurity(template.securityContext()))
        .withNodeSelector(template.nodeSelector().isEmpty() ? null : template.nodeSelector())
        .withTolerations(convertList(template.tolerations(), Toleration.class))
        .withAffinity(convert(template.affinity(), Affinity.class))
        .withServiceAccountName(template.serviceAccountName())
        .withAutomountServiceAccountToken(automountToken(template))
        .build();
  }

  /** The task's pod-level security settings over the restricted defaults. */
  static PodSecurityContext podSecurity(Map<String, Object> tree) {
    Map<String, Object> merged = new LinkedHashMap<>();
    merged.put("runAsNonRoot", true);
    if (!tree.containsKey("runAsUser")) {
      merged.put("runAsUser", NOBODY);
      merged.put("runAsGroup", NOBODY);
      merged.put("fsGroup", NOBODY);
    }
    merged.put("seccompProfile", Map.of("type", "RuntimeDefault"));
    tree.forEach(
        (key, value) -> {
          if (!CONTAINER_FIELDS.contains(key)) {
            merged.put(key, value);
          }
        });
    return convert(merged, PodSecurityContext.class);
  }

  /** The container's security settings: the restricted defaults, then the task's own. */
  static SecurityContext containerSecurity(Map<String, Object> tree) {
    Map<String, Object> merged = new LinkedHashMap<>();
    boolean privileged = Boolean.TRUE.equals(tree.get("privileged"));
    // Kubernetes refuses privileged: true beside allowPrivilegeEscalation: false.
    merged.put("allowPrivilegeEscalation", privileged);
    Map<String, Object> capabilities = new LinkedHashMap<>();
    capabilities.put("drop", List.of("ALL"));
    if (tree.get("capabilities") instanceof Map<?, ?> asked) {
      asked.forEach((key, value) -> capabilities.put(String.valueOf(key), value));
    }
    merged.put("capabilities", capabilities);
    tree.forEach(
        (key, value) -> {
          if (CONTAINER_FIELDS.contains(key) && !key.equals("capabilities")) {
            merged.put(key, value);
          }
        });
    return convert(merged, SecurityContext.class);
  }

  // A task that names no service account gets no API token: it has nothing to do with the API.
  private static Boolean automountToken(PodTemplate template) {
    if (template.automountServiceAccountToken() != null) {
      return template.automountServiceAccountToken();
    }
    String account = template.serviceAccountName();
    return account == null || account.isBlank() ? Boolean.FALSE : null;
  }

  private static Container container(ContainerSpec spec, List<VolumeMount> mounts) {
    ContainerBuilder container =
        new ContainerBuilder().withName(CONTAINER).withImage(spec.image()).withVolumeMounts(mounts);
    boolean script = spec.script() != null && !spec.script().isBlank();
    if (script) {
      List<String> args = new ArrayList<>();
      args.add(spec.script());
      if (!spec.args().isEmpty()) {
        args.add("sh"); // $0, so that args are $1, $2 …
        args.addAll(spec.args());
      }
      container.withCommand("sh", "-c").withArgs(args);
    } else {
      container.withCommand(spec.command()).withArgs(spec.args().isEmpty() ? null : spec.args());
    }
    for (EnvVar var : spec.env()) {
      EnvVarBuilder env = new EnvVarBuilder().withName(var.name());
      if (var.isSecret()) {
        env.withNewValueFrom()
            .withNewSecretKeyRef()
            .withName(var.secretName())
            .withKey(var.name())
            .endSecretKeyRef()
            .endValueFrom();
      } else {
        env.withValue(var.value());
      }
      container.addToEnv(env.build());
    }
    if (!spec.outputs().isEmpty()) {
      leaveOutputs(container, spec.outputs());
    }
    container.withResources(convert(spec.podTemplate().resources(), ResourceRequirements.class));
    container.withSecurityContext(containerSecurity(spec.podTemplate().securityContext()));
    return container.build();
  }

  /**
   * Runs the container's command under the wrapper that leaves {@code outputs} in its termination
   * message ({@link TerminationOutputs}); an image's own entrypoint (no command) is left alone.
   */
  private static void leaveOutputs(ContainerBuilder container, List<String> outputs) {
    List<String> command = container.getCommand();
    if (command != null && !command.isEmpty()) {
      List<String> argv = new ArrayList<>(command);
      if (container.getArgs() != null) {
        argv.addAll(container.getArgs());
      }
      List<String> wrapped =
          TerminationOutputs.wrap(argv, outputs, TerminationOutputs.MESSAGE_PATH);
      container.withCommand(wrapped.subList(0, 2)).withArgs(wrapped.subList(2, wrapped.size()));
    }
    container
        .addNewEnv()
        .withName(TaskOutputs.ENV)
        .withValue(TaskOutputs.MOUNT_PATH)
        .endEnv()
        .withTerminationMessagePath(TerminationOutputs.MESSAGE_PATH)
        .withTerminationMessagePolicy("File");
  }

  /** The workspace claim of the launch's run, or null when the DAG has no workspace. */
  public static PersistentVolumeClaim workspaceClaim(LaunchTask launch, String namespace) {
    Workspace workspace = launch.container().workspace();
    if (workspace == null) {
      return null;
    }
    AttemptId id = AttemptId.of(launch);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(JobLabels.MANAGED_BY, JobLabels.KONTROLER);
    labels.put(JobLabels.DAG, JobNames.labelValue(id.dag()));
    labels.put(JobLabels.RUN, JobNames.labelValue(id.runId()));
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(JobNames.workspaceClaim(launch.runId()))
        .withNamespace(namespace)
        .withLabels(labels)
        .addToAnnotations(JobLabels.RUN, id.runId())
        .addToAnnotations(JobLabels.DAG, id.dag())
        .endMetadata()
        .withSpec(convert(workspace.pvc(), PersistentVolumeClaimSpec.class))
        .build();
  }

  private static <T> T convert(Map<String, Object> tree, Class<T> type) {
    return tree == null || tree.isEmpty() ? null : SERIALIZATION.convertValue(tree, type);
  }

  private static <T> List<T> convertList(List<Object> trees, Class<T> type) {
    List<T> items = new ArrayList<>(trees.size());
    for (Object tree : trees) {
      items.add(SERIALIZATION.convertValue(tree, type));
    }
    return items;
  }
}
