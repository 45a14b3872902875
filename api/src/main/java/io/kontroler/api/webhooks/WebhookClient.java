package io.kontroler.api.webhooks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * POSTs one webhook delivery over HTTP/1.1 to an address that {@link WebhookTargets} allowed. The
 * name is resolved once, checked, and the socket connects to the checked address; TLS still
 * verifies the certificate against the URL's host name (SNI and endpoint identification), unless
 * the DAG turned {@code verifySSL} off. Redirects are not followed. At most {@value #BODY_LIMIT}
 * bytes of the answer are kept.
 */
final class WebhookClient {
  static final int BODY_LIMIT = 1024;

  /** The receiver's answer: its status and the start of its body. */
  record Answer(int status, String body) {}

  /** Resolves host names; the system resolver in production. */
  @FunctionalInterface
  interface Resolver {
    List<InetAddress> resolve(String host) throws IOException;
  }

  private final WebhookTargets targets;
  private final Resolver resolver;
  private final Duration timeout;

  WebhookClient(WebhookTargets targets, Resolver resolver, Duration timeout) {
    this.targets = targets;
    this.resolver = resolver;
    this.timeout = timeout;
  }

  static List<InetAddress> systemResolver(String host) throws IOException {
    return Arrays.asList(InetAddress.getAllByName(host));
  }

  Answer post(URI url, Map<String, String> headers, byte[] body, boolean verifySsl)
      throws IOException, WebhookTargets.RefusedException {
    boolean tls = "https".equalsIgnoreCase(url.getScheme());
    if (!tls && !"http".equalsIgnoreCase(url.getScheme())) {
      throw new WebhookTargets.RefusedException("expected an http(s) URL, but got " + url);
    }
    String host = WebhookTargets.host(url.toString());
    if (host == null) {
      throw new WebhookTargets.RefusedException("expected a host in " + url);
    }
    int port = url.getPort() >= 0 ? url.getPort() : tls ? 443 : 80;
    List<InetAddress> addresses = targets.permitted(host, resolver.resolve(host));
    try (Socket socket = connect(addresses, port)) {
      Socket s = tls ? secure(socket, host, port, verifySsl) : socket;
      write(s.getOutputStream(), url, host, port, tls, headers, body);
      return read(new BufferedInputStream(s.getInputStream()));
    }
  }

  private Socket connect(List<InetAddress> addresses, int port) throws IOException {
    IOException last = null;
    for (InetAddress a : addresses) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(a, port), (int) timeout.toMillis());
        s.setSoTimeout((int) timeout.toMillis());
        return s;
      } catch (IOException e) {
        s.close();
        last = e;
      }
    }
    throw last;
  }

  private static Socket secure(Socket socket, String host, int port, boolean verify)
      throws IOException {
    SSLContext context;
    try {
      context = verify ? SSLContext.getDefault() : TrustAll.context();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Expected TLS in the JDK", e);
    }
    SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
    SSLParameters p = ssl.getSSLParameters();
    if (verify) {
      p.setEndpointIdentificationAlgorithm("HTTPS");
    }
    if (!WebhookTargets.isLiteral(host)) {
      p.setServerNames(List.of(new SNIHostName(host)));
    }
    ssl.setSSLParameters(p);
    ssl.startHandshake();
    return ssl;
  }

  private static void write(
      OutputStream out,
      URI url,
      String host,
      int port,
      boolean tls,
      Map<String, String> headers,
      byte[] body)
      throws IOException {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    boolean defaultPort = port == (tls ? 443 : 80);
    String hostHeader = host.contains(":") ? "[" + host + "]" : host;
    StringBuilder head = new StringBuilder();
    head.append("POST ").append(path).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(hostHeader).append(defaultPort ? "" : ":" + port).append("\r\n");
    head.append("User-Agent: kontroler-webhooks\r\n");
    head.append("Connection: close\r\n");
    head.append("Content-Length: ").append(body.length).append("\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    out.write(body);
    out.flush();
  }

  private static Answer read(InputStream in) throws IOException {
    String status = line(in);
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("Expected an HTTP status line, but got '" + status + "'");
    }
    int code;
    try {
      code = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("Expected an HTTP status code, but got '" + status + "'", e);
    }
    boolean chunked = false;
    long length = -1;
    int lines = 0;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      if (++lines > 100) {
        throw new IOException("Expected at most 100 header lines");
      }
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring("content-length:".length()).trim());
      }
    }
    boolean bodiless = code < 200 || code == 204 || code == 304;
    return new Answer(code, bodiless ? "" : body(in, chunked, length));
  }

  /** The start of the body; a slow or endless body is not waited for past the limit. */
  private static String body(InputStream in, boolean chunked, long length) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (chunked) {
      for (long size = chunkSize(in); size > 0 && out.size() < BODY_LIMIT; size = chunkSize(in)) {
        copy(in, out, size);
        line(in);
      }
    } else {
      copy(in, out, length < 0 ? BODY_LIMIT : length);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static long chunkSize(InputStream in) throws IOException {
    String l = line(in);
    int semicolon = l.indexOf(';');
    String hex = (semicolon < 0 ? l : l.substring(0, semicolon)).trim();
    try {
      return hex.isEmpty() ? 0 : Long.parseLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new IOException("Expected a chunk size, but got '" + l + "'", e);
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out, long n) throws IOException {
    long wanted = Math.min(n, BODY_LIMIT - out.size());
    byte[] buf = new byte[512];
    while (wanted > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, wanted));
      if (r < 0) {
        return;
      }
      out.write(buf, 0, r);
      wanted -= r;
    }
  }

  /** One header line without its CRLF; at most 8 KiB. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        if (b.size() == 0) {
          throw new IOException("Expected an HTTP answer, but the connection was closed");
        }
        break;
      }
      if (b.size() > 8192) {
        throw new IOException("Expected header lines under 8 KiB");
      }
      b.write(c);
    }
    String s = b.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
