package io.kontroler.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand.ExecutorCommand;
import io.kontroler.core.run.RunCommand.KillTask;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.run.RunCommand.ReleaseRun;
import io.kontroler.executor.Action.Announce;
import io.kontroler.executor.Action.Check;
import io.kontroler.executor.Action.Finish;
import io.kontroler.executor.Action.Kill;
import io.kontroler.executor.Action.Note;
import io.kontroler.executor.Action.Noted;
import io.kontroler.executor.Action.PublishEnded;
import io.kontroler.executor.Action.PublishStarted;
import io.kontroler.executor.Action.Release;
import io.kontroler.executor.Action.Start;
import io.kontroler.executor.AttemptTracker.Flow;
import io.kontroler.executor.AttemptTracker.Revoked;
import io.kontroler.executor.Intake.Read;
import io.kontroler.executor.backend.AttemptId;
import io.kontroler.executor.backend.Phase;
import io.kontroler.executor.backend.PhaseInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every decision of the attempt tracker, with the time given, and no broker or backend. */
class AttemptTrackerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration NOT_READY_RETRY = Duration.ofSeconds(30);
  private static final Duration RESYNC = Duration.ofSeconds(10);
  private static final Duration PEEK = Duration.ofSeconds(1);

  // --- taking a batch

  @Test
  void newLaunchesAreAnnouncedCommittedPastAndCarriedOutInOrder() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    Read a = read(0, 0, launch("a"));
    Read b = read(0, 1, launch("b"));

    Intake intake = tracker.take(List.of(a, b));

    assertThat(intake.announce()).containsExactly(id("a"), id("b"));
    assertThat(intake.commands()).containsExactly(a, b);
    assertThat(intake.commit()).isEqualTo(Map.of(0, 2L));
    assertThat(intake.rewind()).isEqualTo(Map.of(0, 0L));
    assertThat(intake.readAgain()).isEmpty();
    assertThat(intake.deadLetters()).isEmpty();
    assertThat(intake.killsAhead()).isEmpty();
    assertThat(tracker.inFlight()).isZero(); // taking decides; only a committed launch is held
  }

  @Test
  void aLaunchReadAgainWhileInFlightIsCommittedButNotAnnouncedAgain() {
    AttemptTracker tracker = tracker(1, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    Read again = read(0, 3, launch("a"));

    Intake intake = tracker.take(List.of(again));

    assertThat(intake.announce()).isEmpty();
    assertThat(intake.commands()).containsExactly(again); // it needs no room: it has one
    assertThat(intake.commit()).isEqualTo(Map.of(0, 4L));
    assertThat(intake.readAgain()).isEmpty();
  }

  @Test
  void aLaunchTwiceInOneBatchIsAnnouncedOnceAndTakesOneSlot() {
    AttemptTracker tracker = tracker(2, Revoked.HAND_OVER);

    Intake intake =
        tracker.take(
            List.of(read(0, 0, launch("a")), read(0, 1, launch("a")), read(0, 2, launch("b"))));

    assertThat(intake.announce()).containsExactly(id("a"), id("b"));
    assertThat(intake.commands()).hasSize(3);
    assertThat(intake.commit()).isEqualTo(Map.of(0, 3L));
  }

  @Test
  void theFirstLaunchWithNoRoomWaitsAndPastItOnlyKillsCount() {
    AttemptTracker tracker = tracker(1, Revoked.HAND_OVER);
    Read a = read(0, 0, launch("a"));
    Read killC = read(0, 2, kill("c"));
    Read killA = read(0, 4, kill("a"));

    Intake intake =
        tracker.take(
            List.of(
                a,
                read(0, 1, launch("b")),
                killC,
                Read.unreadable(0, 3, "not JSON"),
                killA,
                read(0, 5, new ReleaseRun("r", "team/a", T0))));

    assertThat(intake.announce()).containsExactly(id("a"));
    assertThat(intake.commands()).containsExactly(a);
    assertThat(intake.commit()).isEqualTo(Map.of(0, 1L));
    assertThat(intake.readAgain()).isEqualTo(Map.of(0, 1L));
    assertThat(intake.killsAhead()).containsExactly(killC, killA);
    assertThat(intake.deadLetters()).isEmpty(); // dead-lettered when its turn comes
  }

  @Test
  void eachPartitionWaitsOnItsOwn() {
    AttemptTracker tracker = tracker(1, Revoked.HAND_OVER);
    Read a = read(0, 5, launch("a"));
    Read releaseOn1 = read(1, 6, new ReleaseRun("r", "team/b", T0));

    Intake intake = tracker.take(List.of(a, releaseOn1, read(1, 7, launch("b"))));
    Intake order = tracker.take(List.of(releaseOn1, read(1, 7, launch("b")), a));

    assertThat(intake.readAgain()).isEqualTo(Map.of(1, 7L));
    assertThat(intake.commit()).isEqualTo(Map.of(0, 6L, 1, 7L));
    assertThat(intake.rewind()).isEqualTo(Map.of(0, 5L, 1, 6L));
    // The room goes to the launches in the order the batch holds them.
    assertThat(order.readAgain()).isEqualTo(Map.of(0, 5L));
    assertThat(order.commands()).containsExactly(releaseOn1, read(1, 7, launch("b")));
  }

  @Test
  void anUnreadableRecordIsDeadLetteredAndCommitted() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    Read garbage = Read.unreadable(2, 9, "not JSON");

    Intake intake = tracker.take(List.of(garbage));

    assertThat(intake.deadLetters()).containsExactly(garbage);
    assertThat(intake.commands()).isEmpty();
    assertThat(intake.commit()).isEqualTo(Map.of(2, 10L));
  }

  @Test
  void killsAndReleasesNeedNoRoom() {
    AttemptTracker tracker = tracker(1, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    Read killA = read(0, 1, kill("a"));
    Read release = read(0, 2, new ReleaseRun("r", "team/a", T0));

    Intake intake = tracker.take(List.of(killA, release));

    assertThat(intake.commands()).containsExactly(killA, release);
    assertThat(intake.readAgain()).isEmpty();
    assertThat(intake.commit()).isEqualTo(Map.of(0, 3L));
  }

  // --- commands carried out

  @Test
  void aCommittedLaunchIsHeldAndStarted() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);

    List<Action> actions = tracker.onCommand(read(3, 0, launch("a")), T0);

    assertThat(actions).containsExactly(new Start(launch("a"), 3));
    assertThat(tracker.attempt(id("a")))
        .hasValueSatisfying(
            a -> {
              assertThat(a.phase()).isEqualTo(Phase.Queued);
              assertThat(a.partition()).isEqualTo(3);
              assertThat(a.launch()).isEqualTo(launch("a"));
              assertThat(a.startPublished()).isFalse();
            });
    assertThat(tracker.inFlight()).isEqualTo(1);
  }

  @Test
  void aLaunchDeliveredAgainIsNotStartedTwice() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    tracker.onPhase(id("a"), PhaseInfo.running(T0), T0);

    List<Action> actions = tracker.onLaunch(launch("a"), 0, T0.plusSeconds(5));

    assertThat(actions).singleElement().isInstanceOf(Note.class);
    assertThat(((Note) actions.get(0)).what()).isEqualTo(Noted.LAUNCH_DELIVERED_AGAIN);
    assertThat(tracker.attempt(id("a")).orElseThrow().phase()).isEqualTo(Phase.Running);
  }

  @Test
  void aReleaseIsPassedToTheBackend() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);

    assertThat(tracker.onCommand(read(0, 0, new ReleaseRun("r9", "team/a", T0)), T0))
        .containsExactly(new Release("team/a", "r9"));
  }

  @Test
  void aKillOfAnAttemptNotHeldIsOnlyNoted() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);

    assertThat(tracker.onCommand(read(0, 0, kill("a")), T0))
        .containsExactly(new Note(id("a"), Noted.NOT_IN_FLIGHT, "nothing to kill"));
  }

  @Test
  void aKillOfAQueuedOrRunningAttemptStopsItOnTheBackend() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("queued"), 0, T0);
    tracker.onLaunch(launch("running"), 0, T0);
    tracker.onPhase(id("running"), PhaseInfo.running(T0), T0);

    assertThat(tracker.onKill(kill("queued"), T0)).containsExactly(new Kill(id("queued"), "stop"));
    assertThat(tracker.onKill(kill("running"), T0))
        .containsExactly(new Kill(id("running"), "stop"));
    assertThat(tracker.inFlight()).isEqualTo(2); // they end when the backend says so
  }

  @Test
  void aKillOfAnAttemptWhoseStartWasRefusedEndsItHereAsKilled() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    tracker.onPhase(id("a"), PhaseInfo.notReady("quota"), T0);
    Instant now = T0.plusSeconds(3);

    List<Action> actions = tracker.onKill(kill("a"), now);

    assertThat(actions)
        .containsExactly(
            new Note(id("a"), Noted.ENDED, "PermanentFailure KILLED"),
            new PublishEnded(
                id("a"),
                PhaseInfo.failed(FailureKind.KILLED, null, "killed before it started", now),
                now));
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void aKillReadBeforeItsLaunchEndsTheLaunchUnstarted() {
    AttemptTracker tracker = tracker(1, Revoked.HAND_OVER);
    Instant now = T0.plusSeconds(2);

    assertThat(tracker.onKillAhead(read(0, 4, kill("b")), T0))
        .containsExactly(
            new Note(id("b"), Noted.KILLED_BEFORE_LAUNCH, "the launch will not start"));
    assertThat(tracker.onKillAhead(read(0, 4, kill("b")), T0)).isEmpty(); // read again: once
    List<Action> launched = tracker.onLaunch(launch("b"), 0, now);

    assertThat(launched).noneMatch(Start.class::isInstance);
    assertThat(launched)
        .containsExactly(
            new Note(id("b"), Noted.ENDED, "PermanentFailure KILLED"),
            new PublishEnded(
                id("b"),
                PhaseInfo.failed(FailureKind.KILLED, null, "killed before it started", now),
                now));
    assertThat(tracker.inFlight()).isZero();
    assertThat(tracker.onLaunch(launch("b"), 0, now)).containsExactly(new Start(launch("b"), 0));
  }

  @Test
  void aKillReadAheadOfAnAttemptHeldStopsIt() {
    AttemptTracker tracker = tracker(1, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);

    assertThat(tracker.onKillAhead(read(0, 7, kill("a")), T0))
        .containsExactly(new Kill(id("a"), "stop"));
  }

  // --- phases

  @Test
  void aRunningAttemptIsAnnouncedStartedOnceAtTheTimeTheBackendGives() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    Instant began = T0.minusSeconds(1);

    assertThat(tracker.onPhase(id("a"), PhaseInfo.running(began), T0))
        .containsExactly(new PublishStarted(id("a"), began));
    assertThat(tracker.onPhase(id("a"), PhaseInfo.running(began), T0.plusSeconds(1))).isEmpty();
    assertThat(tracker.attempt(id("a")).orElseThrow().startPublished()).isTrue();
  }

  @Test
  void aPhaseWithoutATimeTakesTheTimeItWasLearnt() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    Instant now = T0.plusSeconds(4);

    assertThat(tracker.onPhase(id("a"), PhaseInfo.running(null), now))
        .containsExactly(new PublishStarted(id("a"), now));
  }

  @Test
  void aQueuedPhaseChangesNothingToPublish() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);

    assertThat(tracker.onPhase(id("a"), PhaseInfo.queued("pulling"), T0)).isEmpty();
    assertThat(tracker.attempt(id("a")).orElseThrow().phase()).isEqualTo(Phase.Queued);
  }

  @Test
  void aSuccessIsPublishedAfterTheStartItImpliesAndTheAttemptIsLetGo() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    Instant ended = T0.plusSeconds(9);
    PhaseInfo success = PhaseInfo.succeeded(ended);

    assertThat(tracker.onPhase(id("a"), success, T0.plusSeconds(10)))
        .containsExactly(
            new PublishStarted(id("a"), ended),
            new Note(id("a"), Noted.ENDED, "Succeeded"),
            new PublishEnded(id("a"), success, ended));
    assertThat(tracker.attempt(id("a"))).isEmpty();
    assertThat(tracker.inFlight()).isZero();
  }

  @ParameterizedTest
  @EnumSource(FailureKind.class)
  void aFailureImpliesAStartOnlyIfTheTaskRan(FailureKind kind) {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    PhaseInfo failure = PhaseInfo.failed(kind, 1, "it ended", T0);

    List<Action> actions = tracker.onPhase(id("a"), failure, T0);

    boolean ran = kind == FailureKind.EXITED || kind == FailureKind.TIMED_OUT;
    assertThat(actions.stream().anyMatch(PublishStarted.class::isInstance)).isEqualTo(ran);
    assertThat(actions).endsWith(new PublishEnded(id("a"), failure, T0));
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void anEndAfterTheStartWasPublishedPublishesOnlyTheEnd() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    tracker.onPhase(id("a"), PhaseInfo.running(T0), T0);
    PhaseInfo exited = PhaseInfo.failed(FailureKind.EXITED, 7, "exit 7", T0.plusSeconds(1));

    assertThat(tracker.onPhase(id("a"), exited, T0.plusSeconds(2)))
        .containsExactly(
            new Note(id("a"), Noted.ENDED, "RetryableFailure EXITED"),
            new PublishEnded(id("a"), exited, T0.plusSeconds(1)));
  }

  @Test
  void aStartTheBackendCouldNotBeAskedIsLost() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);

    List<Action> actions = tracker.onStartFailed(id("a"), "boom", T0);

    assertThat(actions)
        .containsExactly(
            new Note(id("a"), Noted.ENDED, "RetryableFailure LOST"),
            new PublishEnded(
                id("a"), PhaseInfo.failed(FailureKind.LOST, null, "executor error: boom", T0), T0));
  }

  @Test
  void aPhaseOfAnAttemptNotHeldIsIgnored() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);

    assertThat(tracker.onPhase(id("x"), PhaseInfo.succeeded(T0), T0)).isEmpty();
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void aRefusedStartIsTriedAgainOnceItsRetryIsDueAndNotCheckedMeanwhile() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.tick(T0); // the first resync
    tracker.onLaunch(launch("a"), 0, T0);

    assertThat(tracker.onPhase(id("a"), PhaseInfo.notReady("quota"), T0))
        .containsExactly(new Note(id("a"), Noted.START_REFUSED, "quota"));
    assertThat(tracker.attempt(id("a")).orElseThrow().retryAt())
        .isEqualTo(T0.plus(NOT_READY_RETRY));
    assertThat(tracker.onChanged(id("a"))).isEmpty();
    assertThat(tracker.tick(T0.plus(RESYNC))).isEmpty(); // a resync, but nothing to check
    assertThat(tracker.tick(T0.plus(NOT_READY_RETRY).minusMillis(1))).isEmpty();
    assertThat(tracker.tick(T0.plus(NOT_READY_RETRY))).containsExactly(new Start(launch("a"), 0));
  }

  // --- publication

  @Test
  void anOutcomeTheBrokerHasLetsTheBackendForgetTheAttempt() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    tracker.onPhase(id("a"), PhaseInfo.succeeded(T0), T0);

    assertThat(tracker.onPublished(id("a"), true)).containsExactly(new Finish(id("a")));
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void anOutcomeTheBrokerRefusedIsFollowedAgainAndPublishedAgainWithoutASecondStart() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    PhaseInfo success = PhaseInfo.succeeded(T0);
    tracker.onPhase(id("a"), success, T0);

    assertThat(tracker.onPublished(id("a"), false)).containsExactly(new Check(id("a")));
    assertThat(tracker.inFlight()).isEqualTo(1);
    assertThat(tracker.onPhase(id("a"), success, T0.plusSeconds(1)))
        .containsExactly(
            new Note(id("a"), Noted.ENDED, "Succeeded"), new PublishEnded(id("a"), success, T0));
  }

  @Test
  void aRefusalForAnAttemptNeverEndedHereIsIgnored() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);

    assertThat(tracker.onPublished(id("x"), false)).isEmpty();
    assertThat(tracker.inFlight()).isZero();
  }

  // --- changes and time

  @Test
  void aChangeOfAnAttemptHeldIsChecked() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);

    assertThat(tracker.onChanged(id("a"))).containsExactly(new Check(id("a")));
    assertThat(tracker.onChanged(id("x"))).isEmpty();
  }

  @Test
  void everyResyncIntervalEachAttemptIsChecked() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    tracker.onLaunch(launch("b"), 1, T0);
    tracker.onPhase(id("b"), PhaseInfo.running(T0), T0);

    assertThat(tracker.tick(T0)).containsExactly(new Check(id("a")), new Check(id("b")));
    assertThat(tracker.tick(T0.plus(RESYNC).minusMillis(1))).isEmpty();
    assertThat(tracker.tick(T0.plus(RESYNC))).hasSize(2);
    assertThat(tracker.tick(T0.plus(RESYNC).plusSeconds(1))).isEmpty();
  }

  @Test
  void aFullTrackerPausesTheConsumerButPeeksOnceAPeekInterval() {
    AttemptTracker tracker = tracker(2, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);

    assertThat(tracker.flow(T0)).isEqualTo(Flow.OPEN);
    tracker.onLaunch(launch("b"), 0, T0);
    assertThat(tracker.flow(T0)).isEqualTo(Flow.PEEK);
    assertThat(tracker.flow(T0.plus(PEEK).minusMillis(1))).isEqualTo(Flow.FULL);
    assertThat(tracker.flow(T0.plus(PEEK))).isEqualTo(Flow.PEEK);
    assertThat(tracker.flow(T0.plus(PEEK))).isEqualTo(Flow.FULL);

    tracker.onPhase(id("a"), PhaseInfo.succeeded(T0), T0);
    assertThat(tracker.flow(T0.plus(PEEK))).isEqualTo(Flow.OPEN);
  }

  // --- partitions

  @Test
  void aMemberOwnsWhatItWasAssignedUntilItIsRevokedOrANewMemberStarts() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onAssigned(Set.of(0, 2));

    assertThat(tracker.owns(0)).isTrue();
    assertThat(tracker.owns(1)).isFalse();
    assertThat(tracker.owns(-1)).isFalse();
    tracker.onRevoked(Set.of(0));
    assertThat(tracker.owns(0)).isFalse();
    assertThat(tracker.owns(2)).isTrue();
    tracker.onNewMember();
    assertThat(tracker.owns(2)).isFalse();
  }

  @Test
  void anAdoptedAttemptIsAnnouncedCheckedAndItsRunningPublished() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);

    assertThat(tracker.onAdopted(id("left"), 2))
        .containsExactly(
            new Note(id("left"), Noted.ADOPTED, "left by an earlier worker"),
            new Announce(id("left")),
            new Check(id("left")));
    assertThat(tracker.attempt(id("left")).orElseThrow().launch()).isNull();
    assertThat(tracker.onPhase(id("left"), PhaseInfo.running(T0), T0))
        .containsExactly(new PublishStarted(id("left"), T0));
  }

  @Test
  void anAttemptHeldAlreadyIsNotAdoptedAgain() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    tracker.onAdopted(id("b"), 0);

    assertThat(tracker.onAdopted(id("a"), 0)).isEmpty();
    assertThat(tracker.onAdopted(id("b"), 0)).isEmpty();
    assertThat(tracker.attempt(id("a")).orElseThrow().launch()).isEqualTo(launch("a"));
  }

  @Test
  void aRevokedPartitionsAttemptsAreDroppedForTheirNextOwnerToAdopt() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onAssigned(Set.of(0, 1));
    tracker.onLaunch(launch("queued"), 0, T0);
    tracker.onLaunch(launch("running"), 0, T0);
    tracker.onPhase(id("running"), PhaseInfo.running(T0), T0);
    tracker.onAdopted(id("adopted"), 0);
    tracker.onLaunch(launch("elsewhere"), 1, T0);

    List<Action> actions = tracker.onRevoked(Set.of(0));

    assertThat(actions)
        .containsExactly(
            new Note(id("queued"), Noted.HANDED_OVER, "partition 0"),
            new Note(id("running"), Noted.HANDED_OVER, "partition 0"),
            new Note(id("adopted"), Noted.HANDED_OVER, "partition 0"));
    assertThat(tracker.inFlight()).isEqualTo(1);
    assertThat(tracker.attempt(id("elsewhere"))).isPresent();
    assertThat(tracker.onChanged(id("running"))).isEmpty();
    assertThat(tracker.onPhase(id("running"), PhaseInfo.succeeded(T0), T0)).isEmpty();
    assertThat(tracker.onKill(kill("queued"), T0))
        .containsExactly(new Note(id("queued"), Noted.NOT_IN_FLIGHT, "nothing to kill"));
    assertThat(tracker.tick(T0)).containsExactly(new Check(id("elsewhere")));
  }

  @Test
  void anAttemptWhoseStartWasRefusedStaysWithItsPartition() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    tracker.onPhase(id("a"), PhaseInfo.notReady("quota"), T0);

    assertThat(tracker.onRevoked(Set.of(0))).isEmpty(); // no other worker could find it

    assertThat(tracker.tick(T0.plus(NOT_READY_RETRY))).containsExactly(new Start(launch("a"), 0));
  }

  @Test
  void anOutcomeBeingPublishedWhenItsPartitionMovesIsStillFinished() {
    AttemptTracker tracker = tracker(4, Revoked.HAND_OVER);
    tracker.onLaunch(launch("a"), 0, T0);
    tracker.onPhase(id("a"), PhaseInfo.succeeded(T0), T0);

    tracker.onRevoked(Set.of(0));

    assertThat(tracker.onPublished(id("a"), true)).containsExactly(new Finish(id("a")));
  }

  @Test
  void attemptsRunningOnlyHereAreKeptWhenTheirPartitionMoves() {
    AttemptTracker tracker = tracker(4, Revoked.KEEP);
    tracker.onAssigned(Set.of(0));
    tracker.onLaunch(launch("a"), 0, T0);
    tracker.onPhase(id("a"), PhaseInfo.running(T0), T0);

    assertThat(tracker.onRevoked(Set.of(0))).isEmpty();

    assertThat(tracker.owns(0)).isFalse();
    assertThat(tracker.onChanged(id("a"))).containsExactly(new Check(id("a")));
    assertThat(tracker.onPhase(id("a"), PhaseInfo.succeeded(T0), T0))
        .contains(new PublishEnded(id("a"), PhaseInfo.succeeded(T0), T0));
  }

  @ParameterizedTest
  @EnumSource(Revoked.class)
  void killsReadEarlyOnARevokedPartitionAreForgottenForItsNextOwnerToReadAgain(Revoked revoked) {
    AttemptTracker tracker = tracker(1, revoked);
    tracker.onKillAhead(read(0, 4, kill("a")), T0);
    tracker.onKillAhead(read(1, 4, kill("b")), T0);

    tracker.onRevoked(Set.of(0));

    assertThat(tracker.onLaunch(launch("a"), 0, T0)).containsExactly(new Start(launch("a"), 0));
    assertThat(tracker.onLaunch(launch("b"), 1, T0)).noneMatch(Start.class::isInstance);
  }

  private static AttemptTracker tracker(int inFlightLimit, Revoked revoked) {
    return new AttemptTracker(
        new AttemptTracker.Settings(inFlightLimit, NOT_READY_RETRY, RESYNC, PEEK, revoked), T0);
  }

  private static Read read(int partition, long offset, ExecutorCommand command) {
    return Read.of(partition, offset, command);
  }

  private static LaunchTask launch(String run) {
    return new LaunchTask(
        run, "team/a", 1, "t", 1, Launches.script(run, "t", "true").container(), T0);
  }

  private static KillTask kill(String run) {
    return new KillTask(run, "team/a", "t", 1, "stop", T0);
  }

  private static AttemptId id(String run) {
    return new AttemptId(run, "team/a", "t", 1);
  }
}
