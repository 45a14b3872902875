package io.kontroler.api.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which webhook targets the api may connect to. Loopback, link-local, private (RFC 1918, IPv6
 * unique-local), multicast and unspecified addresses are refused, so that a DAG's webhook can not
 * reach the api's own neighbourhood (a cloud metadata service, the database, the admin routes),
 * unless an admin allow-lists the host name or an address block ({@code api.webhooks.allow-hosts}).
 *
 * <p>The check is made on the resolved addresses at send time, and the sender connects to an
 * address it checked, never resolving the name again (no DNS rebinding); a literal address in a DAG
 * is refused at apply time already.
 */
public final class WebhookTargets {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** A target refused by the policy; the message says which address and why. */
  public static final class RefusedException extends Exception {
    public RefusedException(String message) {
      super(message);
    }
  }

  /** An allowed address block. */
  private record Block(byte[] network, int bits) {
    boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      if (b.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((b[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<String> hosts = new ArrayList<>();
  private final List<Block> blocks = new ArrayList<>();

  /**
   * @param allow host names, addresses and CIDR blocks ({@code 10.1.0.0/16}, {@code fd00::/8})
   */
  public WebhookTargets(List<String> allow) {
    for (String entry : allow) {
      String e = entry.trim().toLowerCase(Locale.ROOT);
      String address = e.contains("/") ? e.substring(0, e.indexOf('/')) : e;
      if (isLiteral(address)) {
        byte[] network = literal(address).getAddress();
        int bits =
            e.contains("/")
                ? Integer.parseInt(e.substring(e.indexOf('/') + 1))
                : network.length * 8;
        if (bits < 0 || bits > network.length * 8) {
          throw new IllegalArgumentException(
              "Expected a prefix length of 0.." + network.length * 8 + ", but got " + entry);
        }
        blocks.add(new Block(network, bits));
      } else {
        hosts.add(e);
      }
    }
  }

  /** Nothing internal allowed. */
  public static WebhookTargets strict() {
    return new WebhookTargets(List.of());
  }

  /**
   * Why {@code url} is refused before any lookup (a literal internal address or {@code localhost}),
   * or empty; host names are checked when sending.
   */
  public Optional<String> refusalAtApply(String url) {
    String host = host(url);
    if (host == null || allowedName(host)) {
      return Optional.empty();
    }
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return Optional.of(refusal(host, "loopback"));
    }
    if (!isLiteral(host)) {
      return Optional.empty();
    }
    InetAddress a;
    try {
      a = literal(host);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not an address after all: the sender's lookup fails on it
    }
    String kind = internalKind(a);
    return kind == null || allowedAddress(a)
        ? Optional.empty()
        : Optional.of(refusal(a.getHostAddress(), kind));
  }

  /**
   * The addresses of {@code host} that may be connected to, in resolution order; throws when there
   * is none. An internal address is skipped unless allowed; all of them refused says why.
   */
  public List<InetAddress> permitted(String host, List<InetAddress> resolved)
      throws RefusedException {
    boolean named = allowedName(host.toLowerCase(Locale.ROOT));
    List<InetAddress> out = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (InetAddress a : resolved) {
      String kind = internalKind(a);
      if (kind == null || named || allowedAddress(a)) {
        out.add(a);
      } else {
        refused.add(a.getHostAddress() + " (" + kind + ")");
      }
    }
    if (out.isEmpty()) {
      throw new RefusedException(
          "webhook target "
              + host
              + " resolves only to addresses that are not allowed: "
              + String.join(", ", refused)
              + "; an admin may allow them with api.webhooks.allow-hosts");
    }
    return out;
  }

  /** The kind of internal address {@code a} is, or null for a public one. */
  static String internalKind(InetAddress a) {
    byte[] b = a.getAddress();
    if (a.isAnyLocalAddress() || (b.length == 4 && b[0] == 0)) {
      return "unspecified";
    }
    if (a.isLoopbackAddress()) {
      return "loopback";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local";
    }
    if (a.isMulticastAddress()) {
      return "multicast";
    }
    if (a.isSiteLocalAddress() || (b.length == 16 && (b[0] & 0xfe) == 0xfc)) {
      return "private";
    }
    return null;
  }

  private boolean allowedName(String host) {
    return hosts.contains(host);
  }

  private boolean allowedAddress(InetAddress a) {
    return blocks.stream().anyMatch(b -> b.contains(a));
  }

  private static String refusal(String target, String kind) {
    return "expected a public webhook target, but "
        + target
        + " is a "
        + kind
        + " address; an admin may allow it with api.webhooks.allow-hosts";
  }

  /** The host of {@code url} in lower case, without IPv6 brackets; null when there is none. */
  static String host(String url) {
    try {
      String h = URI.create(url).getHost();
      if (h == null) {
        return null;
      }
      h = h.toLowerCase(Locale.ROOT);
      return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static boolean isLiteral(String host) {
    return IPV4.matcher(host).matches() || host.contains(":");
  }

  /** A literal address, parsed without any name lookup. */
  private static InetAddress literal(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Expected an IP address, but got " + address, e);
    }
  }
}
