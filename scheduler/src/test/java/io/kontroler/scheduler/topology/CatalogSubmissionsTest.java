package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Catalog.DagPart;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.Catalog.DagTaskPublished;
import io.kontroler.core.message.DagParts;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.message.Inbound.DagSubmitted;
import io.kontroler.core.message.Inbound.DagTaskSubmitted;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.shape.Shapes;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The partition that owns a DAG or a DagTask numbers its versions, and says so on the catalog. */
class CatalogSubmissionsTest {
  private static final String DAG = "team-a/etl";
  private static final int MAX_MESSAGE_BYTES = 1 << 20;
  private final TopologyHarness h = new TopologyHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void theFirstSubmissionIsVersionOnePublishedWithItsSubmissionId() {
    h.submit(DAG, Shapes.chain(2), "s1");

    assertThat(h.catalog())
        .containsExactly(
            KeyValue.pair(
                DAG, new DagPublished(DAG, 1, Shapes.chain(2), TopologyHarness.T0, "s1")));
    assertThat(h.<DagHead>stored(RunStores.HEADS, DAG)).isEqualTo(new DagHead(1, false));
    h.request(DAG, "k1");
    assertThat(h.launches()).extracting(LaunchTask::dagVersion).containsExactly(1);
  }

  @Test
  void aChangedSpecIsTheNextVersionAndAnUnchangedOneTheSameVersionWhateverSuspendedSays() {
    h.submit(DAG, Shapes.chain(2), "s1");
    h.submit(DAG, Shapes.chain(3), "s2");
    h.submit(DAG, Shapes.chain(3).withSuspended(true), "s3");
    h.submit(DAG, Shapes.chain(3).withSuspended(true), "s4");
    h.submit(DAG, Shapes.chain(2), "s5");

    assertThat(published())
        .containsExactly("s1=1:false", "s2=2:false", "s3=2:true", "s4=2:true", "s5=3:false");
    assertThat(h.<DagPublished>stored(RunStores.VERSIONS, VersionKeys.of(DAG, 2)).spec())
        .isEqualTo(Shapes.chain(3).withSuspended(true));
    assertThat(h.<DagHead>stored(RunStores.HEADS, DAG)).isEqualTo(new DagHead(3, false));
  }

  @Test
  void numberingCarriesOnAfterTheDagWasDeleted() {
    h.submit(DAG, Shapes.chain(2), "s1");
    h.submit(DAG, Shapes.chain(3), "s2");
    h.delete(DAG);
    h.request(DAG, "while-deleted");
    assertThat(h.deadLetters()).hasSize(1);

    h.submit(DAG, Shapes.chain(4), "s3");

    assertThat(published()).containsExactly("s1=1:false", "s2=2:false", "s3=3:false");
    h.request(DAG, "k1");
    assertThat(h.launches()).extracting(LaunchTask::dagVersion).containsExactly(3);
  }

  @Test
  void theSameSpecAsTheDeletedVersionBringsThatVersionBack() {
    h.submit(DAG, Shapes.chain(2), "s1");
    h.delete(DAG);

    h.submit(DAG, Shapes.chain(2), "s2");

    assertThat(published()).containsExactly("s1=1:false", "s2=1:false");
    assertThat(h.<DagHead>stored(RunStores.HEADS, DAG)).isEqualTo(new DagHead(1, false));
  }

  @Test
  void versionsPublishedBeforeTheSchedulerNumberedThemAreCountedOn() {
    h.publish(DAG, 4, Shapes.chain(2));

    h.submit(DAG, Shapes.chain(2), "same");
    h.submit(DAG, Shapes.chain(5), "changed");

    assertThat(published()).containsExactly("same=4:false", "changed=5:false");
  }

  @Test
  void readingItsOwnRecordsBackLeavesTheLatestVersionInPlace() {
    h.submit(DAG, Shapes.chain(2), "s1");
    h.submit(DAG, Shapes.chain(3), "s2");
    h.submit(DAG, Shapes.chain(4), "s3");

    // the driver has piped every published record back through the catalog source by now
    assertThat(h.<DagHead>stored(RunStores.HEADS, DAG)).isEqualTo(new DagHead(3, false));
    for (int v = 1; v <= 3; v++) {
      assertThat(h.<DagPublished>stored(RunStores.VERSIONS, VersionKeys.of(DAG, v)).spec())
          .isEqualTo(Shapes.chain(v + 1));
    }
    assertThat(h.deadLetters()).isEmpty();
  }

  @Test
  void dagTaskVersionsAreNumberedByTheOwnerOfTheirKeyAndPublishedKeyedPerVersion() {
    String key = DagTaskSubmitted.key("team-a", "extract");
    DagTaskSpec one = dagTask("echo 1");
    DagTaskSpec two = dagTask("echo 2");

    h.command(key, new DagTaskSubmitted(key, "team-a", "extract", one, "t1", TopologyHarness.T0));
    h.command(key, new DagTaskSubmitted(key, "team-a", "extract", two, "t2", TopologyHarness.T0));
    h.command(key, new DagTaskSubmitted(key, "team-a", "extract", two, "t3", TopologyHarness.T0));

    assertThat(h.catalog())
        .containsExactly(
            KeyValue.pair(
                "dagtask:team-a/extract#1",
                new DagTaskPublished("team-a", "extract", 1, one, "t1")),
            KeyValue.pair(
                "dagtask:team-a/extract#2",
                new DagTaskPublished("team-a", "extract", 2, two, "t2")),
            KeyValue.pair(
                "dagtask:team-a/extract#2",
                new DagTaskPublished("team-a", "extract", 2, two, "t3")));
    assertThat(h.<DagTaskHead>stored(RunStores.DAGTASK_HEADS, key))
        .isEqualTo(new DagTaskHead(2, two));
  }

