package io.kontroler.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kontroler.api.auth.Role;
import io.kontroler.cli.ExitCode;
import io.kontroler.cli.Main;
import io.kontroler.core.message.PoolMessage.PoolHolder;
import io.kontroler.core.message.PoolMessage.PoolSlotsSet;
import io.kontroler.core.message.PoolMessage.PoolStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kontroler pools set|list|get} against a real api server (SQLite history), whose records
 * for kontroler.pools are recorded instead of published, and whose pools' status is fed to its
 * projection as the scheduler's pool owners would report it.
 */
class PoolsCommandTest {
  private static final String PASSWORD = "pools-admin-password";
  private static final String DAG =
      """
      apiVersion: kontroler.greedykomodo/v1alpha1
      kind: DAG
      metadata:
        name: chain
      spec:
        task:
          - name: extract
            image: alpine:3.20
            command: [echo, extract]
      """;
  private static final Instant T = Instant.parse("2026-11-28T12:00:00Z");

  @TempDir Path dir;
  private RecordingApi api;

  @BeforeEach
  void start() throws Exception {
    api = RecordingApi.start(dir, PASSWORD, DAG);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void setPublishesThePoolsSlotsAsTheSignedInAdmin() {
    Result set = kontroler(api.token(), "pools", "set", "warehouse", "--slots", "2");

    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("Pool warehouse set to 2 slots");
    assertThat(api.pools()).hasSize(1);
    PoolSlotsSet sent = (PoolSlotsSet) api.pools().get(0);
    assertThat(sent.pool()).isEqualTo("warehouse");
    assertThat(sent.slots()).isEqualTo(2);
    assertThat(sent.user()).isEqualTo("admin");
  }

  @Test
  void listShowsSlotsInUseAndWaitingAndGetShowsTheHolders() {
    api.server()
        .pools()
        .apply(
            new PoolStatus(
                "warehouse",
                2,
                List.of(
                    new PoolHolder("default/chain", "run-7", "extract", 1, T, T.plusSeconds(60))),
                3,
                true,
                T),
            1);
    api.server().pools().apply(new PoolStatus("reporting", 0, List.of(), 1, false, T), 2);

    Result list = kontroler(api.token(), "pools", "list");
    Result get = kontroler(api.token(), "pools", "get", "warehouse");

    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out().lines().toList())
        .containsExactly(
            "NAME       SLOTS            IN USE  WAITING",
            "reporting  0 (not defined)  0       1",
            "warehouse  2                1       3");
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(get.out())
        .contains("Pool warehouse: 1 of 2 slots in use, 3 waiting")
        .contains("default/chain", "run-7", "extract", T.toString(), T.plusSeconds(60).toString());
  }

  @Test
  void anUnknownPoolIsNotFoundAnInvalidCountIsRejectedAndAViewerIsForbidden() throws Exception {
    Result unknown = kontroler(api.token(), "pools", "get", "nothing");
    Result negative = kontroler(api.token(), "pools", "set", "warehouse", "--slots", "-1");
    Result noSlots = kontroler(api.token(), "pools", "set", "warehouse");
    Result asViewer = kontroler(viewerToken(), "pools", "set", "warehouse", "--slots", "2");

    assertThat(unknown.exit()).isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(unknown.err()).contains("no pool 'nothing'");
    assertThat(negative.exit()).isEqualTo(ExitCode.REJECTED.code());
    assertThat(negative.err()).contains("expected 0 to 10000 slots, but got -1");
    assertThat(noSlots.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(noSlots.err()).contains("--slots");
    assertThat(asViewer.exit()).isEqualTo(ExitCode.FORBIDDEN.code());
    assertThat(api.pools()).isEmpty();
  }

  private String viewerToken() throws Exception {
    ApiClient admin = new ApiClient(URI.create(api.url()), api.token());
    admin.post(
        "/api/v1/users",
        Map.of("username", "watcher", "password", "watcher-password", "role", Role.viewer.name()));
    return new ApiClient(URI.create(api.url()), null)
        .post("/api/v1/auth/login", Map.of("username", "watcher", "password", "watcher-password"))
        .path("token")
        .asText();
  }

  private Result kontroler(String token, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = api.url();
    all[args.length + 2] = "--token";
    all[args.length + 3] = token;
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
    return new Result(exit, out.toString(), err.toString());
  }

  private record Result(int exit, String out, String err) {}
}
