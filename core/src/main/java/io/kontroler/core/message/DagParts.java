package io.kontroler.core.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * DAG versions in records of bounded size. A version whose tasks encode to more than {@link
 * #MAX_PART_BYTES} travels as parts, each a slice of its tasks ({@code task}, then {@code onExit},
 * in order) of at most that size (a single task larger than that is a part alone), followed by a
 * head: the spec without its tasks and the count of parts. A smaller version is one record, as it
 * always was. Producers split with {@link #submission} and {@link #publication}; readers join with
 * {@link #join} (or a {@link CatalogAssembly} for {@code kontroler.dags}).
 *
 * <p>Parts are written before their head and on the same partition (commands are keyed by the DAG;
 * a part of {@code kontroler.dags} has a key of its own, {@link Catalog.DagPart#key}, so that
 * compaction keeps it, and goes to the partition of {@link #partitionKey}), so a reader in
 * partition order has every part when the head arrives and never acts on a partial version.
 */
public final class DagParts {
  /**
   * The most task bytes a part carries: half the smallest {@code topics.max.message.bytes} allowed
   * (256 KiB), so that a part and its envelope fit every size policy.
   */
  public static final int MAX_PART_BYTES = 128 * 1024;

  /** The key prefix of the parts on {@code kontroler.dags}. */
  public static final String PART_KEY_PREFIX = "dagpart:";

  private static final ObjectMapper MAPPER = MessageCodec.mapper();

  private DagParts() {}

  /** A slice of a version's tasks: some main tasks, then (once they are done) exit tasks. */
  public record Slice(List<TaskSpec> task, List<TaskSpec> onExit) {
    public Slice {
      task = List.copyOf(task);
      onExit = List.copyOf(onExit);
    }

    public static Slice of(Catalog.DagPart part) {
      return new Slice(part.task(), part.onExit());
    }

    public static Slice of(Inbound.DagSubmissionPart part) {
      return new Slice(part.task(), part.onExit());
    }
  }

  /** A record and the key it is written under. */
  public record Keyed<T>(String key, T message) {}

  /**
   * The slices of {@code spec}'s tasks, each of at most {@code maxBytes} encoded (but for a task
   * larger than that, alone); one slice when they all fit.
   */
  public static List<Slice> slices(DagSpec spec, int maxBytes) {
    List<Slice> slices = new ArrayList<>();
    List<TaskSpec> task = new ArrayList<>();
    List<TaskSpec> onExit = new ArrayList<>();
    long bytes = 0;
    int count = spec.task().size() + spec.onExit().size();
    for (int i = 0; i < count; i++) {
      boolean exit = i >= spec.task().size();
      TaskSpec t = exit ? spec.onExit().get(i - spec.task().size()) : spec.task().get(i);
      int size = sizeOf(t) + 1;
      if (bytes + size > maxBytes && (!task.isEmpty() || !onExit.isEmpty())) {
        slices.add(new Slice(task, onExit));
        task.clear();
        onExit.clear();
        bytes = 0;
      }
      (exit ? onExit : task).add(t);
      bytes += size;
    }
    slices.add(new Slice(task, onExit));
    return slices;
  }

  /** The slices of {@code spec} at {@link #MAX_PART_BYTES}. */
  public static List<Slice> slices(DagSpec spec) {
    return slices(spec, MAX_PART_BYTES);
  }

  /** {@code spec} without its tasks: what a head carries. */
  public static DagSpec headOf(DagSpec spec) {
    return spec.withTasks(List.of()).withOnExit(List.of());
  }

  /** The whole spec of a head whose tasks are in {@code slices}, in order. */
  public static DagSpec join(DagSpec head, List<Slice> slices) {
    int tasks = 0;
    int exits = 0;
    for (Slice s : slices) {
      tasks += s.task().size();
      exits += s.onExit().size();
    }
    List<TaskSpec> task = new ArrayList<>(tasks + head.task().size());
    List<TaskSpec> onExit = new ArrayList<>(exits + head.onExit().size());
    task.addAll(head.task());
    onExit.addAll(head.onExit());
    for (Slice s : slices) {
      task.addAll(s.task());
      onExit.addAll(s.onExit());
    }
    return head.withTasks(task).withOnExit(onExit);
  }

  /**
   * What to send on {@code kontroler.commands} for {@code submitted}: itself when its tasks fit one
   * part, else its parts and then its head (the spec without tasks and the count of parts).
   */
  public static List<Inbound> submission(Inbound.DagSubmitted submitted) {
    return submission(submitted, MAX_PART_BYTES);
  }

  static List<Inbound> submission(Inbound.DagSubmitted submitted, int maxBytes) {
    List<Slice> slices = slices(submitted.spec(), maxBytes);
    if (slices.size() == 1) {
      return List.of(submitted);
    }
    List<Inbound> out = new ArrayList<>(slices.size() + 1);
    for (int i = 0; i < slices.size(); i++) {
      Slice s = slices.get(i);
      out.add(
          new Inbound.DagSubmissionPart(
              submitted.dag(), submitted.submissionId(), i, s.task(), s.onExit()));
    }
    out.add(
        new Inbound.DagSubmitted(
            submitted.dag(),
            headOf(submitted.spec()),
            submitted.submissionId(),
            submitted.submittedAt(),
            slices.size()));
    return out;
  }

  /**
   * What to write to {@code kontroler.dags} for {@code published}, with keys: itself when its tasks
   * fit one part, else its parts and then its head. Write a part to the partition of {@link
   * #partitionKey} of its key.
   */
  public static List<Keyed<Catalog>> publication(Catalog.DagPublished published) {
    return publication(published, MAX_PART_BYTES);
  }

  static List<Keyed<Catalog>> publication(Catalog.DagPublished published, int maxBytes) {
    List<Slice> slices = slices(published.spec(), maxBytes);
    if (slices.size() == 1) {
      return List.of(new Keyed<>(published.dag(), published));
    }
    List<Keyed<Catalog>> out = new ArrayList<>(slices.size() + 1);
    for (int i = 0; i < slices.size(); i++) {
      Slice s = slices.get(i);
      Catalog.DagPart part =
          new Catalog.DagPart(published.dag(), published.version(), i, s.task(), s.onExit());
      out.add(new Keyed<>(Catalog.DagPart.key(published.dag(), published.version(), i), part));
    }
    out.add(
        new Keyed<>(published.dag(), published.withSpec(headOf(published.spec()), slices.size())));
    return out;
  }

  /**
   * The key whose partition a record of {@code kontroler.dags} keyed {@code key} goes to: the DAG
   * for a part, the key itself otherwise.
   */
  public static String partitionKey(String key) {
    if (key == null || !key.startsWith(PART_KEY_PREFIX)) {
      return key;
    }
    String rest = key.substring(PART_KEY_PREFIX.length());
    int partHash = rest.lastIndexOf('#');
    int versionHash = partHash <= 0 ? -1 : rest.lastIndexOf('#', partHash - 1);
    return versionHash < 0 ? key : rest.substring(0, versionHash);
  }

  private static int sizeOf(TaskSpec task) {
    try {
      return MAPPER.writeValueAsBytes(task).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Expected a serialisable task, but " + e.getMessage(), e);
    }
  }
}
