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
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowFailure) {

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
        allowFailure || body.allowFailure());
  }

  public boolean isReference() {
    return taskRef != null;
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
          allowFailure);
    }
  }
}
