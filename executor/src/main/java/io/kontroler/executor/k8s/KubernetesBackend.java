package io.kontroler.executor.k8s;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kontroler.core.job.JobLabels;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.executor.backend.Adoptable;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.Phase;
import io.kontroler.executor.backend.PhaseInfo;
import io.kontroler.executor.backend.TaskBackend;
import io.kontroler.logstore.LogStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs attempts as Kubernetes Jobs through fabric8: one Job per attempt with a deterministic name
 * (a second launch adopts the first Job), informers on Kontroler's Jobs and pods that turn status
 * changes into phases ({@link JobOutcomes}), kill by deleting the Job and its pods, the run's
 * workspace claim created on first launch and deleted on release, pod logs copied to the log store.
 */
public final class KubernetesBackend implements TaskBackend {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesBackend.class);
  private static final String BY_JOB = "job";

  private final KubernetesClient client;
  private final KubernetesSettings settings;
  private final boolean ownsClient;
  private static final String ANY = "";

  // By namespace watched ("" for all of them): a worker needs read access only where tasks run.
  private final Map<String, SharedIndexInformer<Job>> jobs = new LinkedHashMap<>();
  private final Map<String, SharedIndexInformer<Pod>> pods = new LinkedHashMap<>();
  private final PodLogs podLogs;
  private final ExecutorService logPool;
  private final Set<AttemptId> killed = ConcurrentHashMap.newKeySet();
  // per attempt, how many of the two conditions of its Job's TTL hold (see expireLater)
  private final Map<AttemptId, Integer> expiring = new ConcurrentHashMap<>();
  private volatile Consumer<AttemptId> listener = id -> {};

  /**
   * A backend on {@code client}; informers are started (and synced) here. {@code ownsClient}: close
   * the client with the backend.
   */
  public KubernetesBackend(
      KubernetesClient client, KubernetesSettings settings, LogStore logs, boolean ownsClient) {
    this.client = client;
    this.settings = settings;
    this.ownsClient = ownsClient;
    // Log copies wait on streams: threads come and go with them, never a fixed few to starve.
    this.logPool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "kontroler-pod-logs");
              t.setDaemon(true);
              return t;
            });
    this.podLogs = new PodLogs(client, logs, logPool);
    long resync = settings.resync().toMillis();
    ResourceEventHandler<HasMetadata> handler = new Changes();
    List<String> watched = settings.watched();
    for (String ns : watched.isEmpty() ? List.of(ANY) : watched) {
      jobs.put(
          ns,
          (ns.equals(ANY)
                  ? client.batch().v1().jobs().inAnyNamespace()
                  : client.batch().v1().jobs().inNamespace(ns))
              .withLabel(JobLabels.MANAGED_BY, JobLabels.KONTROLER)
              .inform(handler, resync));
      pods.put(
          ns,
          (ns.equals(ANY) ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns))
              .withLabel(JobLabels.MANAGED_BY, JobLabels.KONTROLER)
              .withIndexers(Map.of(BY_JOB, KubernetesBackend::jobKeyOfPod))
              .inform(handler, resync));
    }
    LOG.info(
        "Kubernetes backend watching Jobs in {}",
        watched.isEmpty() ? "all namespaces" : "namespaces " + watched);
  }

  @Override
  public PhaseInfo start(LaunchTask launch, int partition) {
    AttemptId id = AttemptId.of(launch);
    String namespace = namespaceOf(id);
    // no TTL yet: Kubernetes must not delete the pod before its log is copied (see expireLater)
    Job job = JobSpecs.job(launch, partition, namespace, null);
    List<String> refusals =
        LaunchPolicy.refusals(
            launch,
            job.getSpec().getTemplate().getSpec(),
            namespace,
            id.namespace(),
            settings.podPolicy());
    if (!refusals.isEmpty()) {
      String message = "Refused by the pod policy: " + String.join("; ", refusals);
      LOG.warn("The Job of {} was not created. {}", id, message);
      return PhaseInfo.failed(FailureKind.NEVER_STARTED, null, message, Instant.now());
    }
    try {
      PersistentVolumeClaim claim = JobSpecs.workspaceClaim(launch, namespace);
      if (claim != null) {
        createOrAdopt(claim, "workspace claim");
      }
      createOrAdopt(job, "Job");
    } catch (KubernetesClientException e) {
      return refused(id, namespace, e);
    }
    return check(id);
  }

  private void createOrAdopt(HasMetadata resource, String what) {
    try {
      client.resource(resource).create();
      LOG.info("Created {} {}/{}", what, resource.getMetadata().getNamespace(), name(resource));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      LOG.info(
          "Adopted the existing {} {}/{}",
          what,
          resource.getMetadata().getNamespace(),
          name(resource));
    }
  }

  private PhaseInfo refused(AttemptId id, String namespace, KubernetesClientException e) {
    String message = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
    if (e.getCode() == 400 || e.getCode() == 422) {
      LOG.warn("The Job of {} was rejected: {}", id, message);
      return PhaseInfo.failed(FailureKind.NEVER_STARTED, null, message, Instant.now());
    }
    if (e.getCode() == 403 && (message == null || !message.contains("exceeded quota"))) {
      // Not a quota: the executor may not create Jobs there, and waiting will not change that.
      String why =
          "The executor may not create Jobs in namespace '"
              + namespace
              + "' (is it one of the task namespaces?): "
              + message;
      LOG.warn("The Job of {} was forbidden: {}", id, why);
      return PhaseInfo.failed(FailureKind.NEVER_STARTED, null, why, Instant.now());
    }
    // A quota (403 exceeded quota), an unavailable API server, a rate limit: try again later.
    LOG.warn("The Job of {} could not be created now ({}): {}", id, e.getCode(), message);
    return PhaseInfo.notReady(message);
  }

  @Override
  public PhaseInfo check(AttemptId id) {
    String namespace = namespaceOf(id);
    String name = JobNames.job(id);
    Job job = cachedJob(namespace, name);
    if (job == null && !killed.contains(id)) {
      job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }
    SharedIndexInformer<Pod> podInformer = informerOf(pods, namespace);
    List<Pod> attemptPods =
        podInformer == null
            ? List.of()
            : podInformer.getIndexer().byIndex(BY_JOB, namespace + "/" + name);
    PhaseInfo phase = JobOutcomes.of(job, attemptPods, killed.contains(id));
    String pod =
        attemptPods.stream()
            .max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())))
            .map(p -> p.getMetadata().getName())
            .orElse(null);
    if (phase.isTerminal()) {
      boolean wasKilled = phase.failureKind() == FailureKind.KILLED;
      podLogs.complete(
          id, namespace, wasKilled ? null : pod, wasKilled ? () -> {} : () -> expireLater(id));
    } else if (pod != null && phase.phase() == Phase.Running) {
      podLogs.follow(id, namespace, pod);
    }
    return phase;
  }

  @Override
  public void kill(AttemptId id, String reason) {
    String namespace = namespaceOf(id);
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(JobNames.job(id))
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    killed.add(id);
    LOG.info("Deleted the Job of {} and its pods: {}", id, reason);
    listener.accept(id);
  }

  @Override
  public void finish(AttemptId id) {
    killed.remove(id);
    podLogs.forget(id);
    String namespace = namespaceOf(id);
    String name = JobNames.job(id);
    try {
      Job job = cachedJob(namespace, name);
      if (job == null) {
        expiring.remove(id);
        return;
      }
      if (!JobOutcomes.isFinished(job)) {
        expiring.remove(id);
        // Ended without the Job controller noticing (never started, lost): stop what is left.
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .withName(name)
            .withPropagationPolicy(DeletionPropagation.BACKGROUND)
            .delete();
        return;
      }
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(namespace)
          .withName(name)
          .edit(
              j -> {
                j.getMetadata().getAnnotations().put(JobLabels.REPORTED, "true");
                return j;
              });
      expireLater(id);
    } catch (KubernetesClientException e) {
      LOG.warn("Could not mark the Job of {} as reported: {}", id, e.getMessage());
    }
  }

  /**
   * One of the two conditions for a finished Job's TTL holds (its outcome reported, its log
   * stored); the second one to hold sets {@code ttlSecondsAfterFinished}, so that the Job and its
   * pod go only when nothing more is needed from them. A Job whose log could not be copied keeps no
   * TTL and stays for {@code kubectl logs}.
   */
  private void expireLater(AttemptId id) {
    if (expiring.merge(id, 1, Integer::sum) < 2) {
      return;
    }
    expiring.remove(id);
    Integer ttl = settings.jobTtlSeconds();
    if (ttl == null) {
      return;
    }
    String namespace = namespaceOf(id);
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(namespace)
          .withName(JobNames.job(id))
          .edit(
              j -> {
                j.getSpec().setTtlSecondsAfterFinished(ttl);
                return j;
              });
    } catch (KubernetesClientException e) {
      LOG.warn("Could not set the TTL of the Job of {}: {}", id, e.getMessage());
    }
  }

  @Override
  public void release(String dag, String runId) {
    String namespace = settings.namespace() != null ? settings.namespace() : namespaceOfDag(dag);
    client
        .persistentVolumeClaims()
        .inNamespace(namespace)
        .withName(JobNames.workspaceClaim(runId))
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    LOG.info("Released the workspace of run {} in {}", runId, namespace);
  }

  /**
   * Deletes the workspace claims in the watched namespaces that outlived their run ({@link
   * OrphanWorkspaces}) as seen at {@code now}; returns them as {@code namespace/name}.
   */
  public List<String> deleteOrphanWorkspaces(Instant now, Duration grace) {
    List<Job> known = new ArrayList<>();
    jobs.values().forEach(informer -> known.addAll(informer.getStore().list()));
    List<PersistentVolumeClaim> claims = new ArrayList<>();
    for (String ns : jobs.keySet()) {
      claims.addAll(
          (ns.equals(ANY)
                  ? client.persistentVolumeClaims().inAnyNamespace()
                  : client.persistentVolumeClaims().inNamespace(ns))
              .withLabel(JobLabels.MANAGED_BY, JobLabels.KONTROLER)
              .list()
              .getItems());
    }
    List<String> deleted = new ArrayList<>();
    for (PersistentVolumeClaim claim : OrphanWorkspaces.orphans(claims, known, now, grace)) {
      String namespace = claim.getMetadata().getNamespace();
      client
          .persistentVolumeClaims()
          .inNamespace(namespace)
          .withName(name(claim))
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
      LOG.info(
          "Deleted the workspace claim {}/{}: its run has shown no sign of life for {}",
          namespace,
          name(claim),
          grace);
      deleted.add(namespace + "/" + name(claim));
    }
    return deleted;
  }

  @Override
  public List<Adoptable> adopt(Predicate<Adoptable> owns) {
    List<Adoptable> adopted = new ArrayList<>();
    for (SharedIndexInformer<Job> informer : jobs.values()) {
      for (Job job : informer.getStore().list()) {
        AttemptId id = JobMetadata.attemptOf(job);
        if (id == null || "true".equals(annotation(job, JobLabels.REPORTED))) {
          continue;
        }
        Adoptable candidate = new Adoptable(id, JobMetadata.launchPartitionOf(job));
        if (owns.test(candidate)) {
          adopted.add(candidate);
        }
      }
    }
    return adopted;
  }

  @Override
  public void onChange(Consumer<AttemptId> listener) {
    this.listener = listener;
  }

  @Override
  public void close() {
    jobs.values().forEach(SharedIndexInformer::close);
    pods.values().forEach(SharedIndexInformer::close);
    logPool.shutdown();
    if (ownsClient) {
      client.close();
    }
  }

  private Job cachedJob(String namespace, String name) {
    SharedIndexInformer<Job> informer = informerOf(jobs, namespace);
    return informer == null ? null : informer.getStore().getByKey(namespace + "/" + name);
  }

  private static <T> SharedIndexInformer<T> informerOf(
      Map<String, SharedIndexInformer<T>> informers, String namespace) {
    SharedIndexInformer<T> informer = informers.get(namespace);
    return informer != null ? informer : informers.get(ANY);
  }

  private String namespaceOf(AttemptId id) {
    return settings.namespace() != null ? settings.namespace() : id.namespace();
  }

  private static String namespaceOfDag(String dag) {
    int slash = dag.indexOf('/');
    return slash < 0 ? "default" : dag.substring(0, slash);
  }

  private static List<String> jobKeyOfPod(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String job = labels == null ? null : labels.get(JobLabels.JOB);
    return job == null ? List.of() : List.of(pod.getMetadata().getNamespace() + "/" + job);
  }

  private static String annotation(HasMetadata resource, String key) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  private static String name(HasMetadata resource) {
    return resource.getMetadata().getName();
  }

  /** Tells the listener about every change of a Job or pod of an attempt. */
  private final class Changes implements ResourceEventHandler<HasMetadata> {
    @Override
    public void onAdd(HasMetadata resource) {
      notify(resource);
    }

    @Override
    public void onUpdate(HasMetadata before, HasMetadata after) {
      notify(after);
    }

    @Override
    public void onDelete(HasMetadata resource, boolean finalStateUnknown) {
      notify(resource);
    }

    private void notify(HasMetadata resource) {
      AttemptId id = JobMetadata.attemptOf(resource);
      if (id != null) {
        listener.accept(id);
      }
    }
  }
}
