package io.kontroler.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.cli.ExitCode;
import io.kontroler.cli.Main;
import io.kontroler.core.message.Inbound;
import io.kontroler.core.run.RunCommand.BackfillProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kontroler backfill} against a real api server (SQLite history), whose commands are
 * recorded instead of published to Kafka.
 */
class BackfillCommandTest {
  private static final String PASSWORD = "backfill-admin-password";
  private static final Instant FROM = Instant.parse("2026-10-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-10-30T00:00:00Z");
  private static final String DAG =
      """
      apiVersion: kontroler.greedykomodo/v1alpha1
      kind: DAG
      metadata:
        name: daily
      spec:
        schedule: "0 0 * * *"
        task:
          - name: report
            image: alpine:3.20
            command: [echo, "{{ run.logicalDate }}"]
      """;

  @TempDir Path dir;
  private RecordingApi api;
  private List<Inbound> commands;
  private String url;
  private String token;

  @BeforeEach
  void start() throws Exception {
    api = RecordingApi.start(dir, PASSWORD, DAG);
    commands = api.commands();
    url = api.url();
    token = api.token();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void backfillPublishesTheRangeAndPrintsTheBackfillId() {
    Result result =
        kontroler(
            "backfill",
            "daily",
            "--from",
            FROM.toString(),
            "--to",
            TO.toString(),
            "--max-active",
            "3");

    assertThat(result.exit()).as(result.err()).isZero();
    List<Inbound.BackfillRequested> sent = sent(Inbound.BackfillRequested.class);
    assertThat(sent)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.dag()).isEqualTo("default/daily");
              assertThat(b.from()).isEqualTo(FROM);
              assertThat(b.to()).isEqualTo(TO);
              assertThat(b.maxActive()).isEqualTo(3);
              assertThat(result.out().strip()).isEqualTo(b.backfillId());
            });
  }

  @Test
  void listShowsProgressAndCancelPublishesCancelBackfill() {
    String id =
        kontroler("backfill", "default/daily", "--from", FROM.toString(), "--to", TO.toString())
            .out()
            .strip();
    api.server()
        .projection()
        .apply(
            new BackfillProgress(
                "default/daily", id, FROM, TO, 1, 30, 4, 1, 25, false, null, Instant.now()),
            1);

    Result list = kontroler("backfill", "daily", "--list");
    Result cancel = kontroler("backfill", "cancel", id);

    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains(id, "4/30", "25", "running");
    assertThat(cancel.exit()).as(cancel.err()).isZero();
    assertThat(sent(Inbound.CancelBackfill.class))
        .containsExactly(new Inbound.CancelBackfill("default/daily", id, "cancelled by admin"));
  }

  @Test
  void aBadRangeIsRejectedAndAnUnknownBackfillIsNotFound() {
    Result backwards =
        kontroler("backfill", "daily", "--from", TO.toString(), "--to", FROM.toString());
    Result unknown = kontroler("backfill", "cancel", "no-such-backfill");
    Result noRange = kontroler("backfill", "daily");

    assertThat(backwards.exit()).isEqualTo(ExitCode.REJECTED.code());
    assertThat(backwards.err()).contains("expected to >= from");
    assertThat(unknown.exit()).isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(unknown.err()).contains("no backfill 'no-such-backfill'");
    assertThat(noRange.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(sent(Inbound.BackfillRequested.class)).isEmpty();
  }

  private <T> List<T> sent(Class<T> type) {
    return commands.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private Result kontroler(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = url;
    all[args.length + 2] = "--token";
    all[args.length + 3] = token;
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
    return new Result(exit, out.toString(), err.toString());
  }

  private record Result(int exit, String out, String err) {}
}
