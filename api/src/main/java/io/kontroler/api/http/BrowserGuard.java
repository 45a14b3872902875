package io.kontroler.api.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What keeps a browser that is logged in from being used by another site. Every response gets a
 * strict Content-Security-Policy (scripts only from the api itself) and, over TLS, HSTS. A request
 * that changes state must send a body of a type the api reads (JSON or YAML: 415 otherwise, which a
 * plain HTML form or a "simple" cross-site request can not send), and a browser's {@code Origin}
 * must be the api's own or one of {@code api.allowed.origins} (403 otherwise), whatever the
 * credentials.
 */
public final class BrowserGuard {
  /**
   * Scripts, connections, images and fonts from the api's own origin only; no plugins, frames, base
   * or form targets elsewhere. Styles also allow inline text because the graph library
   * (vis-network) inserts its stylesheet as a {@code <style>} element; no script is inline.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'"
          + " data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  static final String HSTS = "max-age=31536000";

  private static final Set<HandlerType> CHANGES =
      Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

  /** The body types the api reads; routes that read none accept no body type other than these. */
  public static final List<String> BODY_TYPES =
      List.of("application/json", "application/yaml", "application/x-yaml", "text/yaml");

  private final List<String> allowedOrigins;

  public BrowserGuard(List<String> allowedOrigins) {
    this.allowedOrigins = List.copyOf(allowedOrigins);
  }

  /** Adds the headers every response carries. */
  public void headers(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    // Not no-referrer: browsers would then send "Origin: null" on the UI's own changes.
    ctx.header("Referrer-Policy", "same-origin");
    if (overTls(ctx)) {
      ctx.header("Strict-Transport-Security", HSTS);
    }
  }

  /**
   * Refuses a state-changing request of a foreign origin (403) or of a body type the api does not
   * read (415).
   */
  public void check(Context ctx) {
    if (!CHANGES.contains(ctx.method())) {
      return;
    }
    String origin = ctx.header("Origin");
    if (origin != null && !allowed(origin, ctx.header("Host"))) {
      throw new ApiException(
          403,
          "requests that change something must come from this api's own pages or an origin in"
              + " api.allowed.origins, but came from '"
              + origin
              + "'");
    }
    String type = ctx.header("Content-Type");
    if (type != null || hasBody(ctx)) {
      String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (!BODY_TYPES.contains(media)) {
        throw new ApiException(
            415,
            "expected a body of type "
                + String.join(", ", BODY_TYPES)
                + ", but got '"
                + (type == null ? "none" : type)
                + "'");
      }
    }
  }

  /** Whether the request reached the api over TLS, directly or through a proxy that says so. */
  public static boolean overTls(Context ctx) {
    return ctx.req().isSecure() || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
  }

  private static boolean hasBody(Context ctx) {
    return ctx.contentLength() > 0 || ctx.header("Transfer-Encoding") != null;
  }

  boolean allowed(String origin, String host) {
    String normal = origin.trim().toLowerCase(Locale.ROOT);
    if (allowedOrigins.contains(normal)) {
      return true;
    }
    if (host == null || normal.equals("null")) {
      return false;
    }
    try {
      URI uri = URI.create(normal);
      if (uri.getHost() == null || !Set.of("http", "https").contains(uri.getScheme())) {
        return false;
      }
      String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return withoutDefaultPort(authority)
          .equals(withoutDefaultPort(host.toLowerCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The same origin behind a TLS proxy may show a default port on one side only. */
  private static String withoutDefaultPort(String authority) {
    if (authority.endsWith(":80")) {
      return authority.substring(0, authority.length() - 3);
    }
    if (authority.endsWith(":443")) {
      return authority.substring(0, authority.length() - 4);
    }
    return authority;
  }
}
