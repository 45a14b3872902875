package io.kontroler.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.Document;
import io.kontroler.core.dag.TaskEnv;
import io.kontroler.core.dag.TriggerRule;
import io.kontroler.core.parse.DocumentParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowLanguageValidationTest {

  private static List<String> problems(String yaml) {
    return DocumentSetValidator.validate(DocumentParser.parse(yaml), DagTaskCatalog.EMPTY).stream()
        .flatMap(r -> r.problems().stream())
        .map(Problem::toString)
        .toList();
  }

  private static String dag(String spec) {
    return """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata: {name: flow}
        spec:
        """
        + spec.indent(2);
  }

  @Test
  void readsEveryNewFieldIntoTheModel() {
    var doc =
        (Document.Dag)
            DocumentParser.parseOne(
                    dag(
                        """
                        parameters:
                          - {name: env, defaultValue: prod}
                        task:
                          - name: list
                            image: alpine
                            outputs: [items, count]
                            script: echo 3 > "$KONTROLER_OUTPUTS/count"
                          - name: publish
                            image: alpine
                            runAfter: [list]
                            env: [{name: COUNT, value: "{{ tasks.list.outputs.count }}"}]
                            when: "tasks.list.outputs.count != '0' && params.env == 'prod'"
                            trigger: anySucceeded
                            allowFailure: true
                            command: [echo, "{{ params.env }}"]
                        onExit:
                          - {name: notify, image: curl, command: [echo, "{{ run.phase }}"]}
                        """))
                .document();
    var publish = doc.spec().task().get(1);

    assertThat(doc.spec().task().get(0).outputs()).containsExactly("items", "count");
    assertThat(publish.env())
        .containsExactly(new TaskEnv("COUNT", "{{ tasks.list.outputs.count }}"));
    assertThat(publish.when()).startsWith("tasks.list.outputs.count");
    assertThat(publish.trigger()).isEqualTo(TriggerRule.anySucceeded);
    assertThat(publish.allowFailure()).isTrue();
    assertThat(doc.spec().onExit()).extracting(t -> t.name()).containsExactly("notify");
  }

  @Test
  void aDagUsingEveryFeatureCorrectlyIsValid() {
    assertThat(
            problems(
                dag(
                    """
                    parameters:
                      - {name: env, defaultValue: prod}
                    task:
                      - {name: list, image: alpine, outputs: [count], command: [ls]}
                      - {name: mid, image: alpine, runAfter: [list], command: [ls]}
                      - name: last
                        image: alpine
                        runAfter: [mid]
                        when: "tasks.list.outputs.count == '3' && tasks.mid.phase == 'Succeeded'"
                        command: ["echo", "{{ tasks.list.outputs.count }} {{ run.logicalDate }}",
                                  "{{ dag.name }}/{{ dag.namespace }}@{{ dag.version }}",
                                  "{{ run.id }} {{ run.name }} {{{{ not a template"]
                    onExit:
                      - {name: a, image: curl, command: [echo, "{{ run.phase }} {{ tasks.list.outputs.count }}"]}
                      - {name: b, image: curl, runAfter: [a], when: "run.phase == 'Failed'", command: [ls]}
                    """)))
        .isEmpty();
  }

  @Test
  void reportsEveryBadReferenceWithItsFieldPath() {
    List<String> found =
        problems(
            dag(
                """
                parameters:
                  - {name: env, defaultValue: prod}
                  - {name: token, defaultFromSecret: creds}
                task:
                  - {name: a, image: alpine, outputs: [x], command: [ls]}
                  - {name: side, image: alpine, outputs: [y], command: [ls]}
                  - name: b
                    image: alpine
                    runAfter: [a]
                    command: ["{{ params.nope }}", "{{ tasks.side.outputs.y }}"]
                    args: ["{{ tasks.a.outputs.z }}", "{{ params.token }}", "{{ bogus.x }}"]
                    env: [{name: E, value: "{{ tasks.ghost.outputs.x }}"}]
                  - {name: c, image: alpine, script: "echo {{ run.phase }} {{ run"}
                """));

    assertThat(found)
        .containsExactlyInAnyOrder(
            "spec.task[2].command[0]: {{ params.nope }}: parameter 'nope' is not declared in"
                + " spec.parameters",
            "spec.task[2].command[1]: {{ tasks.side.outputs.y }}: task 'side' is not upstream of"
                + " task 'b' (list it in runAfter, directly or through other tasks)",
            "spec.task[2].args[0]: {{ tasks.a.outputs.z }}: task 'a' does not declare output 'z'"
                + " (it declares [x])",
            "spec.task[2].args[1]: {{ params.token }}: parameter 'token' comes from a Secret and"
                + " can not be templated into text (it would leave the Secret): use it through"
                + " the environment instead (list it in the task's parameters and read $token)",
            "spec.task[2].args[2]: {{ bogus.x }}: unknown reference 'bogus' (known: params.NAME,"
                + " run.id, run.name, run.logicalDate, dag.name, dag.namespace, dag.version,"
                + " tasks.TASK.outputs.NAME)",
            "spec.task[3].script: bad template: '{{' at character 21 is not closed by '}}'",
            "spec.task[2].env[0].value: {{ tasks.ghost.outputs.x }}: unknown task 'ghost'");
  }

  @Test
  void runPhaseOutsideAnExitTaskIsRefused() {
    assertThat(
            problems(
                dag(
                    """
                    task:
                      - {name: a, image: alpine, command: ["{{ run.phase }}"]}
                    """)))
        .containsExactly(
            "spec.task[0].command[0]: {{ run.phase }}: run.phase is only defined in an onExit task");
  }

  @Test
  void conditionsAreCheckedForSyntaxTypesAndReferences() {
    List<String> found =
        problems(
            dag(
                """
                parameters:
                  - {name: env, defaultValue: prod}
                  - {name: token, defaultFromSecret: creds}
                task:
                  - {name: a, image: alpine, outputs: [x], command: [ls]}
                  - {name: s1, image: alpine, runAfter: [a], when: "params.env ==", command: [ls]}
                  - {name: s2, image: alpine, runAfter: [a], when: "params.env == 1", command: [ls]}
                  - {name: s3, image: alpine, runAfter: [a], when: "1 + 2", command: [ls]}
                  - {name: s4, image: alpine, runAfter: [a], when: "tasks.a.outputs.q == 'x'", command: [ls]}
                  - {name: s5, image: alpine, when: "tasks.a.phase == 'Failed'", command: [ls]}
                  - {name: s6, image: alpine, when: "params.token == 'x' && params.zz == 'y'", command: [ls]}
                  - {name: s7, image: alpine, when: "nothing == 1", command: [ls]}
                """));

    assertThat(found).hasSize(8);
    assertThat(found.get(0)).startsWith("spec.task[1].when: bad condition: at 1:14: mismatched");
    assertThat(found.get(1))
        .startsWith("spec.task[2].when: bad condition: at 1:12: found no matching overload");
    assertThat(found.get(2))
        .isEqualTo(
            "spec.task[3].when: bad condition: expected a condition that is true or false, but it"
                + " is of type int");
    assertThat(found.get(3))
        .isEqualTo(
            "spec.task[4].when: tasks.a.outputs.q: task 'a' does not declare output 'q' (it"
                + " declares [x])");
    assertThat(found.get(4))
        .isEqualTo(
            "spec.task[5].when: tasks.a.phase: task 'a' is not upstream of task 's5' (list it in"
                + " runAfter, directly or through other tasks)");
    assertThat(found.get(5)).startsWith("spec.task[6].when: params.token: parameter 'token' comes");
    assertThat(found.get(6))
        .isEqualTo(
            "spec.task[6].when: params.zz: parameter 'zz' is not declared in spec.parameters");
    assertThat(found.get(7)).startsWith("spec.task[7].when: bad condition: at 1:1: undeclared");
  }

  @Test
  void anUnknownTriggerIsReportedWithTheKnownOnes() {
    assertThat(
            problems(
                dag(
                    """
                    task:
                      - {name: a, image: alpine, command: [ls], trigger: whenever}
                    """)))
        .containsExactly(
            "spec.task[0].trigger: expected one of [allSucceeded, allDone, allFailed, anyFailed,"
                + " anySucceeded, noneFailed], but got 'whenever'");
  }

  @Test
  void exitTasksRunAfterExitTasksOnlyAndTheirNamesAreTheirOwn() {
    List<String> found =
        problems(
            dag(
                """
                task:
                  - {name: a, image: alpine, command: [ls]}
                onExit:
                  - {name: a, image: alpine, command: [ls]}
                  - {name: n, image: alpine, command: [ls], runAfter: [a]}
                  - {name: m, image: alpine, command: [ls], runAfter: [a, n, ghost]}
                """));

    assertThat(found)
        .containsExactlyInAnyOrder(
            "spec.onExit[0].name: duplicate name 'a' (also at spec.task[0]): exit tasks and main"
                + " tasks share one namespace of names",
            "spec.onExit[1].runAfter[0]: exit task 'n' runs after main task 'a' (spec.task[0]): an"
                + " exit task may only run after other exit tasks; it starts once every main task"
                + " is final",
            "spec.onExit[2].runAfter[0]: exit task 'm' runs after main task 'a' (spec.task[0]): an"
                + " exit task may only run after other exit tasks; it starts once every main task"
                + " is final",
            "spec.onExit[2].runAfter[2]: 'm' depends on unknown 'ghost'");
  }

  @Test
  void outputAndEnvNamesAreChecked() {
    List<String> found =
        problems(
            dag(
                """
                task:
                  - name: a
                    image: alpine
                    command: [ls]
                    outputs: [ok, "../etc", ok]
                    env: [{name: "1X", value: v}, {name: KONTROLER_TASK, value: v}, {name: A, value: v}, {name: A, value: w}]
                """));

    assertThat(found)
        .hasSize(5)
        .anyMatch(p -> p.startsWith("spec.task[0].outputs[1]: expected an output name"))
        .anyMatch(p -> p.equals("spec.task[0].outputs[2]: duplicate output 'ok'"))
        .anyMatch(p -> p.startsWith("spec.task[0].env[0].name: expected an environment variable"))
        .anyMatch(p -> p.startsWith("spec.task[0].env[1].name: names starting with KONTROLER_"))
        .anyMatch(p -> p.equals("spec.task[0].env[3].name: duplicate variable 'A'"));
  }
}
