package io.kontroler.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.parse.DocumentParser;
import java.io.File;
import java.io.FileReader;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each rule of {@link ArchitectureTest} fails on a sample class that breaks it. */
class ArchitectureRulesTest {

  static Stream<Arguments> brokenRules() {
    return Stream.of(
        Arguments.of(ArchitectureTest.noFileOrNetworkIo, ReadsAFile.class),
        Arguments.of(ArchitectureTest.noFileOrNetworkIo, OpensAFileReader.class),
        Arguments.of(ArchitectureTest.noFileOrNetworkIo, ListsADirectory.class),
        Arguments.of(ArchitectureTest.noFileOrNetworkIo, OpensASocket.class),
        Arguments.of(ArchitectureTest.noClock, CallsInstantNow.class),
        Arguments.of(ArchitectureTest.noClock, CallsCurrentTimeMillis.class),
        Arguments.of(ArchitectureTest.noClock, UsesTheSystemClock.class),
        Arguments.of(ArchitectureTest.noRandomness, UsesThreadLocalRandom.class),
        Arguments.of(ArchitectureTest.noRandomness, UsesRandom.class),
        Arguments.of(ArchitectureTest.noRandomness, DrawsARandomUuid.class),
        Arguments.of(ArchitectureTest.noEnvironment, ReadsTheEnvironment.class),
        Arguments.of(ArchitectureTest.jacksonOnlyInParseAndMessage, UsesJackson.class),
        Arguments.of(ArchitectureTest.noAdapterLibraries, Logs.class));
  }

  @ParameterizedTest(name = "{0} catches {1}")
  @MethodSource("brokenRules")
  void eachRuleFailsOnAClassThatBreaksIt(ArchRule rule, Class<?> sample) {
    JavaClasses classes = new ClassFileImporter().importClasses(sample);

    assertThat(rule.evaluate(classes).hasViolation()).isTrue();
  }

  @Test
  void theRulesPassClassesThatKeepThem() {
    JavaClasses classes =
        new ClassFileImporter().importClasses(DocumentParser.class, MessageCodec.class, Pure.class);

    for (ArchRule rule :
        new ArchRule[] {
          ArchitectureTest.noAdapterLibraries,
          ArchitectureTest.noFileOrNetworkIo,
          ArchitectureTest.noClock,
          ArchitectureTest.noRandomness,
          ArchitectureTest.noEnvironment,
          ArchitectureTest.jacksonOnlyInParseAndMessage
        }) {
      assertThat(rule.evaluate(classes).hasViolation()).as(rule.getDescription()).isFalse();
    }
  }

  static final class Pure {
    Instant later(Instant at) {
      return at.plusSeconds(1);
    }
  }

  static final class ReadsAFile {
    String read() throws IOException {
      return Files.readString(Path.of("x"));
    }
  }

  static final class OpensAFileReader {
    Object open() throws IOException {
      return new FileReader(new File("x"));
    }
  }

  static final class ListsADirectory {
    boolean exists() {
      return new File("x").exists();
    }
  }

  static final class OpensASocket {
    Object open() throws IOException {
      return new Socket("localhost", 1);
    }
  }

  static final class CallsInstantNow {
    Instant now() {
      return Instant.now();
    }
  }

  static final class CallsCurrentTimeMillis {
    long now() {
      return System.currentTimeMillis();
    }
  }

  static final class UsesTheSystemClock {
    Object clock() {
      return Clock.systemUTC();
    }
  }

  static final class UsesThreadLocalRandom {
    int draw() {
      return ThreadLocalRandom.current().nextInt();
    }
  }

  static final class UsesRandom {
    int draw() {
      return new Random(1).nextInt();
    }
  }

  static final class DrawsARandomUuid {
    Object draw() {
      return UUID.randomUUID();
    }
  }

  static final class ReadsTheEnvironment {
    String home() {
      return System.getenv("HOME");
    }
  }

  static final class UsesJackson {
    Object mapper() {
      return new ObjectMapper();
    }
  }

  static final class Logs {
    void log() {
      org.slf4j.LoggerFactory.getLogger(Logs.class).info("x");
    }
  }
}
