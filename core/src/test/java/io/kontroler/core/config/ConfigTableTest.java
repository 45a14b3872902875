package io.kontroler.core.config;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.DURATION;
import static io.kontroler.core.config.ValueType.INT;
import static io.kontroler.core.config.ValueType.LIST;
import static io.kontroler.core.config.ValueType.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTableTest {
  record Sample(
      int port, Duration ttl, String password, List<String> hosts, Map<String, String> p) {}

  static final ConfigKey<Sample, Integer> PORT =
      key("s.port", INT.between(0, 65535), "8080").readFrom(Sample::port).doc("Port.");
  static final ConfigKey<Sample, Duration> TTL =
      key("s.ttl", DURATION.positive(), "PT1H").readFrom(Sample::ttl).doc("Lifetime.");
  static final ConfigKey<Sample, String> PASSWORD =
      key("s.password", TEXT, null).readFrom(Sample::password).doc("Password.").masked();
  static final ConfigKey<Sample, List<String>> HOSTS =
      key("s.hosts", LIST, null).readFrom(Sample::hosts).doc("Hosts.");
  static final ConfigTable<Sample> TABLE =
      ConfigTable.of(PORT, TTL, PASSWORD, HOSTS).withPassThrough("lib.", "Library.", Sample::p);

  static Sample read(Map<String, String> flat) {
    ConfigValues v = TABLE.require(flat);
    return new Sample(v.get(PORT), v.get(TTL), v.get(PASSWORD), v.get(HOSTS), v.under("lib."));
  }

  @Test
  void absentAndBlankKeysTakeTheirDefaults() {
    Sample s = read(Map.of("s.ttl", " "));
    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.ttl()).isEqualTo(Duration.ofHours(1));
    assertThat(s.password()).isNull();
  }

  @Test
  void everyProblemIsReportedAtOnceNamingItsKey() {
    ConfigTable.Read read = TABLE.read(Map.of("s.port", "70000", "s.ttl", "PT0S"));
    assertThat(read.problems())
        .containsExactly(
            "s.port: Expected a number in 0..65535, but got '70000'",
            "s.ttl: Expected a positive duration, but got 'PT0S'");
    assertThatThrownBy(() -> TABLE.require(Map.of("s.port", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Invalid configuration: s.port: Expected an integer, but got 'x'");
  }

  @Test
  void aRecordWrittenAsFlatKeysReadsBackTheSame() {
    Sample s =
        read(
            Map.of(
                "s.port", "9", "s.password", "pw", "s.hosts", "a, b", "lib.acks", "all", "x", "y"));
    assertThat(TABLE.flat(s))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "s.port", "9",
                "s.ttl", "PT1H",
                "s.password", "pw",
                "s.hosts", "a,b",
                "lib.acks", "all"));
    assertThat(read(TABLE.flat(s))).isEqualTo(s);
    assertThat(read(TABLE.merged(s, PORT.set(10))).port()).isEqualTo(10);
  }

  @Test
  void shownConfigurationMasksSecretsPassThroughSecretsAndUrlPasswords() {
    Sample s =
        read(
            Map.of(
                "s.password", "hunter2",
                "s.hosts", "jdbc:x://h/db?password=p4ss&user=u",
                "lib.ssl.key.password", "changeit",
                "lib.acks", "all"));
    String shown = TABLE.show("Sample", s);
    assertThat(shown)
        .doesNotContain("hunter2")
        .doesNotContain("p4ss")
        .doesNotContain("changeit")
        .contains("s.password=******")
        .contains("lib.acks=all")
        .contains("user=u");
  }

  @Test
  void keysAreNamedAsEnvironmentVariablesBothWays() {
    assertThat(EnvironmentNames.of("topics.run-events")).isEqualTo("KONTROLER_TOPICS_RUN__EVENTS");
    assertThat(EnvironmentNames.keyOf("KONTROLER_TOPICS_RUN__EVENTS"))
        .isEqualTo("topics.run-events");
    assertThat(EnvironmentNames.keys(Map.of("KONTROLER_API_PORT", "1", "HOME", "/root")))
        .containsExactly(Map.entry("api.port", "1"));
  }

  @Test
  void aKeyWithoutDocOrTwiceIsRefused() {
    assertThatThrownBy(() -> ConfigTable.of(key("a", TEXT, null).readFrom((Sample x) -> "")))
        .hasMessageContaining("doc for a");
    assertThatThrownBy(() -> ConfigTable.of(PORT, PORT)).hasMessageContaining("s.port twice");
  }
}