  @Test
  void aDagTaskSubmissionKeyedByAnythingButItsNameIsADeadLetter() {
    String wrong = "dagtask:team-a/other";
    h.command(
        wrong,
        new DagTaskSubmitted(
            wrong, "team-a", "extract", dagTask("echo"), "t1", TopologyHarness.T0));

    assertThat(h.catalog()).isEmpty();
    assertThat(h.deadLetters())
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).contains("dagtask:<namespace>/<name>"));
  }

  @Test
  void aVersionOverTheSizePolicyIsPublishedAsPartsThenItsHeadEachWithinTheLimit() {
    DagSpec big = Shapes.chain(3500);
    assertThat(MessageCodec.encode(new DagPublished(DAG, 1, big, TopologyHarness.T0)).length)
        .isGreaterThan(MAX_MESSAGE_BYTES);

    h.submit(DAG, big, "huge");

    List<KeyValue<String, Catalog>> catalog = h.catalog();
    assertThat(catalog).hasSizeGreaterThan(2);
    KeyValue<String, Catalog> head = catalog.get(catalog.size() - 1);
    assertThat(head.key).isEqualTo(DAG);
    DagPublished published = (DagPublished) head.value;
    assertThat(published.partCount()).isEqualTo(catalog.size() - 1);
    assertThat(published.spec().task()).isEmpty();
    List<DagParts.Slice> slices = new ArrayList<>();
    for (int i = 0; i < published.partCount(); i++) {
      assertThat(catalog.get(i).key).isEqualTo(DagPart.key(DAG, 1, i));
      assertThat(MessageCodec.encode(catalog.get(i).value).length).isLessThan(MAX_MESSAGE_BYTES);
      slices.add(DagParts.Slice.of((DagPart) catalog.get(i).value));
    }
    assertThat(DagParts.join(published.spec(), slices)).isEqualTo(big);
    assertThat(h.deadLetters()).isEmpty();
    h.request(DAG, "k1");
    assertThat(h.launches()).extracting(LaunchTask::task).containsExactly("t0");
  }

  @Test
  void aSubmissionSentInPartsIsNumberedAsOneSpecWhicheverWayItCame() {
    DagSpec big = Shapes.layered(40, 100);
    submitInParts(big, "parts-1");
    h.submit(DAG, big, "whole");
    submitInParts(big, "parts-2");
    submitInParts(Shapes.layered(41, 100), "changed");

    assertThat(published())
        .containsExactly("parts-1=1:false", "whole=1:false", "parts-2=1:false", "changed=2:false");
    assertThat(h.deadLetters()).isEmpty();
    assertThat(
            h.driver
                .getKeyValueStore(RunStores.VERSIONS)
                .get(DagVersions.pendingKey(DAG, "parts-1", 0)))
        .as("a submission's parts are let go once its head is published")
        .isNull();
    h.request(DAG, "k1");
    assertThat(h.launches()).hasSize(100).allSatisfy(l -> assertThat(l.dagVersion()).isEqualTo(2));
  }

  @Test
  void aHeadWhosePartsAreMissingIsADeadLetterAndChangesNothing() {
    List<Inbound> records =
        DagParts.submission(
            new DagSubmitted(DAG, Shapes.layered(40, 100), "partial", TopologyHarness.T0));
    h.command(DAG, records.get(0));
    h.command(DAG, records.get(records.size() - 1));

    assertThat(h.catalog()).isEmpty();
    assertThat(h.deadLetters())
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).contains("part 1 is missing"));
    assertThat(h.<DagHead>stored(RunStores.HEADS, DAG)).isNull();
    assertThat(
            h.driver
                .getKeyValueStore(RunStores.VERSIONS)
                .get(DagVersions.pendingKey(DAG, "partial", 0)))
        .as("the parts that came are let go with the refused head")
        .isNull();
  }

  @Test
  void aVersionWithATaskLargerThanTheSizePolicyIsADeadLetterAndGetsNoHead() {
    h.submit(DAG, Shapes.chain(2), "s1");
    h.catalog();
    List<TaskSpec> tasks = new ArrayList<>(Shapes.chain(3).task());
    tasks.add(TaskSpec.of("huge", "busybox", List.of("echo", "x".repeat(1_100_000)), List.of()));

    h.submit(DAG, DagSpec.of(tasks), "huge");

    assertThat(h.catalog()).noneMatch(kv -> kv.value instanceof DagPublished);
    assertThat(h.deadLetters())
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.reason())
                    .startsWith(
                        "Expected a version record of at most topics.max.message.bytes = 1048576"
                            + " bytes, but part 1 of DAG team-a/etl would be "));
    assertThat(h.<DagHead>stored(RunStores.HEADS, DAG)).isEqualTo(new DagHead(1, false));
    assertThat(h.<DagPublished>stored(RunStores.VERSIONS, VersionKeys.of(DAG, 2))).isNull();
  }

  private void submitInParts(DagSpec spec, String id) {
    for (Inbound r : DagParts.submission(new DagSubmitted(DAG, spec, id, TopologyHarness.T0))) {
      h.command(DAG, r);
    }
  }

  private static DagTaskSpec dagTask(String script) {
    return new DagTaskSpec(
        null, "alpine:3.20", List.of("sh", "-c"), List.of(script), null, null, null, null, null);
  }

  /** What the catalog said since the last call, as {@code submissionId=version:suspended}. */
  private List<String> published() {
    return h.catalog().stream()
        .map(kv -> kv.value)
        .filter(DagPublished.class::isInstance)
        .map(DagPublished.class::cast)
        .peek(p -> assertThat(p.dag()).isEqualTo(DAG))
        .map(p -> p.submissionId() + "=" + p.version() + ":" + p.spec().suspended())
        .toList();
  }
}
