package io.kontroler.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.kontroler.broker.KafkaSettings;
import io.kontroler.cli.bench.Bench;
import io.kontroler.embedded.EmbeddedKafka;
import io.kontroler.sample.ComponentStartingABroker;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-process broker is for the cli (standalone, the bench) and tests: no server component's
 * production code may use it, so none of them ships the Kafka server. The cli's class path holds
 * every module, so the rule sees the production classes of all of them.
 */
class EmbeddedBrokerArchitectureTest {

  static final ArchRule ONLY_CLI_SEES_THE_EMBEDDED_BROKER =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.kontroler.cli..", "io.kontroler.embedded..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.kontroler.embedded..")
          .because("the in-process broker is for the cli and tests only");

  /** Leaves out test classes, also those another module ships in a {@code -tests.jar}. */
  static final ImportOption NO_TEST_JARS = location -> !location.contains("-tests.jar");

  @Test
  void onlyTheCliUsesTheEmbeddedBrokerInProductionCode() {
    JavaClasses production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(NO_TEST_JARS)
            .importPackages("io.kontroler");
    assertThat(
            List.of(
                "io.kontroler.broker",
                "io.kontroler.scheduler",
                "io.kontroler.executor",
                "io.kontroler.ingest",
                "io.kontroler.api",
                "io.kontroler.cli"))
        .allMatch(production::containPackage);

    ONLY_CLI_SEES_THE_EMBEDDED_BROKER.check(production);
  }

  @Test
  void theRuleRejectsAComponentThatStartsTheEmbeddedBroker() {
    JavaClasses classes =
        new ClassFileImporter().importClasses(ComponentStartingABroker.class, EmbeddedKafka.class);

    assertThatThrownBy(() -> ONLY_CLI_SEES_THE_EMBEDDED_BROKER.check(classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(ComponentStartingABroker.class.getName())
        .hasMessageContaining(EmbeddedKafka.class.getName());
  }

  @Test
  void theRuleLetsTheCliStartTheEmbeddedBroker() {
    JavaClasses classes =
        new ClassFileImporter()
            .importClasses(Bench.class, EmbeddedKafka.class, KafkaSettings.class);

    assertThatCode(() -> ONLY_CLI_SEES_THE_EMBEDDED_BROKER.check(classes))
        .doesNotThrowAnyException();
  }
}
