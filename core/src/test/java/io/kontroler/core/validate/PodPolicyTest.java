package io.kontroler.core.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kontroler.core.dag.Document;
import io.kontroler.core.parse.DocumentParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pod that could step out of its namespace is refused when applied, unless an admin allows. */
class PodPolicyTest {
  private static final String RISKY_DAG =
      """
      apiVersion: kontroler.greedykomodo/v1alpha1
      kind: DAG
      metadata: {name: risky, namespace: team-a}
      spec:
        parameters:
          - {name: TOKEN, defaultFromSecret: kontroler-admin}
        task:
          - name: escape
            image: alpine
            command: [cat, /host/etc/shadow]
            parameters: [TOKEN]
            podTemplate:
              serviceAccountName: cluster-admin-sa
              volumes:
                - {name: scratch, emptyDir: {}}
                - {name: host, hostPath: {path: /}}
              securityContext:
                privileged: true
                allowPrivilegeEscalation: true
                hostNetwork: true
                hostPID: true
                hostIPC: true
                capabilities: {add: [NET_ADMIN, CAP_SYS_ADMIN]}
      """;

  private static List<String> problems(String yaml, PodPolicy policy) {
    return DocumentSetValidator.validate(DocumentParser.parse(yaml), DagTaskCatalog.EMPTY, policy)
        .stream()
        .flatMap(r -> r.problems().stream())
        .map(Problem::toString)
        .toList();
  }

  private static List<String> paths(List<String> problems) {
    return problems.stream().map(p -> p.substring(0, p.indexOf(':'))).toList();
  }

  @Test
  void theDefaultPolicyRefusesEveryEscapeWithItsPath() {
    List<String> found = problems(RISKY_DAG, PodPolicy.RESTRICTED);

    assertThat(paths(found))
        .containsExactlyInAnyOrder(
            "spec.task[0].podTemplate.volumes[1].hostPath",
            "spec.task[0].podTemplate.securityContext.privileged",
            "spec.task[0].podTemplate.securityContext.allowPrivilegeEscalation",
            "spec.task[0].podTemplate.securityContext.hostNetwork",
            "spec.task[0].podTemplate.securityContext.hostPID",
            "spec.task[0].podTemplate.securityContext.hostIPC",
            "spec.task[0].podTemplate.securityContext.capabilities.add[0]",
            "spec.task[0].podTemplate.securityContext.capabilities.add[1]",
            "spec.task[0].podTemplate.serviceAccountName");
    assertThat(found)
        .contains(
            "spec.task[0].podTemplate.volumes[1].hostPath: a hostPath volume is not allowed by the"
                + " pod policy (an admin allows it with policy.pod.allow-host-path=true)");
  }

  @Test
  void anAdminSetPolicyAllowsWhatItNames() {
    PodPolicy open =
        PodPolicy.fromFlat(
            Map.of(
                "policy.pod.allow-host-path", "true",
                "policy.pod.allow-privileged", "true",
                "policy.pod.allow-host-network", "true",
                "policy.pod.allow-host-pid", "true",
                "policy.pod.allow-host-ipc", "true",
                "policy.pod.capabilities", "net_admin, SYS_ADMIN",
                "policy.pod.service-accounts", "builder, cluster-admin-sa",
                "policy.pod.secrets", "team-a/kontroler-admin"));

    assertThat(problems(RISKY_DAG, open)).isEmpty();
  }

  @Test
  void withNoKeysThePolicyIsTheRestrictedDefault() {
    assertThat(PodPolicy.fromFlat(Map.of())).isEqualTo(PodPolicy.RESTRICTED);
    assertThatThrownBy(() -> PodPolicy.fromFlat(Map.of("policy.pod.allow-host-path", "yes")))
        .hasMessageContaining("policy.pod.allow-host-path: Expected true or false, but got 'yes'");
  }

  @Test
  void theDefaultServiceAccountIsAlwaysAllowed() {
    assertThat(PodPolicy.RESTRICTED.serviceAccountAllowed(null)).isTrue();
    assertThat(PodPolicy.RESTRICTED.serviceAccountAllowed("default")).isTrue();
    assertThat(PodPolicy.RESTRICTED.serviceAccountAllowed("kontroler")).isFalse();
  }

  @Test
  void aSecretAllowListNarrowsFromSecretToTheNamesItHolds() {
    PodPolicy policy = PodPolicy.fromFlat(Map.of("policy.pod.secrets", "db-password,team-b/api"));
    String dag =
        """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata: {name: d, namespace: team-a}
        spec:
          parameters:
            - {name: DB, defaultFromSecret: db-password}
            - {name: API, defaultFromSecret: api}
          task: [{name: t, image: alpine, command: [env], parameters: [DB, API]}]
        ---
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DagRun
        metadata: {name: r, namespace: team-a}
        spec:
          dagName: d
          parameters: [{name: DB, fromSecret: kontroler-tls}]
        """;

    assertThat(problems(dag, policy))
        .containsExactlyInAnyOrder(
            "spec.parameters[1].defaultFromSecret: Secret 'api' of namespace 'team-a' is not in"
                + " the allow-list of the pod policy (policy.pod.secrets: [db-password,"
                + " team-b/api])",
            "spec.parameters[0].fromSecret: Secret 'kontroler-tls' of namespace 'team-a' is not"
                + " in the allow-list of the pod policy (policy.pod.secrets: [db-password,"
                + " team-b/api])");
    assertThat(problems(dag, PodPolicy.RESTRICTED)).isEmpty();
  }

  @Test
  void aDagTaskPodIsCheckedWhereItIsDeclaredAndWhereItIsUsed() {
    var task =
        (Document.DagTask)
            DocumentParser.parseOne(
                    """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DagTask
        metadata: {name: mounter}
        spec:
          image: alpine
          command: [ls, /host]
          podTemplate: {volumes: [{name: h, hostPath: {path: /var/run}}]}
        """)
                .document();
    assertThat(DagValidator.validateDagTask(task.metadata(), task.spec()))
        .extracting(Problem::path)
        .containsExactly("spec.podTemplate.volumes[0].hostPath");

    // Accepted while an admin allowed host paths, then used after the policy was tightened.
    var catalog = new DagTaskCatalog.InMemory();
    catalog.add("default", "mounter", task.spec());
    var dag =
        (Document.Dag)
            DocumentParser.parseOne(
                    """
        apiVersion: kontroler.greedykomodo/v1alpha1
        kind: DAG
        metadata: {name: d}
        spec:
          task: [{name: x, taskRef: {name: mounter, version: 1}}]
        """)
                .document();
    assertThat(DagValidator.validate(dag.metadata(), dag.spec(), catalog).problems())
        .containsExactly(
            new Problem(
                "spec.task[0].taskRef",
                "DagTask 'mounter' version 1, spec.podTemplate.volumes[0].hostPath: a hostPath"
                    + " volume is not allowed by the pod policy (an admin allows it with"
                    + " policy.pod.allow-host-path=true)"));
  }
}
