package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.Catalog.DagTaskPublished;
import io.kontroler.core.message.Inbound.DagTaskSubmitted;
import io.kontroler.core.run.RunCommand.LaunchTask;
import io.kontroler.core.shape.Shapes;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The partition that owns a DAG or a DagTask numbers its versions, and says so on the catalog. */
class CatalogSubmissionsTest {
  private static final String DAG = "team-a/etl";
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
    assertThat(h.<DagSpec>stored(RunStores.VERSIONS, VersionKeys.of(DAG, 2)))
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
      assertThat(h.<DagSpec>stored(RunStores.VERSIONS, VersionKeys.of(DAG, v)))
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
  void aVersionWhoseRecordWouldExceedTheSizePolicyIsADeadLetterAndChangesNothing() {
    h.submit(DAG, Shapes.chain(2), "s1");
    h.catalog();

    h.submit(DAG, Shapes.chain(3500), "huge");

    assertThat(h.catalog()).isEmpty();
    assertThat(h.deadLetters())
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.reason())
                    .startsWith(
                        "Expected a version record of at most topics.max.message.bytes = 1048576"
                            + " bytes, but DAG team-a/etl would be "));
    assertThat(h.<DagHead>stored(RunStores.HEADS, DAG)).isEqualTo(new DagHead(1, false));
    assertThat(h.<DagSpec>stored(RunStores.VERSIONS, VersionKeys.of(DAG, 2))).isNull();
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
