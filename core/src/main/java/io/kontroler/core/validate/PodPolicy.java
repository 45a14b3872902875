package io.kontroler.core.validate;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.BOOL;
import static io.kontroler.core.config.ValueType.LIST;

import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ConfigValues;
import io.kontroler.core.dag.PodTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a task's pod may ask of the node and the cluster, as an admin sets it. The default ({@link
 * #RESTRICTED}) refuses host paths, privileged containers (and privilege escalation), the host's
 * network, PID and IPC namespaces, every added capability and every service account but the
 * namespace's {@code default}; Secrets are any in the DAG's own namespace.
 *
 * <p>The api and the ingest check a DAG against it when it is applied ({@link
 * DagValidator#validate(io.kontroler.core.dag.Metadata, io.kontroler.core.dag.DagSpec,
 * DagTaskCatalog, PodPolicy)}), so a refused pod never becomes a DAG version; the Kubernetes
 * backend checks the pod it builds again at launch.
 *
 * @param allowHostPath {@code hostPath} volumes [{@code policy.pod.allow-host-path}: false]
 * @param allowPrivileged {@code privileged: true} and {@code allowPrivilegeEscalation: true}
 *     [{@code policy.pod.allow-privileged}: false]
 * @param allowHostNetwork {@code hostNetwork: true} [{@code policy.pod.allow-host-network}: false]
 * @param allowHostPid {@code hostPID: true} [{@code policy.pod.allow-host-pid}: false]
 * @param allowHostIpc {@code hostIPC: true} [{@code policy.pod.allow-host-ipc}: false]
 * @param allowedCapabilities capabilities a pod may add, upper case without {@code CAP_} [{@code
 *     policy.pod.capabilities}: none]
 * @param allowedServiceAccounts service accounts a pod may name besides {@code default} [{@code
 *     policy.pod.service-accounts}: none]
 * @param allowedSecrets Secrets a parameter may come from, each {@code name} (in the DAG's
 *     namespace) or {@code namespace/name}; empty allows any Secret of the DAG's namespace [{@code
 *     policy.pod.secrets}: empty]
 */
