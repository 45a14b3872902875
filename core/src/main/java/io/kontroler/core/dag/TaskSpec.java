package io.kontroler.core.dag;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * One task of a DAG as written: either inline (image, command or script …) or a {@code taskRef} to
 * a DagTask version. {@link io.kontroler.core.validate.DagValidator} resolves references.
 *
 * <p>The fields of the workflow language ({@code env}, {@code outputs}, {@code when}, {@code
 * trigger}, {@code allowFailure}) are left out of the JSON when unset, so that a DAG written before
 * them encodes as it always did.
 *
 * @param env environment variables the task sets itself; values may hold templates
 * @param outputs the names of the outputs the task writes to {@code $KONTROLER_OUTPUTS}
 * @param when a CEL condition evaluated when the trigger rule holds; false skips the task
 * @param trigger when the task may start given its upstream outcomes (null: allSucceeded)
 * @param allowFailure a failure of this task is shown but does not fail the run
 * @param forEach fan-out: a literal list (one instance per item, a plain tree of lists, maps and
 *     scalars) or a template text (a String) that yields a JSON list; null for a task that runs
 *     once
 * @param parallelism how many instances of a {@code forEach} task run at once (null: no cap)
 * @param dagRef a sub-DAG task: the DAG it runs as a child run (such a task has no image, command
 *     or script)
 * @param approval an approval task: it waits for a person's decision (such a task has no image,
 *     command, script, taskRef, dagRef or forEach)
 * @param pool the shared pool a slot of which each attempt holds while it runs (null: none)
 */
