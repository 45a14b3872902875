package io.kontroler.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.run.ContainerSpec;
import io.kontroler.core.run.EnvVar;
import io.kontroler.core.run.FailureKind;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
  private static final Instant AT = Instant.parse("2026-11-22T10:15:30Z");

  @Test
  void roundTripsEveryKindOfMessageWithTypeAndSchemaVersion() throws Exception {
    List<Object> messages =
        List.of(
            new Inbound.RunRequested(
                "default/etl",
                "nightly",
                Map.of(
                    "a", new ParameterValue.Literal("1"), "b", new ParameterValue.FromSecret("s")),
                "key-1",
                AT),
            new RunEvent.TaskFailed(
                "r1", "default/etl", "load", 2, 3, FailureKind.EXITED, "exit 3", AT),
            new RunCommand.LaunchTask(
                "r1",
                "default/etl",
                1,
                "load",
                2,
                new ContainerSpec(
                    "alpine",
                    List.of("sh"),
                    List.of("-c", "x"),
                    null,
                    List.of(EnvVar.fromSecret("TOKEN", "creds")),
                    null,
                    null),
                AT));
    for (Object message : messages) {
      byte[] bytes = MessageCodec.encode(message);
      String json = new String(bytes, StandardCharsets.UTF_8);
      assertThat(json)
          .startsWith(
              "{\"type\":\""
                  + message.getClass().getSimpleName()
                  + "\",\"schemaVersion\":"
                  + MessageCodec.versionOf(message.getClass()).toJson());
      assertThat(MessageCodec.decode(bytes)).isEqualTo(message);
    }
  }

  @Test
  void aHandWrittenRunRequestedDecodes() throws Exception {
    String json =
        """
        {"type":"RunRequested","schemaVersion":1,"dag":"default/etl",
         "parameters":{"day":"2026-11-21","token":{"fromSecret":"etl-creds"}},
         "idempotencyKey":"etl-2026-11-21"}""";

    var request = MessageCodec.decode(json.getBytes(StandardCharsets.UTF_8), Inbound.class);

    assertThat(request)
        .isEqualTo(
            new Inbound.RunRequested(
                "default/etl",
                null,
                Map.of(
                    "day",
                    new ParameterValue.Literal("2026-11-21"),
                    "token",
                    new ParameterValue.FromSecret("etl-creds")),
                "etl-2026-11-21",
                null));
  }

  @Test
  void saysWhatIsWrongWithABadRecord() {
    assertThatThrownBy(() -> MessageCodec.decode("nope".getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("not JSON");
    assertThatThrownBy(() -> MessageCodec.decode("{\"type\":\"Nope\"}".getBytes()))
        .hasMessage("unknown message type 'Nope'");
    assertThatThrownBy(
            () -> MessageCodec.decode("{\"type\":\"CancelRun\",\"schemaVersion\":9}".getBytes()))
        .hasMessageStartingWith("unsupported schemaVersion 9");
    assertThatThrownBy(
            () ->
                MessageCodec.decode(
                    "{\"type\":\"TaskStarted\",\"schemaVersion\":1}".getBytes(), Inbound.class))
        .hasMessage("unknown message type 'TaskStarted' on this topic");
  }

  @Test
  void aNewerMinorVersionIsReadIgnoringTheFieldsItAdded() throws Exception {
    String json =
        """
        {"type":"CancelRun","schemaVersion":"1.7","dag":"default/etl","runId":"r1",
         "reason":"stop","requestedBy":{"user":"ann"}}""";

    assertThat(MessageCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new Inbound.CancelRun("default/etl", "r1", "stop"));
  }

  @Test
  void anUnknownFieldOfAKnownVersionIsReported() {
    String json =
        "{\"type\":\"CancelRun\",\"schemaVersion\":1,\"dag\":\"d/x\",\"runId\":\"r\",\"rason\":\"x\"}";

    assertThatThrownBy(() -> MessageCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("invalid CancelRun")
        .hasMessageContaining("rason");
  }

  @Test
  void anotherMajorVersionIsRefusedSayingWhichVersionsAreKnown() {
    String json = "{\"type\":\"RunRequested\",\"schemaVersion\":\"2.0\",\"dag\":\"d/x\"}";

    assertThatThrownBy(() -> MessageCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .hasMessage(
            "unsupported schemaVersion 2.0 of RunRequested (this reader knows 1.2 and reads every"
                + " 1.x; a record of another major version needs a Kontroler that knows it)");
    assertThatThrownBy(
            () ->
                MessageCodec.decode("{\"type\":\"RetryRun\",\"schemaVersion\":\"one\"}".getBytes()))
        .hasMessageStartingWith("unsupported schemaVersion \"one\" of RetryRun");
  }

  @Test
  void versionsAreWrittenAsAnIntegerForN0AndAsTextOtherwise() throws Exception {
    assertThat(MessageCodec.encodeToString(new Inbound.RetryRun("d/x", "r")))
        .contains("\"schemaVersion\":1,");
    Inbound.RunRequested scheduled =
        new Inbound.RunRequested("d/x", null, Map.of(), "k", AT, Inbound.RunRequested.SCHEDULE);
    assertThat(MessageCodec.encodeToString(scheduled)).contains("\"schemaVersion\":\"1.2\",");
    assertThat(MessageCodec.decode(MessageCodec.encode(scheduled))).isEqualTo(scheduled);
    assertThat(
            MessageCodec.decode(
                "{\"type\":\"RetryRun\",\"schemaVersion\":\"1\",\"dag\":\"d/x\",\"runId\":\"r\"}"
                    .getBytes()))
        .isEqualTo(new Inbound.RetryRun("d/x", "r"));
  }

  @Test
  void aDeadLetterCutsWhatItCopiesAndSaysSo() throws Exception {
    String big = "é".repeat(DeadLetter.MAX_VALUE_CHARS + 10);

    DeadLetter letter = new DeadLetter("x".repeat(10_000), "t", 0, 1L, "k", big, AT);

    assertThat(letter.value()).hasSize(DeadLetter.MAX_VALUE_CHARS);
    assertThat(letter.reason()).hasSize(DeadLetter.MAX_TEXT_CHARS);
    assertThat(letter.truncated()).isTrue();
    assertThat(letter.originalValueBytes()).isEqualTo(2 * (DeadLetter.MAX_VALUE_CHARS + 10));
    assertThat(MessageCodec.decode(MessageCodec.encode(letter))).isEqualTo(letter);
    DeadLetter small = new DeadLetter("bad", "t", 0, 1L, "k", "v", AT);
    assertThat(small.truncated()).isNull();
    assertThat(small.originalValueBytes()).isNull();
  }
}
