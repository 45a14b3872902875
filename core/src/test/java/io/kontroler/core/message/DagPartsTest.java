package io.kontroler.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.Catalog.DagPart;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.Inbound.DagSubmissionPart;
import io.kontroler.core.message.Inbound.DagSubmitted;
import io.kontroler.core.shape.Shapes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DagPartsTest {
  private static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
  private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

  @Test
  void aSmallVersionStaysOneRecord() {
    DagSubmitted submitted = new DagSubmitted("ns/small", Shapes.diamond(), "s1", T0);

    assertThat(DagParts.submission(submitted)).containsExactly(submitted);
    DagPublished published = new DagPublished("ns/small", 1, Shapes.diamond(), T0, "s1");
    assertThat(DagParts.publication(published))
        .containsExactly(new DagParts.Keyed<>("ns/small", published));
  }

  @Test
  void aVersionOverTheDefaultLimitTravelsInPartsThatEachFitItAndJoinToTheSameSpec()
      throws InvalidMessageException {
    DagSpec spec = Shapes.layered(50, 100).withOnExit(List.of(Shapes.task("cleanup", List.of())));
    DagSubmitted whole = new DagSubmitted("ns/big", spec, "s1", T0);
    assertThat(MessageCodec.encode(whole).length).isGreaterThan(DEFAULT_MAX_MESSAGE_BYTES);

    List<Inbound> records = DagParts.submission(whole);

    assertThat(records).hasSizeGreaterThan(2);
    for (Inbound r : records) {
      assertThat(MessageCodec.encode(r).length).isLessThanOrEqualTo(DagParts.MAX_PART_BYTES + 1024);
    }
    DagSubmitted head = (DagSubmitted) records.get(records.size() - 1);
    assertThat(head.partCount()).isEqualTo(records.size() - 1);
    assertThat(head.spec().task()).isEmpty();
    List<DagParts.Slice> slices = new ArrayList<>();
    for (int i = 0; i < head.partCount(); i++) {
      DagSubmissionPart part =
          MessageCodec.decode(MessageCodec.encode(records.get(i)), DagSubmissionPart.class);
      assertThat(part.part()).isEqualTo(i);
      assertThat(part.submissionId()).isEqualTo("s1");
      slices.add(DagParts.Slice.of(part));
    }
    DagSubmitted decodedHead = MessageCodec.decode(MessageCodec.encode(head), DagSubmitted.class);
    assertThat(DagParts.join(decodedHead.spec(), slices)).isEqualTo(spec);
  }

  @Test
  void slicesKeepTheOrderOfTasksAndExitTasksAndRespectTheBound() {
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      tasks.add(Shapes.task("t" + i, i == 0 ? List.of() : List.of("t" + (i - 1))));
    }
    DagSpec spec =
        DagSpec.of(tasks)
            .withOnExit(
                List.of(Shapes.task("exit-a", List.of()), Shapes.task("exit-b", List.of())));

    List<DagParts.Slice> slices = DagParts.slices(spec, 2_000);

    assertThat(slices).hasSizeGreaterThan(3);
    assertThat(DagParts.join(DagParts.headOf(spec), slices)).isEqualTo(spec);
    for (DagParts.Slice s : slices) {
      int bytes = 0;
      for (TaskSpec t : s.task()) {
        bytes += MessageCodec.encodeToString(new DagPart("a/b", 1, 0, List.of(t), null)).length();
      }
      assertThat(s.task().size() + s.onExit().size()).isPositive();
      assertThat(bytes).isLessThan(2_000 + 200 * (s.task().size() + 1));
    }
  }

  @Test
  void aTaskLargerThanTheBoundIsAPartAlone() {
    TaskSpec huge = TaskSpec.of("huge", "busybox", List.of("echo", "x".repeat(5_000)), List.of());
    DagSpec spec =
        DagSpec.of(List.of(Shapes.task("a", List.of()), huge, Shapes.task("b", List.of())));

    List<DagParts.Slice> slices = DagParts.slices(spec, 1_000);

    assertThat(slices).extracting(s -> s.task().size()).containsExactly(1, 1, 1);
    assertThat(slices.get(1).task()).containsExactly(huge);
  }

  @Test
  void partsOfThePublicationAreKeyedPerVersionAndPartitionedByTheirDag() {
    DagSpec spec = Shapes.layered(50, 100);
    DagPublished published = new DagPublished("ns/big", 4, spec, T0, "s1");

    List<DagParts.Keyed<Catalog>> records = DagParts.publication(published);

    DagParts.Keyed<Catalog> head = records.get(records.size() - 1);
    assertThat(head.key()).isEqualTo("ns/big");
    assertThat(((DagPublished) head.message()).partCount()).isEqualTo(records.size() - 1);
    for (int i = 0; i < records.size() - 1; i++) {
      assertThat(records.get(i).key()).isEqualTo("dagpart:ns/big#4#" + i);
      assertThat(DagParts.partitionKey(records.get(i).key())).isEqualTo("ns/big");
      assertThat(MessageCodec.encode(records.get(i).message()).length)
          .isLessThan(DEFAULT_MAX_MESSAGE_BYTES);
    }
    assertThat(DagParts.partitionKey("ns/big")).isEqualTo("ns/big");
    assertThat(DagParts.partitionKey("dagtask:ns/t#2")).isEqualTo("dagtask:ns/t#2");
  }

  @Test
  void anAssemblyJoinsPartsAtTheirHeadAndForgetsPartsOfHeadsThatNeverCame() {
    DagSpec spec = Shapes.layered(50, 100);
    List<DagParts.Keyed<Catalog>> v1 =
        DagParts.publication(new DagPublished("ns/big", 1, spec, T0, "s1"));
    List<DagParts.Keyed<Catalog>> v2 =
        DagParts.publication(new DagPublished("ns/big", 2, spec, T0, "s2"));
    CatalogAssembly assembly = new CatalogAssembly();

    // compaction kept v1's parts but only v2's head
    for (int i = 0; i < v1.size() - 1; i++) {
      assertThat(assembly.accept(decoded(v1.get(i)))).isEmpty();
    }
    List<Catalog> acted = new ArrayList<>();
    for (DagParts.Keyed<Catalog> r : v2) {
      assembly.accept(decoded(r)).ifPresent(acted::add);
    }

    assertThat(acted).containsExactly(new DagPublished("ns/big", 2, spec, T0, "s2"));
    assertThat(assembly.pendingParts()).isZero();
  }

  @Test
  void aHeadWithoutItsPartsIsNotActedOn() {
    List<DagParts.Keyed<Catalog>> records =
        DagParts.publication(new DagPublished("ns/big", 1, Shapes.layered(50, 100), T0));
    CatalogAssembly assembly = new CatalogAssembly();

    assembly.accept(decoded(records.get(0)));

    assertThat(assembly.accept(decoded(records.get(records.size() - 1)))).isEmpty();
    assertThat(assembly.accept(new Catalog.DagDeleted("ns/big", T0)))
        .contains(new Catalog.DagDeleted("ns/big", T0));
  }

  private static Catalog decoded(DagParts.Keyed<Catalog> keyed) {
    try {
      return MessageCodec.decode(MessageCodec.encode(keyed.message()), Catalog.class);
    } catch (InvalidMessageException e) {
      throw new AssertionError(e);
    }
  }
}
