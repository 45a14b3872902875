package io.kontroler.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

  @Test
  void readsPrefixedKeysAndBootstrapFromFlatConfig() {
    KafkaSettings settings =
        KafkaSettings.fromFlat(
            Map.of(
                "kafka.bootstrap.servers", "k1:9092,k2:9092",
                "kafka.security.protocol", "SASL_SSL",
                "port", "8080"),
            "localhost:9092");

    assertThat(settings.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
    assertThat(settings.properties()).containsExactly(Map.entry("security.protocol", "SASL_SSL"));
    assertThat(settings.clientProperties())
        .containsEntry("bootstrap.servers", "k1:9092,k2:9092")
        .containsEntry("security.protocol", "SASL_SSL");
  }

  @Test
  void usesTheDefaultBootstrapWhenNoneIsConfigured() {
    assertThat(KafkaSettings.fromFlat(Map.of(), "localhost:9092").bootstrapServers())
        .isEqualTo("localhost:9092");
  }

  @Test
  void masksSecretsWhenPrinted() {
    KafkaSettings settings =
        KafkaSettings.of("k:9092")
            .with("sasl.jaas.config", "PlainLoginModule username=u password=p")
            .with("ssl.truststore.password", "changeit")
            .with("acks", "all");

    assertThat(settings.toString())
        .doesNotContain("changeit")
        .doesNotContain("password=p")
        .contains("acks=all");
  }

  @Test
  void rejectsMissingBootstrapServers() {
    assertThatThrownBy(() -> KafkaSettings.of(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bootstrap");
  }
}
