package io.kontroler.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The core decides; it never does IO, reads a clock, draws random numbers or logs. */
@AnalyzeClasses(
    packages = "io.kontroler.core",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
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
              "java.net.http..",
              "java.io.File*",
              "java.nio.file..");

  @ArchTest
  static final ArchRule noClockOrRandomness =
      noClasses()
          .should()
          .callMethod(java.time.Instant.class, "now")
          .orShould()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(System.class, "nanoTime")
          .orShould()
          .callMethod(java.util.UUID.class, "randomUUID")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.util.Random")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.security.SecureRandom")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.time.Clock");
}