public record PodPolicy(
    boolean allowHostPath,
    boolean allowPrivileged,
    boolean allowHostNetwork,
    boolean allowHostPid,
    boolean allowHostIpc,
    Set<String> allowedCapabilities,
    Set<String> allowedServiceAccounts,
    Set<String> allowedSecrets) {

  /** Refuses everything a pod could use to step out of its namespace; any Secret of its own. */
  public static final PodPolicy RESTRICTED =
      new PodPolicy(false, false, false, false, false, Set.of(), Set.of(), Set.of());

  private static final String DEFAULT_ACCOUNT = "default";

  public PodPolicy {
    allowedCapabilities =
        allowedCapabilities.stream().map(PodPolicy::capability).collect(Collectors.toSet());
    allowedServiceAccounts = Set.copyOf(allowedServiceAccounts);
    allowedSecrets = Set.copyOf(allowedSecrets);
  }

  public static final ConfigKey<PodPolicy, Boolean> ALLOW_HOST_PATH =
      flag("host-path", "hostPath volumes.", PodPolicy::allowHostPath);
  public static final ConfigKey<PodPolicy, Boolean> ALLOW_PRIVILEGED =
      flag(
          "privileged",
          "privileged: true and allowPrivilegeEscalation: true.",
          PodPolicy::allowPrivileged);
  public static final ConfigKey<PodPolicy, Boolean> ALLOW_HOST_NETWORK =
      flag("host-network", "hostNetwork: true.", PodPolicy::allowHostNetwork);
  public static final ConfigKey<PodPolicy, Boolean> ALLOW_HOST_PID =
      flag("host-pid", "hostPID: true.", PodPolicy::allowHostPid);
  public static final ConfigKey<PodPolicy, Boolean> ALLOW_HOST_IPC =
      flag("host-ipc", "hostIPC: true.", PodPolicy::allowHostIpc);
  public static final ConfigKey<PodPolicy, List<String>> CAPABILITIES =
      key("policy.pod.capabilities", LIST, null)
          .readFrom((PodPolicy p) -> sorted(p.allowedCapabilities()))
          .doc("Capabilities a pod may add, comma separated, upper case without CAP_.");
  public static final ConfigKey<PodPolicy, List<String>> SERVICE_ACCOUNTS =
      key("policy.pod.service-accounts", LIST, null)
          .readFrom((PodPolicy p) -> sorted(p.allowedServiceAccounts()))
          .doc("Service accounts a pod may name besides default, comma separated.");
  public static final ConfigKey<PodPolicy, List<String>> SECRETS =
      key("policy.pod.secrets", LIST, null)
          .readFrom((PodPolicy p) -> sorted(p.allowedSecrets()))
          .doc(
              "Secrets a parameter may come from, each name (in the DAG's namespace) or namespace/name, comma separated; none: any Secret of the DAG's namespace.")
          .shownAs("any of the DAG's namespace");

  /** The policy's keys, read by the api, the ingest and the executor. */
  public static final ConfigTable<PodPolicy> TABLE =
      ConfigTable.of(
          ALLOW_HOST_PATH,
          ALLOW_PRIVILEGED,
          ALLOW_HOST_NETWORK,
          ALLOW_HOST_PID,
          ALLOW_HOST_IPC,
          CAPABILITIES,
          SERVICE_ACCOUNTS,
          SECRETS);

  /** The policy in {@code v}, read by a table that includes {@link #TABLE}. */
  public static PodPolicy from(ConfigValues v) {
    return new PodPolicy(
        v.get(ALLOW_HOST_PATH),
        v.get(ALLOW_PRIVILEGED),
        v.get(ALLOW_HOST_NETWORK),
        v.get(ALLOW_HOST_PID),
        v.get(ALLOW_HOST_IPC),
        Set.copyOf(orEmpty(v.get(CAPABILITIES))),
        Set.copyOf(orEmpty(v.get(SERVICE_ACCOUNTS))),
        Set.copyOf(orEmpty(v.get(SECRETS))));
  }

  /** The policy in flat configuration; absent keys keep {@link #RESTRICTED}'s values. */
  public static PodPolicy fromFlat(Map<String, String> c) {
    return from(TABLE.require(c));
  }

  private static ConfigKey<PodPolicy, Boolean> flag(
      String what, String doc, Function<PodPolicy, Boolean> getter) {
    return key("policy.pod.allow-" + what, BOOL, "false").readFrom(getter).doc("Allow " + doc);
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }

  /** Every part of {@code template} that this policy refuses, at {@code at.podTemplate…}. */
  public List<Problem> check(PodTemplate template, String at) {
    List<Problem> problems = new ArrayList<>();
    String pod = at + ".podTemplate";
    if (!allowHostPath) {
      for (int i = 0; i < template.volumes().size(); i++) {
        if (template.volumes().get(i) instanceof Map<?, ?> volume
            && volume.containsKey("hostPath")) {
          problems.add(
              refused(pod + ".volumes[" + i + "].hostPath", "a hostPath volume", "host-path"));
        }
      }
    }
    checkSecurityContext(template.securityContext(), pod + ".securityContext", problems);
    String account = template.serviceAccountName();
    if (!serviceAccountAllowed(account)) {
      problems.add(
          new Problem(
              pod + ".serviceAccountName",
              "service account '"
                  + account
                  + "' is not allowed by the pod policy (allowed: default"
                  + (allowedServiceAccounts.isEmpty() ? "" : ", " + sorted(allowedServiceAccounts))
                  + "; an admin lists more in policy.pod.service-accounts)"));
    }
    return problems;
  }

  /** True when a pod may run as {@code account} (null or blank: the namespace's default). */
  public boolean serviceAccountAllowed(String account) {
    return account == null
        || account.isBlank()
        || DEFAULT_ACCOUNT.equals(account)
        || allowedServiceAccounts.contains(account);
  }

  /** True when a task of a DAG in {@code namespace} may read the Secret {@code name} there. */
  public boolean secretAllowed(String namespace, String name) {
    return allowedSecrets.isEmpty()
        || allowedSecrets.contains(name)
        || allowedSecrets.contains(namespace + "/" + name);
  }

  /** True when a container may add {@code capability} ({@code CAP_} prefix and case ignored). */
  public boolean capabilityAllowed(String capability) {
    return allowedCapabilities.contains(capability(capability));
  }

  /** The message of a refused Secret, the same at apply time and at launch. */
  public String secretRefusal(String namespace, String name) {
    return "Secret '"
        + name
        + "' of namespace '"
        + namespace
        + "' is not in the allow-list of the pod policy (policy.pod.secrets: "
        + sorted(allowedSecrets)
        + ")";
  }

  private void checkSecurityContext(
      Map<String, Object> context, String at, List<Problem> problems) {
    if (!allowPrivileged) {
      if (Boolean.TRUE.equals(context.get("privileged"))) {
        problems.add(refused(at + ".privileged", "a privileged container", "privileged"));
      }
      if (Boolean.TRUE.equals(context.get("allowPrivilegeEscalation"))) {
        problems.add(
            refused(at + ".allowPrivilegeEscalation", "privilege escalation", "privileged"));
      }
    }
    checkHostFlag(context, "hostNetwork", allowHostNetwork, "network", at, problems);
    checkHostFlag(context, "hostPID", allowHostPid, "pid", at, problems);
    checkHostFlag(context, "hostIPC", allowHostIpc, "ipc", at, problems);
    if (context.get("capabilities") instanceof Map<?, ?> caps
        && caps.get("add") instanceof List<?> added) {
      for (int k = 0; k < added.size(); k++) {
        String cap = String.valueOf(added.get(k));
        if (!capabilityAllowed(cap)) {
          problems.add(
              new Problem(
                  at + ".capabilities.add[" + k + "]",
                  "capability '"
                      + cap
                      + "' is not allowed by the pod policy (allowed: "
                      + sorted(allowedCapabilities)
                      + "; an admin lists more in policy.pod.capabilities)"));
        }
      }
    }
  }

  // hostNetwork, hostPID and hostIPC are pod fields that a podTemplate does not have; written in
  // the securityContext they would still reach the API server, so they are refused there too.
  private static void checkHostFlag(
      Map<String, Object> context,
      String field,
      boolean allowed,
      String kind,
      String at,
      List<Problem> problems) {
    if (!allowed && Boolean.TRUE.equals(context.get(field))) {
      problems.add(refused(at + "." + field, "the host's " + kind + " namespace", "host-" + kind));
    }
  }

  private static Problem refused(String path, String what, String key) {
    return new Problem(
        path,
        what
            + " is not allowed by the pod policy (an admin allows it with policy.pod.allow-"
            + key
            + "=true)");
  }

  private static String capability(String name) {
    String upper = name.trim().toUpperCase(Locale.ROOT);
    return upper.startsWith("CAP_") ? upper.substring(4) : upper;
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }
}
