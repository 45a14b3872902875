package io.kontroler.ingest.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.dag.TaskSpec;
import io.kontroler.core.message.Inbound.DagSubmitted;
import io.kontroler.core.message.Inbound.DagTaskSubmitted;
import io.kontroler.ingest.InMemoryOutbox;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Submissions answered by a stand-in of the scheduler, which alone numbers versions. */
class SubmitterTest {
  private static final DagSpec V1 =
      DagSpec.of(List.of(TaskSpec.of("a", "alpine", List.of("true"), List.of())));
  private static final DagSpec V2 =
      DagSpec.of(List.of(TaskSpec.of("a", "alpine", List.of("false"), List.of())));

  private final CatalogView catalog = new CatalogView();
  private final InMemoryOutbox outbox = new InMemoryOutbox(catalog);
  private final Submitter submitter = new Submitter(outbox, catalog, Clock.systemUTC());

  @Test
  void theVersionIsTheOneTheSchedulerAnswersWith() {
    assertThat(submitter.dag("ns/d", V1)).isEqualTo(1);
    assertThat(submitter.dag("ns/d", V2)).isEqualTo(2);
    assertThat(submitter.dag("ns/d", V2.withSuspended(true))).isEqualTo(2);

    assertThat(outbox.commands(DagSubmitted.class))
        .extracting(DagSubmitted::dag)
        .containsExactly("ns/d", "ns/d", "ns/d");
    assertThat(outbox.commands(DagSubmitted.class))
        .extracting(DagSubmitted::submissionId)
        .doesNotHaveDuplicates();
  }

  @Test
  void aSpecEqualToTheLatestVersionIsNotSubmittedAgain() {
    submitter.dag("ns/d", V1);

    assertThat(submitter.dag("ns/d", V1)).isEqualTo(1);

    assertThat(outbox.commands(DagSubmitted.class)).hasSize(1);
  }

  @Test
  void aDagTaskIsSubmittedUnderItsRoutingKey() {
    DagTaskSpec body =
        new DagTaskSpec(null, "alpine", List.of("echo"), null, null, null, null, null, null);

    assertThat(submitter.dagTask("ns", "echo", body)).isEqualTo(1);
    assertThat(submitter.dagTask("ns", "echo", body)).isEqualTo(1);

    assertThat(outbox.commands(DagTaskSubmitted.class))
        .singleElement()
        .extracting(DagTaskSubmitted::dag)
        .isEqualTo("dagtask:ns/echo");
  }

  @Test
  void noAnswerWithinTheTimeoutIsAClearError() {
    InMemoryOutbox unanswered = new InMemoryOutbox();
    Submitter waiting =
        new Submitter(unanswered, catalog, Clock.systemUTC(), Duration.ofMillis(50));

    assertThatThrownBy(() -> waiting.dag("ns/d", V1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Expected the scheduler to publish DAG ns/d")
        .hasMessageContaining("is a scheduler running?");
  }
}
