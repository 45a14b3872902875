package io.kontroler.scheduler;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which open transactions belong to scheduler instances that are no longer in the group. Kafka
 * Streams (exactly-once v2) names an instance's producers {@code <application id>-<process
 * id>-<thread>} and its consumers {@code <application id>-<process id>-StreamThread-<n>-consumer};
 * a transaction whose process id no member of the group has is a dead instance's, and until the
 * broker rolls it back ({@code scheduler.transaction.timeout.ms} after it began) no committed
 * reader can read past it, the survivor taking over the partitions included.
 */
final class DeadInstances {
  private static final String PROCESS_ID =
      "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";

  private final String applicationId;
  private final Pattern transactionalId;
  private final Pattern clientId;

  /** For the Streams application {@code applicationId}: its group id and every id's prefix. */
  DeadInstances(String applicationId) {
    this.applicationId = applicationId;
    String prefix = Pattern.quote(applicationId + "-") + PROCESS_ID;
    this.transactionalId = Pattern.compile(prefix + "-\\d+");
    this.clientId = Pattern.compile(prefix + "-.*");
  }

  String applicationId() {
    return applicationId;
  }

  /** The pattern of this application's transactional ids, for the broker's listing filter. */
  String transactionalIdPattern() {
    return transactionalId.pattern();
  }

  /** The process id in a member's client id or a transactional id of this application, if any. */
  Optional<String> processId(String id) {
    Matcher m = clientId.matcher(id);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * The transactional ids among {@code openTransactions} whose process is not among the group's
   * {@code memberClientIds} (nor this instance's own {@code localClientIds}). Ids that are not this
   * application's are never chosen, and none is when a member's client id names no process (its
   * client ids were configured by hand): then no member can be told from a dead one.
   */
  List<String> deadTransactions(
      Collection<String> openTransactions,
      Collection<String> memberClientIds,
      Collection<String> localClientIds) {
    if (memberClientIds.stream().anyMatch(id -> processId(id).isEmpty())) {
      return List.of();
    }
    Set<String> live =
        Stream.concat(memberClientIds.stream(), localClientIds.stream())
            .map(this::processId)
            .flatMap(Optional::stream)
            .collect(Collectors.toSet());
    return openTransactions.stream()
        .filter(id -> transactionalId.matcher(id).matches())
        .filter(id -> processId(id).filter(live::contains).isEmpty())
        .sorted()
        .toList();
  }
}
