package io.kontroler.executor.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.kontroler.core.job.JobLabels;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which workspace claims have outlived their run. A claim is deleted when its run ends (the
 * executor's release); one is left behind when that release was lost: its delete failed while the
 * API server was away (it is not tried again), or the run's state went with a reset topic.
 *
 * <p>The executor does not know which runs exist (their owner is the scheduler's partition), so it
 * goes by what it sees: a claim is an orphan when no Job of its run is unfinished and the run's
 * last sign of life (the claim's creation, a Job of the run created or finished) is older than
 * {@code grace}. A run that is alive always has a Job running or launches one within the grace; one
 * that waits longer than the grace between two tasks (an approval, a pause) would lose its
 * workspace, so the grace is long (7 days by default) and configurable.
 */
final class OrphanWorkspaces {
  private OrphanWorkspaces() {}

  /** The claims of {@code claims} to delete at {@code now}, given every Job of Kontroler's. */
  static List<PersistentVolumeClaim> orphans(
      Collection<PersistentVolumeClaim> claims, Collection<Job> jobs, Instant now, Duration grace) {
    List<PersistentVolumeClaim> orphans = new ArrayList<>();
    for (PersistentVolumeClaim claim : claims) {
      String run = label(claim, JobLabels.RUN);
      if (run == null || !JobLabels.KONTROLER.equals(label(claim, JobLabels.MANAGED_BY))) {
        continue;
      }
      Instant lastSign = time(claim.getMetadata().getCreationTimestamp());
      boolean running = false;
      for (Job job : jobs) {
        if (!run.equals(label(job, JobLabels.RUN))
            || !Objects.equals(
                job.getMetadata().getNamespace(), claim.getMetadata().getNamespace())) {
          continue;
        }
        running |= !JobOutcomes.isFinished(job);
        lastSign = latest(lastSign, time(job.getMetadata().getCreationTimestamp()));
        if (job.getStatus() != null) {
          lastSign = latest(lastSign, time(job.getStatus().getCompletionTime()));
          for (JobCondition c :
              Objects.requireNonNullElse(
                  job.getStatus().getConditions(), List.<JobCondition>of())) {
            lastSign = latest(lastSign, time(c.getLastTransitionTime()));
          }
        }
      }
      if (!running && lastSign != null && lastSign.plus(grace).isBefore(now)) {
        orphans.add(claim);
      }
    }
    return orphans;
  }

  private static Instant latest(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }

  /** A Kubernetes timestamp; null when absent or unreadable (then it proves nothing). */
  private static Instant time(String timestamp) {
    if (timestamp == null || timestamp.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String label(HasMetadata resource, String key) {
    Map<String, String> labels = resource.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }
}
