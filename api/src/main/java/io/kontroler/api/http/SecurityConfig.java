package io.kontroler.api.http;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.DURATION;
import static io.kontroler.core.config.ValueType.INT;
import static io.kontroler.core.config.ValueType.LIST;

import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ConfigValues;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The api's limits against abuse: token lifetimes, login throttling, origins that may change state
 * with a session cookie, and bounds on live streams. Each key is described once, in {@link #TABLE}.
 */
public record SecurityConfig(
    Duration maxTokenTtl,
    int loginFreeFailures,
    Duration loginMaxDelay,
    List<String> allowedOrigins,
    int maxStreams,
    int maxStreamsPerUser,
    int streamQueue,
    Duration streamHeartbeat) {

  public SecurityConfig {
    allowedOrigins =
        Objects.requireNonNullElse(allowedOrigins, List.<String>of()).stream()
            .map(o -> o.trim().toLowerCase(Locale.ROOT))
            .filter(o -> !o.isEmpty())
            .toList();
  }

  public static final ConfigKey<SecurityConfig, Duration> MAX_TOKEN_TTL =
      key("api.token.max.ttl", DURATION.positive(), "P30D")
          .readFrom(SecurityConfig::maxTokenTtl)
          .doc("Longest lifetime of an API token a user mints.");
  public static final ConfigKey<SecurityConfig, Integer> LOGIN_MAX_FAILURES =
      key("api.login.max.failures", INT.atLeast(1), "5")
          .readFrom(SecurityConfig::loginFreeFailures)
          .doc(
              "Wrong passwords allowed per user and per address before each further try must wait.");
  public static final ConfigKey<SecurityConfig, Duration> LOGIN_MAX_DELAY =
      key("api.login.max.delay", DURATION.notNegative(), "PT30S")
          .readFrom(SecurityConfig::loginMaxDelay)
          .doc(
              "Longest wait after wrong passwords; the wait starts at one second and doubles with each further failure.");
  public static final ConfigKey<SecurityConfig, List<String>> ALLOWED_ORIGINS =
      key("api.allowed.origins", LIST, null)
          .readFrom(SecurityConfig::allowedOrigins)
          .doc(
              "Origins besides the api's own that may send cookie-authenticated changes, comma separated, e.g. https://kontroler.example.com.");
  public static final ConfigKey<SecurityConfig, Integer> STREAMS_MAX =
      key("api.streams.max", INT.atLeast(1), "200")
          .readFrom(SecurityConfig::maxStreams)
          .doc("Live streams (log follows and event streams) open at once in all.");
  public static final ConfigKey<SecurityConfig, Integer> STREAMS_PER_USER =
      key("api.streams.per.user", INT.atLeast(1), "10")
          .readFrom(SecurityConfig::maxStreamsPerUser)
          .doc("Live streams one user may hold open at once.");
  public static final ConfigKey<SecurityConfig, Integer> STREAM_QUEUE =
      key("api.stream.queue", INT.atLeast(1), "1000")
          .readFrom(SecurityConfig::streamQueue)
          .doc(
              "Events buffered for one event-stream client; a client further behind is disconnected.");
  public static final ConfigKey<SecurityConfig, Duration> STREAM_HEARTBEAT =
      key("api.stream.heartbeat", DURATION.positive(), "PT15S")
          .readFrom(SecurityConfig::streamHeartbeat)
          .doc("How often an idle live stream checks that its client is still there.");

  /** The security keys of the api. */
  public static final ConfigTable<SecurityConfig> TABLE =
      ConfigTable.of(
          MAX_TOKEN_TTL,
          LOGIN_MAX_FAILURES,
          LOGIN_MAX_DELAY,
          ALLOWED_ORIGINS,
          STREAMS_MAX,
          STREAMS_PER_USER,
          STREAM_QUEUE,
          STREAM_HEARTBEAT);

  /** Every limit at its default. */
  public static final SecurityConfig DEFAULT = fromFlat(Map.of());

  /** Reads the keys of {@link #TABLE}; absent keys take their defaults. */
  public static SecurityConfig fromFlat(Map<String, String> c) {
    return from(TABLE.require(c));
  }

  /** The limits in {@code v}, read by a table that includes {@link #TABLE}. */
  public static SecurityConfig from(ConfigValues v) {
    return new SecurityConfig(
        v.get(MAX_TOKEN_TTL),
        v.get(LOGIN_MAX_FAILURES),
        v.get(LOGIN_MAX_DELAY),
        Objects.requireNonNullElse(v.get(ALLOWED_ORIGINS), List.of()),
        v.get(STREAMS_MAX),
        v.get(STREAMS_PER_USER),
        v.get(STREAM_QUEUE),
        v.get(STREAM_HEARTBEAT));
  }
}
