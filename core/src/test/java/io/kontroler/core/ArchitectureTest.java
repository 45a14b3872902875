package io.kontroler.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The core decides; it never does IO, reads a clock or the environment, draws random numbers or
 * logs; only its parsing and message packages know Jackson. {@link ArchitectureRulesTest} shows
 * that each rule catches a class that breaks it.
 *
 * <p>The rules are checked from plain JUnit tests: Surefire 3.5.3 silently skips ArchUnit's
 * {@code @ArchTest} fields, so rules declared that way never ran.
 */
class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.kontroler.core");

  static Stream<ArchRule> rules() {
    return Stream.of(
        noAdapterLibraries,
        noFileOrNetworkIo,
        noClock,
        noRandomness,
        noEnvironment,
        jacksonOnlyInParseAndMessage);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void coreKeepsTheRule(ArchRule rule) {
    rule.check(CORE);
  }

  @Test
  void theRulesSeeTheCore() {
    assertThat(CORE.contain("io.kontroler.core.run.RunStep")).isTrue();
    assertThat(CORE.contain("io.kontroler.core.ArchitectureRulesTest")).isFalse();
  }

  static final ArchRule noAdapterLibraries =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.kafka..",
              "io.fabric8..",
              "io.javalin..",
              "java.sql..",
              "javax.sql..",
              "org.slf4j..",
              "java.util.logging..",
              "org.quartz..",
              "software.amazon..",
              "java.net.http..")
          .as("core uses no adapter library");

  static final ArchRule noFileOrNetworkIo =
      noClasses()
          .should()
          .dependOnClassesThat(
              DescribedPredicate.describe(
                  "do file or network IO",
                  (JavaClass c) ->
                      c.getPackageName().startsWith("java.nio.file")
                          || c.getPackageName().startsWith("java.nio.channels")
                          || (c.getPackageName().equals("java.io")
                              && (c.getSimpleName().startsWith("File")
                                  || c.getSimpleName().equals("RandomAccessFile")))
                          || (c.getPackageName().equals("java.net")
                              && !Set.of("URI", "URISyntaxException").contains(c.getSimpleName()))))
          .as("core does no file or network IO");

  static final ArchRule noClock =
      noClasses()
          .should()
          .callMethodWhere(
              calls(
                  "read the clock",
                  call ->
                      (call.getName().equals("now")
                              && call.getTargetOwner().getPackageName().equals("java.time"))
                          || call.getTargetOwner().isEquivalentTo(System.class)
                              && Set.of("currentTimeMillis", "nanoTime").contains(call.getName())))
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.time.Clock")
          .as("core reads no clock: time comes from the event");

  static final ArchRule noRandomness =
      noClasses()
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.util.Random")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.util.SplittableRandom")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.security.SecureRandom")
          .orShould()
          .callMethodWhere(
              calls(
                  "draw random numbers",
                  call ->
                      call.getTargetOwner().isEquivalentTo(java.util.UUID.class)
                              && call.getName().equals("randomUUID")
                          || call.getTargetOwner().isEquivalentTo(Math.class)
                              && call.getName().equals("random")))
          .as("core draws no random numbers");

  static final ArchRule noEnvironment =
      noClasses()
          .should()
          .callMethodWhere(
              calls(
                  "read the environment",
                  call ->
                      call.getTargetOwner().isEquivalentTo(System.class)
                          && Set.of("getenv", "getProperty", "getProperties")
                              .contains(call.getName())))
          .as("core reads no environment variable or system property");

  static final ArchRule jacksonOnlyInParseAndMessage =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.kontroler.core.parse..", "io.kontroler.core.message..")
          .should()
          .dependOnClassesThat(
              JavaClass.Predicates.resideInAPackage("com.fasterxml.jackson..")
                  .and(
                      DescribedPredicate.not(
                          JavaClass.Predicates.resideInAPackage(
                              "com.fasterxml.jackson.annotation.."))))
          .as(
              "only core.parse and core.message use Jackson; records may carry its annotations"
                  + " (what to leave out of a message)");

  private static DescribedPredicate<JavaCall<?>> calls(
      String description, java.util.function.Predicate<JavaCall<?>> test) {
    return DescribedPredicate.describe(description, test);
  }
}
