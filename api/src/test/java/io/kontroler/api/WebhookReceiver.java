package io.kontroler.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A webhook receiver as a user would write one, on the JDK's HTTP server: it checks the HMAC-SHA256
 * signature over {@code timestamp.delivery.event.body} and the timestamp's age, and answers 500
 * (with a body) to the first {@code failFirst} requests.
 */
final class WebhookReceiver implements AutoCloseable {
  record Received(String delivery, String body, boolean signatureValid) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  final AtomicInteger requests = new AtomicInteger();
  volatile String secret = "";

  /** While set, every request waits for it before it is answered: a slow receiver. */
  volatile CountDownLatch hold;

  private final int failFirst;
  private final HttpServer server;

  private WebhookReceiver(HttpServer server, int failFirst) {
    this.server = server;
    this.failFirst = failFirst;
    server.createContext("/hook", this::handle);
    server.start();
  }

  static WebhookReceiver http(int failFirst) throws IOException {
    return new WebhookReceiver(
        HttpServer.create(new InetSocketAddress("localhost", 0), 0), failFirst);
  }

  /** An HTTPS receiver with a self-signed certificate made by keytool in {@code dir}. */
  static WebhookReceiver https(Path dir) throws Exception {
    Path store = dir.resolve("receiver.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "receiver",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-validity",
                "2",
                "-ext",
                "san=dns:localhost,ip:127.0.0.1",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().readAllBytes();
    if (keytool.waitFor() != 0) {
      throw new IllegalStateException("keytool failed");
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("localhost", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    return new WebhookReceiver(server, 0);
  }

  String url(String scheme) {
    return scheme + "://localhost:" + server.getAddress().getPort() + "/hook";
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String text = new String(body, StandardCharsets.UTF_8);
    String ts = exchange.getRequestHeaders().getFirst("X-Kontroler-Timestamp");
    String sig = exchange.getRequestHeaders().getFirst("X-Kontroler-Signature");
    boolean fresh =
        ts != null && Math.abs(Instant.now().getEpochSecond() - Long.parseLong(ts)) < 300;
    String delivery = exchange.getRequestHeaders().getFirst("X-Kontroler-Delivery");
    String event = exchange.getRequestHeaders().getFirst("X-Kontroler-Event");
    boolean valid =
        fresh
            && ("sha256=" + hmac(secret, ts + "." + delivery + "." + event + "." + text))
                .equals(sig);
    int n = requests.incrementAndGet();
    CountDownLatch held = hold;
    if (held != null) {
      try {
        held.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int status = n <= failFirst ? 500 : valid ? 204 : 401;
    if (status == 204) {
      received.add(new Received(delivery, text, valid));
      exchange.sendResponseHeaders(status, -1);
    } else {
      byte[] answer =
          ("{\"error\":\"receiver said no (" + status + ")\"}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, answer.length);
      exchange.getResponseBody().write(answer);
    }
    exchange.close();
  }

  static String hmac(String key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
