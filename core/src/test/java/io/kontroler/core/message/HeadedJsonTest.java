package io.kontroler.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadedJsonTest {
  private static final ObjectMapper MAPPER = MessageCodec.mapper();
  private static final Instant AT = Instant.parse("2026-11-22T10:15:30Z");

  record Empty() {}

  @Test
  void writesTheSameBytesAsTheHeaderAndTheRecordsTreeJoined() throws Exception {
    ObjectNode fields = MAPPER.createObjectNode();
    fields.put("type", "X");
    fields.put(SchemaVersion.FIELD, "1.2");
    byte[] header = HeadedJson.header(MAPPER, fields);
    for (Object value :
        List.of(
            new RunEvent.TaskStarted("r1", "default/etl", "load", 2, AT),
            new RunCommand.KillTask("r1", "default/etl", "load", 2, "cancelled", AT),
            new Empty())) {
      ObjectNode tree = fields.deepCopy();
      tree.setAll((ObjectNode) MAPPER.valueToTree(value));

      assertThat(
              new String(
                  HeadedJson.write(MAPPER.writerFor(value.getClass()), header, value),
                  StandardCharsets.UTF_8))
          .isEqualTo(MAPPER.writeValueAsString(tree));
    }
  }

  @Test
  void readsTheHeaderAndLeavesTheParserOnTheRecordsFirstField() throws Exception {
    byte[] bytes =
        "{\"a\":1,\"b\":{\"c\":\"d\"},\"runId\":\"r1\",\"dag\":\"default/etl\",\"task\":\"t\",\"attempt\":1}"
            .getBytes(StandardCharsets.UTF_8);

    try (HeadedJson.Head head = HeadedJson.read(MAPPER, bytes, "a", "b")) {
      assertThat(head.field(0).asInt()).isEqualTo(1);
      assertThat(head.field(1).path("c").asText()).isEqualTo("d");
      assertThat(head.<RunEvent.TaskStarted>bind(MAPPER.readerFor(RunEvent.TaskStarted.class)))
          .isEqualTo(new RunEvent.TaskStarted("r1", "default/etl", "t", 1, null));
    }
  }

  @Test
  void leavesAnObjectLaidOutOtherwiseToTheCaller() throws Exception {
    for (String json :
        List.of(
            "{\"b\":2,\"a\":1,\"x\":3}",
            "{\"a\":1}",
            "{\"a\":1,\"b\":2}",
            "[1,2]",
            "not json",
            "{\"a\":1,\"b\":")) {
      assertThat(HeadedJson.read(MAPPER, json.getBytes(StandardCharsets.UTF_8), "a", "b"))
          .as(json)
          .isNull();
    }
  }

  @Test
  void aMessageWithItsHeaderElsewhereDecodesTheSame() throws Exception {
    var started = new RunEvent.TaskStarted("r1", "default/etl", "load", 2, AT);
    String reordered =
        "{\"runId\":\"r1\",\"schemaVersion\":1,\"dag\":\"default/etl\",\"task\":\"load\","
            + "\"attempt\":2,\"type\":\"TaskStarted\",\"at\":\"2026-11-22T10:15:30Z\"}";

    assertThat(MessageCodec.decode(reordered.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(started)
        .isEqualTo(MessageCodec.decode(MessageCodec.encode(started)));
  }
}
