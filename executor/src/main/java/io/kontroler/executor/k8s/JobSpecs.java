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
import io.kontroler.core.run.ContainerSpec;
import io.kontroler.core.run.EnvVar;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.executor.backend.AttemptId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a launch into the Job that runs it: one container named {@value #CONTAINER}, {@code
 * backoffLimit: 0} and {@code restartPolicy: Never} (retries are the scheduler's), every field of
 * the task's pod template ({@code activeDeadlineSeconds} on the Job, so that its end reads as
 * DeadlineExceeded), parameters as environment (secrets as {@code secretKeyRef}), and the run's
 * workspace claim mounted at {@code /workspace}. A {@code script} runs as {@code sh -c} in the
 * task's own image.
 */
public final class JobSpecs {
  public static final String CONTAINER = "task";
  static final String WORKSPACE_VOLUME = "kontroler-workspace";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private JobSpecs() {}

  /** The Job of {@code launch} in {@code namespace}; finished Jobs live {@code ttlSeconds}. */
  public static Job job(LaunchTask launch, String namespace, Integer ttlSeconds) {
    AttemptId id = AttemptId.of(launch);
    String name = JobNames.job(id);
    Map<String, String> podLabels = new LinkedHashMap<>(JobLabels.labels(id));
    podLabels.put(JobLabels.JOB, name);
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(JobLabels.labels(id))
        .withAnnotations(JobLabels.annotations(id))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(launch.container().podTemplate().activeDeadlineSeconds())
        .withTtlSecondsAfterFinished(ttlSeconds)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .withAnnotations(JobLabels.annotations(id))
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
    return new PodSpecBuilder()
        .withRestartPolicy("Never")
        .withContainers(container(spec, mounts))
        .withVolumes(volumes)
        .withImagePullSecrets(convertList(template.imagePullSecrets(), LocalObjectReference.class))
        .withSecurityContext(convert(template.securityContext(), PodSecurityContext.class))
        .withNodeSelector(template.nodeSelector().isEmpty() ? null : template.nodeSelector())
        .withTolerations(convertList(template.tolerations(), Toleration.class))
        .withAffinity(convert(template.affinity(), Affinity.class))
        .withServiceAccountName(template.serviceAccountName())
        .withAutomountServiceAccountToken(template.automountServiceAccountToken())
        .build();
  }

  private static Container container(ContainerSpec spec, List<VolumeMount> mounts) {
    ContainerBuilder container =
        new ContainerBuilder().withName(CONTAINER).withImage(spec.image()).withVolumeMounts(mounts);
    if (spec.script() != null && !spec.script().isBlank()) {
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
    container.withResources(convert(spec.podTemplate().resources(), ResourceRequirements.class));
    return container.build();
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
