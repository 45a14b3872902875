package io.kontroler.ingest.workflow;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kontroler.core.job.JobLabels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Kubernetes Jobs of a WorkFlow's run: relabelled with the WorkFlow, deleted with it. */
final class WorkflowJobs {
  private static final Logger LOG = LoggerFactory.getLogger(WorkflowJobs.class);

  private final KubernetesClient client;

  WorkflowJobs(KubernetesClient client) {
    this.client = client;
  }

  /** Gives every Job of the run the WorkFlow's labels (and drops labels the WorkFlow dropped). */
  int relabel(String namespace, String runId, Map<String, String> workflowLabels) {
    int changed = 0;
    for (Job job : jobs(namespace, runId)) {
      Map<String, String> wanted = wantedLabels(job.getMetadata().getLabels(), workflowLabels);
      if (Objects.equals(wanted, job.getMetadata().getLabels())) {
        continue;
      }
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(namespace)
          .withName(job.getMetadata().getName())
          .edit(
              j -> {
                j.getMetadata()
                    .setLabels(wantedLabels(j.getMetadata().getLabels(), workflowLabels));
                return j;
              });
      changed++;
    }
    if (changed > 0) {
      LOG.info("Relabelled {} Job(s) of run {} in {}", changed, runId, namespace);
    }
    return changed;
  }

  /** Deletes every Job of the run, with their pods. */
  void delete(String namespace, String runId) {
    var deleted =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .withLabels(JobLabels.selector(runId))
            .withPropagationPolicy(DeletionPropagation.BACKGROUND)
            .delete();
    if (!deleted.isEmpty()) {
      LOG.info("Deleted {} Job(s) of run {} in {}", deleted.size(), runId, namespace);
    }
  }

  private Iterable<Job> jobs(String namespace, String runId) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withLabels(JobLabels.selector(runId))
        .list()
        .getItems();
  }

  static Map<String, String> wantedLabels(Map<String, String> current, Map<String, String> own) {
    Map<String, String> wanted = new LinkedHashMap<>();
    if (current != null) {
      current.forEach(
          (k, v) -> {
            if (JobLabels.reserved(k)) {
              wanted.put(k, v);
            }
          });
    }
    if (own != null) {
      own.forEach(
          (k, v) -> {
            if (!JobLabels.reserved(k)) {
              wanted.put(k, v);
            }
          });
    }
    return wanted;
  }
}
