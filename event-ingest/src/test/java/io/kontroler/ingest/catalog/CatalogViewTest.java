package io.kontroler.ingest.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.dag.TaskRef;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.Catalog.DagDeleted;
import io.kontroler.core.message.Catalog.DagPublished;
import io.kontroler.core.message.Catalog.DagTaskPublished;
import io.kontroler.core.message.DagParts;
import io.kontroler.core.shape.Shapes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogViewTest {
  private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");
  private final CatalogView view = new CatalogView();

  @Test
  void keepsTheLatestVersionOfADagUntilItIsDeleted() {
    DagSpec v1 = DagSpec.of(List.of(TaskSpec.of("a", "alpine", List.of("true"), List.of())));
    DagSpec v2 = DagSpec.of(List.of(TaskSpec.of("a", "alpine", List.of("false"), List.of())));
    view.apply(new DagPublished("ns/d", 2, v2, AT));
    view.apply(new DagPublished("ns/d", 1, v1, AT));

    assertThat(view.dag("ns/d")).map(DagPublished::version).contains(2);

    view.apply(new DagDeleted("ns/d", AT));
    assertThat(view.dag("ns/d")).isEmpty();
  }

  @Test
  void aSubmissionIsAnsweredByThePublishedRecordThatCarriesItsId() {
    DagSpec spec = DagSpec.of(List.of(TaskSpec.of("a", "alpine", List.of("true"), List.of())));
    var answer = view.expect("sub-1");

    view.apply(new DagPublished("ns/d", 3, spec, AT, "sub-other"));
    assertThat(answer).isNotDone();
    view.apply(new DagPublished("ns/d", 4, spec, AT, "sub-1"));

    assertThat(answer).isCompletedWithValue(new DagPublished("ns/d", 4, spec, AT, "sub-1"));
  }

  @Test
  void aVersionSplitIntoPartsIsAppliedWholeAtItsHeadAndAnswersItsSubmission() {
    DagSpec big = Shapes.layered(40, 100);
    List<Catalog> heard = new ArrayList<>();
    view.addListener(heard::add);
    var answer = view.expect("sub-big");
    List<DagParts.Keyed<Catalog>> records =
        DagParts.publication(new DagPublished("ns/big", 1, big, AT, "sub-big"));
    assertThat(records).hasSizeGreaterThan(2);

    for (int i = 0; i < records.size() - 1; i++) {
      view.apply(records.get(i).message());
    }
    assertThat(view.dag("ns/big")).isEmpty();
    assertThat(heard).isEmpty();
    view.apply(records.get(records.size() - 1).message());

    DagPublished whole = new DagPublished("ns/big", 1, big, AT, "sub-big");
    assertThat(view.dag("ns/big")).contains(whole);
    assertThat(heard).containsExactly(whole);
    assertThat(answer).isCompletedWithValue(whole);
  }

  @Test
  void dagTaskVersionsAndTheDagsThatUseThem() {
    DagTaskSpec body =
        new DagTaskSpec(null, "alpine", List.of("echo"), null, null, null, null, null, null);
    view.apply(new DagTaskPublished("ns", "echo", 1, body));
    TaskSpec ref =
        new TaskSpec(
                "t", null, null, null, null, null, null, null, null, null, new TaskRef("echo", 1))
            .resolvedWith(body);
    view.apply(new DagPublished("ns/user", 1, DagSpec.of(List.of(ref)), AT));

    assertThat(view.versions("ns", "echo")).containsOnlyKeys(1);
    assertThat(view.latestDagTask("ns", "echo")).map(e -> e.getKey()).contains(1);
    assertThat(view.dagsUsing("ns", "echo")).containsExactly("ns/user");
    assertThat(view.dagsUsing("other", "echo")).isEmpty();
  }
}