public record TaskSpec(
    String name,
    String image,
    List<String> command,
    List<String> args,
    String script,
    List<String> runAfter,
    Backoff backoff,
    Conditional conditional,
    List<String> parameters,
    PodTemplate podTemplate,
    TaskRef taskRef,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TaskEnv> env,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> outputs,
    String when,
    TriggerRule trigger,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowFailure,
    @JsonInclude(JsonInclude.Include.NON_NULL) Object forEach,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer parallelism,
    @JsonInclude(JsonInclude.Include.NON_NULL) DagRef dagRef,
    @JsonInclude(JsonInclude.Include.NON_NULL) Approval approval,
    @JsonInclude(JsonInclude.Include.NON_NULL) String pool) {

  public TaskSpec {
    name = name == null ? "" : name;
    command = command == null ? null : List.copyOf(command);
    args = List.copyOf(Objects.requireNonNullElse(args, List.of()));
    runAfter = List.copyOf(Objects.requireNonNullElse(runAfter, List.of()));
    backoff = Objects.requireNonNullElse(backoff, Backoff.NONE);
    conditional = Objects.requireNonNullElse(conditional, Conditional.DISABLED);
    parameters = List.copyOf(Objects.requireNonNullElse(parameters, List.of()));
    podTemplate = Objects.requireNonNullElse(podTemplate, PodTemplate.EMPTY);
    env = List.copyOf(Objects.requireNonNullElse(env, List.of()));
    outputs = List.copyOf(Objects.requireNonNullElse(outputs, List.of()));
    forEach = forEach instanceof List<?> items ? Trees.normalizedList(items) : forEach;
  }

  /** A task that takes no slot of a shared pool. */
  public TaskSpec(
      String name,
      String image,
      List<String> command,
      List<String> args,
      String script,
      List<String> runAfter,
      Backoff backoff,
      Conditional conditional,
      List<String> parameters,
      PodTemplate podTemplate,
      TaskRef taskRef,
      List<TaskEnv> env,
      List<String> outputs,
      String when,
      TriggerRule trigger,
      boolean allowFailure,
      Object forEach,
      Integer parallelism,
      DagRef dagRef,
      Approval approval) {
    this(
        name,
        image,
        command,
        args,
        script,
        runAfter,
        backoff,
        conditional,
        parameters,
        podTemplate,
        taskRef,
        env,
        outputs,
        when,
        trigger,
        allowFailure,
        forEach,
        parallelism,
        dagRef,
        approval,
        null);
  }

  /** A task without an approval. */
  public TaskSpec(
      String name,
      String image,
      List<String> command,
      List<String> args,
      String script,
      List<String> runAfter,
      Backoff backoff,
      Conditional conditional,
      List<String> parameters,
      PodTemplate podTemplate,
      TaskRef taskRef,
      List<TaskEnv> env,
      List<String> outputs,
      String when,
      TriggerRule trigger,
      boolean allowFailure,
      Object forEach,
      Integer parallelism,
      DagRef dagRef) {
    this(
        name,
        image,
        command,
        args,
        script,
        runAfter,
        backoff,
        conditional,
        parameters,
        podTemplate,
        taskRef,
        env,
        outputs,
        when,
        trigger,
        allowFailure,
        forEach,
        parallelism,
        dagRef,
        null);
  }

  /** A task of the workflow language's first part, without forEach, parallelism or dagRef. */
  public TaskSpec(
      String name,
      String image,
      List<String> command,
      List<String> args,
      String script,
      List<String> runAfter,
      Backoff backoff,
      Conditional conditional,
      List<String> parameters,
      PodTemplate podTemplate,
      TaskRef taskRef,
      List<TaskEnv> env,
      List<String> outputs,
      String when,
      TriggerRule trigger,
      boolean allowFailure) {
    this(
        name,
        image,
        command,
        args,
        script,
        runAfter,
        backoff,
        conditional,
        parameters,
        podTemplate,
        taskRef,
        env,
        outputs,
        when,
        trigger,
        allowFailure,
        null,
        null,
        null);
  }

  /** A task as the original language wrote it, without the workflow-language fields. */
  public TaskSpec(
      String name,
      String image,
      List<String> command,
      List<String> args,
      String script,
      List<String> runAfter,
      Backoff backoff,
      Conditional conditional,
      List<String> parameters,
      PodTemplate podTemplate,
      TaskRef taskRef) {
    this(
        name,
        image,
        command,
        args,
        script,
        runAfter,
        backoff,
        conditional,
        parameters,
        podTemplate,
        taskRef,
        List.of(),
        List.of(),
        null,
        null,
        false);
  }

  /** An inline task with only what a test usually needs. */
  public static TaskSpec of(
      String name, String image, List<String> command, List<String> runAfter) {
    return new TaskSpec(
        name, image, command, List.of(), null, runAfter, null, null, null, null, null);
  }

  /** The rule this task starts by: its own {@code trigger}, or allSucceeded. */
  public TriggerRule triggerRule() {
    return TriggerRule.orDefault(trigger);
  }

  public TaskSpec withBackoff(Backoff value) {
    return new Builder(this).backoff(value).build();
  }

  public TaskSpec withConditional(Conditional value) {
    return new Builder(this).conditional(value).build();
  }

  public TaskSpec withParameters(List<String> value) {
    return new Builder(this).parameters(value).build();
  }

  public TaskSpec withPodTemplate(PodTemplate value) {
    return new Builder(this).podTemplate(value).build();
  }

  public TaskSpec withEnv(List<TaskEnv> value) {
    return new Builder(this).env(value).build();
  }

  public TaskSpec withOutputs(List<String> value) {
    return new Builder(this).outputs(value).build();
  }

  public TaskSpec withWhen(String value) {
    return new Builder(this).when(value).build();
  }

  public TaskSpec withTrigger(TriggerRule value) {
    return new Builder(this).trigger(value).build();
  }

  public TaskSpec withAllowFailure(boolean value) {
    return new Builder(this).allowFailure(value).build();
  }

  /**
   * This task with the body of a DagTask version in place of its {@code taskRef}. The
   * workflow-language fields the task sets itself win over the body's.
   */
  public TaskSpec resolvedWith(DagTaskSpec body) {
    return new TaskSpec(
        name,
        body.image(),
        body.command(),
        body.args(),
        body.script(),
        runAfter,
        body.backoff(),
        body.conditional(),
        body.parameters(),
        body.podTemplate(),
        taskRef,
        env.isEmpty() ? body.env() : env,
        outputs.isEmpty() ? body.outputs() : outputs,
        when != null ? when : body.when(),
        trigger != null ? trigger : body.trigger(),
        allowFailure || body.allowFailure(),
        forEach,
        parallelism,
        dagRef,
        approval,
        pool);
  }

  public boolean isReference() {
    return taskRef != null;
  }

  /** Whether the task fans out over a list ({@code forEach}). */
  public boolean fansOut() {
    return forEach != null;
  }

  /** The literal items of {@code forEach}, or null when it is a template (or absent). */
  @SuppressWarnings("unchecked")
  public List<Object> forEachItems() {
    return forEach instanceof List<?> items ? (List<Object>) items : null;
  }

  /** The template text of {@code forEach}, or null when it is a literal list (or absent). */
  public String forEachTemplate() {
    return forEach instanceof String text ? text : null;
  }

  /** Whether the task runs another DAG as a child run ({@code dagRef}). */
  public boolean runsDag() {
    return dagRef != null;
  }

  /** Whether the task waits for a person's decision ({@code approval}) instead of running. */
  public boolean awaitsApproval() {
    return approval != null;
  }

  public TaskSpec withApproval(Approval value) {
    return new Builder(this).approval(value).build();
  }

  /** Whether each attempt of the task holds a slot of a shared {@code pool} while it runs. */
  public boolean usesPool() {
    return pool != null;
  }

  public TaskSpec withPool(String value) {
    return new Builder(this).pool(value).build();
  }

  public TaskSpec withForEach(Object value, Integer cap) {
    return new Builder(this).forEach(value, cap).build();
  }

  public TaskSpec withDagRef(DagRef value) {
    return new Builder(this).dagRef(value).build();
  }

  /** Copies a task with one field changed; keeps the {@code withX} methods one line each. */
  private static final class Builder {
    private final TaskSpec t;
    private Backoff backoff;
    private Conditional conditional;
    private List<String> parameters;
    private PodTemplate podTemplate;
    private List<TaskEnv> env;
    private List<String> outputs;
    private String when;
    private TriggerRule trigger;
    private boolean allowFailure;
    private Object forEach;
    private Integer parallelism;
    private DagRef dagRef;
    private Approval approval;
    private String pool;

    Builder(TaskSpec t) {
      this.t = t;
      backoff = t.backoff;
      conditional = t.conditional;
      parameters = t.parameters;
      podTemplate = t.podTemplate;
      env = t.env;
      outputs = t.outputs;
      when = t.when;
      trigger = t.trigger;
      allowFailure = t.allowFailure;
      forEach = t.forEach;
      parallelism = t.parallelism;
      dagRef = t.dagRef;
      approval = t.approval;
      pool = t.pool;
    }

    Builder pool(String v) {
      pool = v;
      return this;
    }

    Builder approval(Approval v) {
      approval = v;
      return this;
    }

    Builder forEach(Object v, Integer cap) {
      forEach = v;
      parallelism = cap;
      return this;
    }

    Builder dagRef(DagRef v) {
      dagRef = v;
      return this;
    }

    Builder backoff(Backoff v) {
      backoff = v;
      return this;
    }

    Builder conditional(Conditional v) {
      conditional = v;
      return this;
    }

    Builder parameters(List<String> v) {
      parameters = v;
      return this;
    }

    Builder podTemplate(PodTemplate v) {
      podTemplate = v;
      return this;
    }

    Builder env(List<TaskEnv> v) {
      env = v;
      return this;
    }

    Builder outputs(List<String> v) {
      outputs = v;
      return this;
    }

    Builder when(String v) {
      when = v;
      return this;
    }

    Builder trigger(TriggerRule v) {
      trigger = v;
      return this;
    }

    Builder allowFailure(boolean v) {
      allowFailure = v;
      return this;
    }

    TaskSpec build() {
      return new TaskSpec(
          t.name,
          t.image,
          t.command,
          t.args,
          t.script,
          t.runAfter,
          backoff,
          conditional,
          parameters,
          podTemplate,
          t.taskRef,
          env,
          outputs,
          when,
          trigger,
          allowFailure,
          forEach,
          parallelism,
          dagRef,
          approval,
          pool);
    }
  }
}
