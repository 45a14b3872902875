package io.kontroler.logstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLogStoreTest {
  @TempDir Path dataDir;

  private final LogKey key = new LogKey("run-1", "build", 2);

  @Test
  void writesTheLogUnderRunsRunTaskAttempt() throws Exception {
    try (LogStore store = LogStores.open(LogStoreConfig.defaults(dataDir));
        LogWriter writer = store.open(key)) {
      writer.line("hello");
    }
    assertThat(dataDir.resolve("logs/runs/run-1/build/2.log")).hasContent("hello");
  }

  @Test
  void readersSeeBytesWhileTheAttemptRunsAndCompletionAfterClose() throws Exception {
    LocalLogStore store = new LocalLogStore(dataDir.resolve("logs"));
    LogWriter writer = store.open(key);
    writer.line("first");

    LogChunk live = store.read(key, 0, 1024);
    assertThat(live.text()).isEqualTo("first\n");
    assertThat(live.complete()).isFalse();

    writer.line("second");
    writer.close();
    LogChunk rest = store.read(key, live.nextOffset(), 1024);
    assertThat(rest.text()).isEqualTo("second\n");
    assertThat(rest.complete()).isTrue();
    assertThat(store.read(key, rest.nextOffset(), 1024).atEnd()).isTrue();
  }

  @Test
  void readsByteRanges() throws Exception {
    LocalLogStore store = new LocalLogStore(dataDir);
    try (LogWriter writer = store.open(key)) {
      writer.line("0123456789");
    }
    LogChunk chunk = store.read(key, 3, 4);
    assertThat(chunk.text()).isEqualTo("3456");
    assertThat(chunk.offset()).isEqualTo(3);
    assertThat(chunk.nextOffset()).isEqualTo(7);
    assertThat(store.read(key, 100, 4).data()).isEmpty();
    assertThat(store.read(new LogKey("run-1", "other", 1), 0, 10).found()).isFalse();
  }

  @Test
  void followStreamsUntilTheLogIsComplete() throws Exception {
    LocalLogStore store = new LocalLogStore(dataDir);
    LogWriter writer = store.open(key);
    writer.line("one");
    CompletableFuture<String> followed =
        CompletableFuture.supplyAsync(
            () -> {
              try (InputStream in = store.follow(key, 0, Duration.ofMillis(10))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return out.toString(StandardCharsets.UTF_8);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    writer.line("two");
    assertThat(followed).isNotDone();
    writer.line("three");
    writer.close();
    assertThat(followed.get(5, TimeUnit.SECONDS)).isEqualTo("one\ntwo\nthree\n");
  }

  @Test
  void listsAttemptsOfARunAndDeletesThem() throws Exception {
    LocalLogStore store = new LocalLogStore(dataDir);
    for (LogKey k :
        new LogKey[] {
          new LogKey("run-1", "b", 1),
          new LogKey("run-1", "a", 2),
          new LogKey("run-1", "a", 1),
          new LogKey("run-2", "a", 1)
        }) {
      store.open(k).close();
    }
    assertThat(store.attempts("run-1"))
        .containsExactly(
            new LogKey("run-1", "a", 1), new LogKey("run-1", "a", 2), new LogKey("run-1", "b", 1));

    store.deleteRun("run-1");
    assertThat(store.attempts("run-1")).isEmpty();
    assertThat(store.attempts("run-2")).hasSize(1);
    assertThat(Files.exists(dataDir.resolve("runs/run-1"))).isFalse();
  }

  @Test
  void reopeningAnAttemptStartsItsLogAgain() throws Exception {
    LocalLogStore store = new LocalLogStore(dataDir);
    try (LogWriter writer = store.open(key)) {
      writer.line("old");
    }
    LogWriter again = store.open(key);
    assertThat(store.read(key, 0, 100).complete()).isFalse();
    again.line("new");
    again.close();
    assertThat(store.read(key, 0, 100).text()).isEqualTo("new\n");
  }

  @Test
  void rejectsKeysThatWouldLeaveTheFolder() {
    assertThatThrownBy(() -> new LogKey("..", "a", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LogKey("r", "a/b", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(LogKey.parse("runs/r/t/3.log")).isEqualTo(new LogKey("r", "t", 3));
    assertThat(LogKey.parse("runs/r/t/x.log")).isNull();
  }
}
