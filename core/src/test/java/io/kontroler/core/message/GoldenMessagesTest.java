package io.kontroler.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message type as it was once written, kept under {@code golden/messages}: {@code
 * <Type>.json} as first written, {@code <Type>@<major.minor>.json} for later versions. Each must
 * still decode and encode back to the same fields, so a change that would break reading an older
 * record fails here. Golden files are written once and never edited.
 */
class GoldenMessagesTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/messages");
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<Path> goldenFiles() throws IOException {
    try (Stream<Path> files = Files.list(GOLDEN)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  @Test
  void everyMessageTypeHasAGoldenFile() throws IOException {
    Set<String> golden =
        goldenFiles().stream().map(GoldenMessagesTest::typeOfFile).collect(Collectors.toSet());
    List<String> missing =
        MessageCodec.types().stream()
            .map(Class::getSimpleName)
            .filter(t -> !golden.contains(t))
            .toList();
    assertThat(missing).as("message types without a golden file in " + GOLDEN).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void decodesAndEncodesBackToTheSameFields(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);

    Object message = MessageCodec.decode(bytes);

    assertThat(MessageCodec.typeOf(message)).isEqualTo(typeOfFile(file));
    ObjectNode written = (ObjectNode) JSON.readTree(bytes);
    ObjectNode again = (ObjectNode) JSON.readTree(MessageCodec.encode(message));
    assertThat(again.get(SchemaVersion.FIELD))
        .isEqualTo(MessageCodec.versionOf(message.getClass()).toJson());
    written.remove(SchemaVersion.FIELD);
    again.remove(SchemaVersion.FIELD);
    assertThat(again).isEqualTo(written);
    assertThat(MessageCodec.decode(MessageCodec.encode(message))).isEqualTo(message);
  }

  @Test
  void theVersionAGoldenFileNamesIsTheOneItCarries() throws IOException {
    for (Path file : goldenFiles()) {
      JsonNode version = JSON.readTree(file.toFile()).get(SchemaVersion.FIELD);
      String name = file.getFileName().toString();
      String expected = name.contains("@") ? name.replaceAll(".*@(.*)\\.json", "$1") : "1.0";
      assertThat(SchemaVersion.parse(version)).as(name).hasToString(expected);
    }
  }

  private static String typeOfFile(Path file) {
    return file.getFileName().toString().replaceAll("(@.*)?\\.json$", "");
  }
}
