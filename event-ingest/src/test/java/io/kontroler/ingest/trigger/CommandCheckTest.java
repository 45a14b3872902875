package io.kontroler.ingest.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.core.message.Inbound.CancelRun;
import io.kontroler.core.message.Inbound.RunRequested;
import io.kontroler.core.message.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandCheckTest {

  @Test
  void aRunRequestWithoutKeyGetsItsPositionAsIdempotencyKey() {
    byte[] value = MessageCodec.encode(new RunRequested("ns/etl", null, Map.of(), null, null));

    CommandCheck.Result result = CommandCheck.check("kontroler.triggers", 2, 41, "ns/etl", value);

    assertThat(result.ok()).isTrue();
    assertThat(((RunRequested) result.command()).idempotencyKey())
        .isEqualTo("kontroler.triggers/2/41");
  }

  @Test
  void refusesRecordsThatBreakTheContractAndSaysWhy() {
    assertThat(check("ns/etl", "not json").reason()).startsWith("not JSON");
    assertThat(check("ns/etl", "{\"type\":\"Launch\",\"schemaVersion\":1}").reason())
        .contains("unknown message type 'Launch'");
    assertThat(
            check("ns/etl", "{\"type\":\"RunRequested\",\"schemaVersion\":2,\"dag\":\"ns/etl\"}")
                .reason())
        .contains("unsupported schemaVersion 2");
    assertThat(
            CommandCheck.check(
                    "t", 0, 0, "ns/other", MessageCodec.encode(new CancelRun("ns/etl", "r1", null)))
                .reason())
        .contains("record key 'ns/other' is not the command's dag 'ns/etl'");
    assertThat(
            CommandCheck.check(
                    "t", 0, 0, null, MessageCodec.encode(new CancelRun("etl", " ", null)))
                .reason())
        .contains("dag: expected 'namespace/name', but got 'etl'")
        .contains("runId: missing");
  }

  private static CommandCheck.Result check(String key, String json) {
    return CommandCheck.check("t", 0, 0, key, json.getBytes(StandardCharsets.UTF_8));
  }
}
