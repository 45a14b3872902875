package io.kontroler.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.message.Inbound.SlotGranted;
import io.kontroler.core.message.PoolMessage;
import io.kontroler.core.message.PoolMessage.PoolSlotsSet;
import io.kontroler.core.message.PoolMessage.SlotReleased;
import io.kontroler.core.message.PoolMessage.SlotRenewed;
import io.kontroler.core.message.PoolMessage.SlotRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolMachineTest {
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private PoolState state;

  private PoolDecision send(PoolMessage m) {
    PoolDecision d = PoolMachine.apply(state, m, LEASE);
    state = d.state();
    return d;
  }

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private static SlotRequested request(String run, int s) {
    return new SlotRequested("warehouse", "ns/etl", run, "load", 1, at(s));
  }

  private static SlotReleased release(String run, int s) {
    return new SlotReleased("warehouse", "ns/etl", run, "load", 1, at(s));
  }

  private static List<String> runs(List<SlotGranted> grants) {
    return grants.stream().map(SlotGranted::runId).toList();
  }

  @Test
  void anUndefinedPoolHasNoSlotAndItsRequestsWaitInOrderUntilItIsDefined() {
    PoolDecision first = send(request("r1", 0));
    send(request("r2", 1));
    send(request("r3", 2));

    assertThat(first.grants()).isEmpty();
    assertThat(first.status().defined()).isFalse();
    assertThat(first.status().waiting()).isEqualTo(1);

    PoolDecision defined = send(new PoolSlotsSet("warehouse", 2, "admin", at(10)));

    assertThat(runs(defined.grants())).containsExactly("r1", "r2");
    SlotGranted g = defined.grants().get(0);
    assertThat(g)
        .isEqualTo(new SlotGranted("ns/etl", "r1", "load", 1, "warehouse", at(10), at(70)));
    assertThat(defined.status().holders()).hasSize(2);
    assertThat(defined.status().waiting()).isEqualTo(1);
    assertThat(defined.status().defined()).isTrue();
  }

  @Test
  void aReleasedSlotGoesToTheNextWaitingRequestAndAReleaseOfAWaitingOneLeavesTheQueue() {
    send(new PoolSlotsSet("warehouse", 1, "admin", at(0)));
    send(request("r1", 1));
    send(request("r2", 2));
    send(request("r3", 3));

    PoolDecision left = send(release("r2", 4));
    assertThat(left.grants()).isEmpty();
    assertThat(left.status().waiting()).isEqualTo(1);

    PoolDecision freed = send(release("r1", 5));
    assertThat(runs(freed.grants())).containsExactly("r3");
    assertThat(freed.status().holders())
        .extracting(PoolMessage.PoolHolder::runId)
        .containsExactly("r3");
    assertThat(freed.status().waiting()).isZero();
  }

  @Test
  void duplicatesAndReleasesOfWhatIsNotHeldChangeNothing() {
    send(new PoolSlotsSet("warehouse", 2, "admin", at(0)));
    send(request("r1", 1));

    assertThat(send(request("r1", 2)).changed()).isFalse();
    assertThat(send(release("r9", 3)).changed()).isFalse();
    assertThat(send(new PoolSlotsSet("warehouse", 2, "admin", at(4))).changed()).isFalse();
    assertThat(state.holders()).hasSize(1);

    send(release("r1", 5));
    assertThat(send(release("r1", 6)).changed()).isFalse();
    assertThat(state.holders()).isEmpty();
  }

  @Test
  void raisingSlotsGrantsAtOnceAndLoweringThemTakesNoSlotAwayButStopsNewGrants() {
    send(new PoolSlotsSet("warehouse", 1, "admin", at(0)));
    send(request("r1", 1));
    send(request("r2", 2));
    send(request("r3", 3));

    PoolDecision raised = send(new PoolSlotsSet("warehouse", 3, "admin", at(4)));
    assertThat(runs(raised.grants())).containsExactly("r2", "r3");

    send(request("r4", 5));
    PoolDecision lowered = send(new PoolSlotsSet("warehouse", 1, "admin", at(6)));
    assertThat(lowered.grants()).isEmpty();
    assertThat(lowered.status().holders()).hasSize(3);

    assertThat(send(release("r1", 7)).grants()).isEmpty();
    assertThat(send(release("r2", 8)).grants()).isEmpty();
    assertThat(runs(send(release("r3", 9)).grants())).containsExactly("r4");
  }

  @Test
  void aHolderThatIsNotRenewedLosesItsSlotWhenItsLeaseRunsOutAndTheNextGetsIt() {
    send(new PoolSlotsSet("warehouse", 1, "admin", at(0)));
    send(request("r1", 0));
    send(request("r2", 1));

    assertThat(PoolMachine.expire(state, at(59), LEASE).changed()).isFalse();
    send(new SlotRenewed("warehouse", "ns/etl", "r1", "load", 1, at(30)));
    assertThat(state.nextExpiry()).isEqualTo(at(90));
    assertThat(PoolMachine.expire(state, at(60), LEASE).changed()).isFalse();

    PoolDecision expired = PoolMachine.expire(state, at(90), LEASE);

    assertThat(expired.grants())
        .containsExactly(new SlotGranted("ns/etl", "r2", "load", 1, "warehouse", at(90), at(150)));
    assertThat(expired.state().holders()).extracting(h -> h.claim().runId()).containsExactly("r2");
  }

  @Test
  void aRenewalOfAnAttemptThatHoldsNoSlotChangesNothing() {
    send(new PoolSlotsSet("warehouse", 1, "admin", at(0)));
    send(request("r1", 0));
    send(request("r2", 1));

    assertThat(send(new SlotRenewed("warehouse", "ns/etl", "r2", "load", 1, at(2))).changed())
        .isFalse();
    assertThat(send(new SlotRenewed("warehouse", "ns/etl", "r1", "load", 2, at(2))).changed())
        .isFalse();
  }

  @Test
  void anotherAttemptOfTheSameTaskIsAnotherClaim() {
    send(new PoolSlotsSet("warehouse", 1, "admin", at(0)));
    send(request("r1", 0));

    PoolDecision second = send(new SlotRequested("warehouse", "ns/etl", "r1", "load", 2, at(1)));

    assertThat(second.grants()).isEmpty();
    assertThat(second.status().waiting()).isEqualTo(1);
  }

  @Test
  void itsOwnStatusRecordChangesNothing() {
    send(new PoolSlotsSet("warehouse", 1, "admin", at(0)));
    PoolDecision d = send(state.status(at(1)));
    assertThat(d.changed()).isFalse();
  }
}
