package io.kontroler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StandaloneCommandTest {
  @Test
  void kafkaListensOnKafkasOwnDefaultPortUnlessToldOtherwise() {
    StandaloneCommand command = new StandaloneCommand();
    new CommandLine(command).parseArgs();

    assertThat(command.kafkaPort).isEqualTo(9092);
  }

  @Test
  void kafkaPortZeroAsksForAFreePort() {
    StandaloneCommand command = new StandaloneCommand();
    new CommandLine(command).parseArgs("--kafka-port", "0");

    assertThat(command.kafkaPort).isZero();
  }

  @Test
  void helpNamesTheKafkaPortAndItsDefault() {
    StringWriter out = new StringWriter();

    int exit =
        Main.run(
            new PrintWriter(out, true),
            new PrintWriter(new StringWriter()),
            "standalone",
            "--help");

    assertThat(exit).isZero();
    assertThat(out.toString().replaceAll("\\s+", " "))
        .contains("--kafka-port")
        .contains("9092")
        .contains("0 picks a free one");
  }
}
