package io.kontroler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.cli.bench.BenchOptions;
import io.kontroler.cli.bench.BenchSizes;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How {@code kontroler bench}'s flags become the bench's options. */
class BenchCommandTest {

  private static BenchCommand parse(String... args) {
    BenchCommand command = new BenchCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void defaultsToThePublishedSizesAndLoad() {
    BenchOptions o = parse().options();
    assertThat(o.repetitions()).isEqualTo(3);
    assertThat(o.partitions()).isEqualTo(6);
    assertThat(o.processingGuarantee()).isEqualTo("exactly_once_v2");
    assertThat(o.sizes()).isEqualTo(BenchSizes.STANDARD);
    assertThat(o.rate()).isEqualTo(300);
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.xlargeHeap()).isEqualTo("512m");
    assertThat(o.schedulerOverrides()).isEmpty();
    assertThat(o.brokerOverrides()).isEmpty();
  }

  @Test
  void takesWorkloadsAndTheirFlags() {
    BenchCommand c =
        parse(
            "--json",
            "--rate",
            "150",
            "--duration",
            "10",
            "--repeats",
            "5",
            "--partitions",
            "3",
            "--guarantee",
            "at_least_once",
            "--tiny",
            "--set",
            "scheduler.poll.ms=5",
            "--set",
            "streams.producer.retry.backoff.ms=1",
            "--broker",
            "feature.transaction.version=1",
            "chain",
            "sustained");
    BenchOptions o = c.options();
    assertThat(c.json).isTrue();
    assertThat(c.workloads).containsExactly("chain", "sustained");
    assertThat(o.rate()).isEqualTo(150);
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.repetitions()).isEqualTo(5);
    assertThat(o.partitions()).isEqualTo(3);
    assertThat(o.processingGuarantee()).isEqualTo("at_least_once");
    assertThat(o.sizes()).isEqualTo(BenchSizes.TINY);
    assertThat(o.schedulerOverrides())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("scheduler.poll.ms", "5", "streams.producer.retry.backoff.ms", "1"));
    assertThat(o.brokerOverrides()).containsExactly(Map.entry("feature.transaction.version", "1"));
  }
}
