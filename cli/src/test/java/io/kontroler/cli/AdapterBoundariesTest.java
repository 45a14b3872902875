package io.kontroler.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.kontroler.api.boundarysample.ApiCallingTheScheduler;
import io.kontroler.logstore.boundarysample.LogStoreCallingTheApi;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adapters (scheduler, executor, event-ingest, api) never depend on each other; they meet only
 * in core's messages and in this assembly. The log store is the one library two of them share (the
 * executor writes task logs, the api reads them), and it depends on no adapter.
 */
class AdapterBoundariesTest {
  private static final String SCHEDULER = "io.kontroler.scheduler..";
  private static final String EXECUTOR = "io.kontroler.executor..";
  private static final String INGEST = "io.kontroler.ingest..";
  private static final String API = "io.kontroler.api..";
  private static final String LOGSTORE = "io.kontroler.logstore..";

  /** Each module's package and the packages of the others it must never use. */
  private static final Map<String, List<String>> FORBIDDEN =
      Map.of(
          SCHEDULER, List.of(EXECUTOR, INGEST, API, LOGSTORE),
          EXECUTOR, List.of(SCHEDULER, INGEST, API),
          INGEST, List.of(SCHEDULER, EXECUTOR, API, LOGSTORE),
          API, List.of(SCHEDULER, EXECUTOR, INGEST),
          LOGSTORE, List.of(SCHEDULER, EXECUTOR, INGEST, API));

  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.kontroler");

  static Stream<ArchRule> rules() {
    return FORBIDDEN.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(
            e ->
                noClasses()
                    .that()
                    .resideInAPackage(e.getKey())
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(e.getValue().toArray(String[]::new)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void noAdapterDependsOnAnother(ArchRule rule) {
    rule.check(PRODUCTION);
  }

  @Test
  void theRulesSeeEveryModule() {
    for (String module : FORBIDDEN.keySet()) {
      String prefix = module.substring(0, module.length() - 2) + ".";
      assertThat(PRODUCTION.stream().anyMatch(c -> c.getName().startsWith(prefix)))
          .as(module)
          .isTrue();
    }
  }

  @Test
  void theRulesFailOnAClassThatCrossesABoundary() {
    JavaClasses samples =
        new ClassFileImporter()
            .importClasses(ApiCallingTheScheduler.class, LogStoreCallingTheApi.class);

    assertThat(rules().filter(rule -> rule.allowEmptyShould(true).evaluate(samples).hasViolation()))
        .map(ArchRule::getDescription)
        .hasSize(2)
        .anyMatch(d -> d.startsWith("no classes that reside in a package 'io.kontroler.api..'"))
        .anyMatch(
            d -> d.startsWith("no classes that reside in a package 'io.kontroler.logstore..'"));
  }
}
