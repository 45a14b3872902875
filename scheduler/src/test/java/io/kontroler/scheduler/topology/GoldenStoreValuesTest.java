package io.kontroler.scheduler.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kontroler.core.message.SchemaVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * Every store value type as it was once written, kept under {@code golden/stores} (named by the
 * value's type; the values written before store values were versioned carry no version): each must
 * still read and write back the same fields, now with its version, so a change that would keep a
 * scheduler from restoring its stores fails here.
 */
class GoldenStoreValuesTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/stores");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyStoreValueReadsAndWritesBackTheSameFieldsWithItsVersion() throws Exception {
    Map<String, JsonSerde<?>> serdes = RunStores.jsonValues();
    for (JsonSerde<?> serde : serdes.values()) {
      check(serde);
    }
    for (JsonSerde<?> serde : AdmissionStores.jsonValues().values()) {
      check(serde);
    }
    for (JsonSerde<?> serde : PoolStores.jsonValues().values()) {
      check(serde);
    }
  }

  private static <T> void check(JsonSerde<T> serde) throws Exception {
    String type = typeName(serde);
    Path file = GOLDEN.resolve(type + ".json");
    assertThat(file).as("golden file of " + type).exists();
    byte[] bytes = Files.readAllBytes(file);

    T value = serde.deserializer().deserialize("changelog", bytes);
    byte[] again = serde.serializer().serialize("changelog", value);

    ObjectNode expected = (ObjectNode) JSON.readTree(bytes);
    expected.set(SchemaVersion.FIELD, serde.version().toJson());
    assertThat(JSON.readTree(again)).as(type).isEqualTo(expected);
    assertThat(serde.deserializer().deserialize("changelog", again)).isEqualTo(value);
  }

  @Test
  void aValueOfANewerMinorVersionIsReadIgnoringTheFieldsItAdded() {
    JsonSerde<DagHead> serde = new JsonSerde<>(DagHead.class);
    String newer =
        "{\"schemaVersion\":\"1.3\",\"version\":7,\"deleted\":true,\"deletedBy\":\"ann\"}";

    assertThat(serde.deserializer().deserialize("t", newer.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new DagHead(7, true));
  }

  @Test
  void aValueOfAnotherMajorVersionIsRefusedNamingBothVersions() {
    JsonSerde<DagHead> serde = new JsonSerde<>(DagHead.class);
    byte[] other = "{\"schemaVersion\":2,\"version\":7}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> serde.deserializer().deserialize("t", other))
        .isInstanceOf(SerializationException.class)
        .hasMessage(
            "Expected a DagHead store value of version 1.x, but got version 2.0: it was written"
                + " by a scheduler of another major version");
  }

  @Test
  void everyStoreOfJsonValuesHasItsOwnValueType() {
    List<String> types =
        RunStores.jsonValues().values().stream().map(GoldenStoreValuesTest::typeName).toList();
    assertThat(types).doesNotHaveDuplicates().hasSize(7);
  }

  private static String typeName(JsonSerde<?> serde) {
    return serde.type().getSimpleName();
  }
}
