package io.kontroler.testkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class KafkaChoiceTest {
  private final AtomicInteger dockerAsked = new AtomicInteger();

  private BooleanSupplier docker(boolean answers) {
    return () -> {
      dockerAsked.incrementAndGet();
      return answers;
    };
  }

  @Test
  void aDockerEngineThatAnswersGetsTheOfficialImage() {
    assertThat(KafkaChoice.decide(Map.of(), docker(true))).isEqualTo(KafkaChoice.TESTCONTAINERS);
  }

  @Test
  void noDockerEngineGetsTheInProcessBroker() {
    assertThat(KafkaChoice.decide(Map.of(), docker(false))).isEqualTo(KafkaChoice.IN_PROCESS);
  }

  @Test
  void theVariableAsksForTestcontainersWithoutAskingDocker() {
    KafkaChoice choice =
        KafkaChoice.decide(Map.of("KONTROLER_TEST_KAFKA", "testcontainers"), docker(false));

    assertThat(choice).isEqualTo(KafkaChoice.TESTCONTAINERS);
    assertThat(dockerAsked).hasValue(0);
  }

  @Test
  void theVariableKeepsTheInProcessBrokerEvenWhereDockerAnswers() {
    KafkaChoice choice =
        KafkaChoice.decide(Map.of("KONTROLER_TEST_KAFKA", " In-Process "), docker(true));

    assertThat(choice).isEqualTo(KafkaChoice.IN_PROCESS);
    assertThat(dockerAsked).hasValue(0);
  }

  @Test
  void anEmptyVariableLeavesTheChoiceToDocker() {
    assertThat(KafkaChoice.decide(Map.of("KONTROLER_TEST_KAFKA", ""), docker(true)))
        .isEqualTo(KafkaChoice.TESTCONTAINERS);
  }

  @Test
  void anUnknownValueIsAnErrorThatNamesTheVariable() {
    assertThatThrownBy(
            () -> KafkaChoice.decide(Map.of("KONTROLER_TEST_KAFKA", "zookeeper"), docker(true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KONTROLER_TEST_KAFKA")
        .hasMessageContaining("'zookeeper'");
  }

  @Test
  void brokerPropertiesBecomeTheImagesEnvironmentVariables() {
    assertThat(TestKafka.environmentName("num.partitions")).isEqualTo("KAFKA_NUM_PARTITIONS");
    assertThat(
            TestKafka.environmentName(
                "transaction.abort.timed.out.transaction.cleanup.interval.ms"))
        .isEqualTo("KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS");
    assertThat(TestKafka.environmentName("listener.name.x_y-z"))
        .isEqualTo("KAFKA_LISTENER_NAME_X__Y___Z");
  }

  @Test
  void theImageIsTheClientsKafkaVersion() {
    assertThat(TestKafka.image()).matches("apache/kafka:\\d+\\.\\d+\\.\\d+");
  }
}
