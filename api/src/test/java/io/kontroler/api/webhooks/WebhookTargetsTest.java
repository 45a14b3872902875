package io.kontroler.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class WebhookTargetsTest {

  private static InetAddress ip(String literal) throws java.net.UnknownHostException {
    return InetAddress.getByName(literal);
  }

  @Test
  void namesTheKindOfEveryInternalAddress() throws Exception {
    assertThat(WebhookTargets.internalKind(ip("127.0.0.1"))).isEqualTo("loopback");
    assertThat(WebhookTargets.internalKind(ip("::1"))).isEqualTo("loopback");
    assertThat(WebhookTargets.internalKind(ip("169.254.169.254"))).isEqualTo("link-local");
    assertThat(WebhookTargets.internalKind(ip("fe80::1"))).isEqualTo("link-local");
    assertThat(WebhookTargets.internalKind(ip("10.0.0.1"))).isEqualTo("private");
    assertThat(WebhookTargets.internalKind(ip("172.16.5.4"))).isEqualTo("private");
    assertThat(WebhookTargets.internalKind(ip("192.168.1.1"))).isEqualTo("private");
    assertThat(WebhookTargets.internalKind(ip("fd12:3456::1"))).isEqualTo("private");
    assertThat(WebhookTargets.internalKind(ip("224.0.0.251"))).isEqualTo("multicast");
    assertThat(WebhookTargets.internalKind(ip("0.0.0.0"))).isEqualTo("unspecified");
    assertThat(WebhookTargets.internalKind(ip("::"))).isEqualTo("unspecified");
    assertThat(WebhookTargets.internalKind(ip("::ffff:127.0.0.1"))).isEqualTo("loopback");
    assertThat(WebhookTargets.internalKind(ip("172.32.0.1"))).isNull();
    assertThat(WebhookTargets.internalKind(ip("93.184.216.34"))).isNull();
    assertThat(WebhookTargets.internalKind(ip("2606:4700::1111"))).isNull();
  }

  @Test
  void allowsOnlyWhatTheAdminListed() throws Exception {
    WebhookTargets targets = new WebhookTargets(List.of("10.1.0.0/16", "hooks.internal", "::1"));
    assertThat(targets.refusalAtApply("http://10.1.2.3/x")).isEmpty();
    assertThat(targets.refusalAtApply("http://10.2.0.1/x")).get().asString().contains("private");
    assertThat(targets.refusalAtApply("http://[::1]:8080/x")).isEmpty();
    assertThat(targets.refusalAtApply("http://hooks.example.com/x")).isEmpty();
    assertThat(targets.permitted("hooks.internal", List.of(ip("192.168.0.9"))))
        .containsExactly(ip("192.168.0.9"));
    assertThat(
            targets.permitted(
                "mixed.example", List.of(ip("192.168.0.9"), ip("10.1.0.7"), ip("8.8.8.8"))))
        .containsExactly(ip("10.1.0.7"), ip("8.8.8.8"));
    assertThatThrownBy(() -> targets.permitted("evil.example", List.of(ip("169.254.169.254"))))
        .isInstanceOf(WebhookTargets.RefusedException.class)
        .hasMessageContaining("169.254.169.254 (link-local)");
  }

  @Test
  void connectsToTheAddressItCheckedAndSendsTheNameAsHost() throws Exception {
    List<String> hosts = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          hosts.add(ex.getRequestHeaders().getFirst("Host"));
          ex.getRequestBody().readAllBytes();
          byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(202, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    receiver.start();
    int port = receiver.getAddress().getPort();
    URI url = URI.create("http://hooks.example.test:" + port + "/hook?x=1");
    // the name resolves to a private address first and loopback second; only loopback is allowed
    WebhookClient.Resolver resolver = host -> List.of(ip("10.9.9.9"), ip("127.0.0.1"));
    try {
      WebhookClient allowed =
          new WebhookClient(
              new WebhookTargets(List.of("127.0.0.0/8")), resolver, Duration.ofSeconds(10));
      WebhookClient.Answer answer =
          allowed.post(url, Map.of("X-Test", "1"), "{}".getBytes(StandardCharsets.UTF_8), true);
      assertThat(answer.status()).isEqualTo(202);
      assertThat(answer.body()).isEqualTo("ok");
      assertThat(hosts).containsExactly("hooks.example.test:" + port);

      WebhookClient strict =
          new WebhookClient(WebhookTargets.strict(), resolver, Duration.ofSeconds(10));
      assertThatThrownBy(() -> strict.post(url, Map.of(), new byte[0], true))
          .isInstanceOf(WebhookTargets.RefusedException.class)
          .hasMessageContaining("127.0.0.1 (loopback)")
          .hasMessageContaining("10.9.9.9 (private)");
      assertThat(hosts).hasSize(1);
    } finally {
      receiver.stop(0);
    }
  }
}
