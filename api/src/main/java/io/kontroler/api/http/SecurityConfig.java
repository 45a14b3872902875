package io.kontroler.api.http;

import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ConfigValues;
import io.kontroler.core.config.ValueType;
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
    Objects.requireNonNull(maxTokenTtl, "maxTokenTtl");
    Objects.requireNonNull(loginMaxDelay, "loginMaxDelay");
    Objects.requireNonNull(streamHeartbeat, "streamHeartbeat");
    allowedOrigins =
        Objects.requireNonNullElse(allowedOrigins, List.<String>of()).stream()
            .map(o -> o.trim().toLowerCase(Locale.ROOT))
            .filter(o -> !o.isEmpty())
            .toList();
  }

  public static final ConfigKey<SecurityConfig, Duration> MAX_TOKEN_TTL =
      ConfigKey.key(
          "api.token.max.ttl",
          ValueType.DURATION.positive(),
          "P30D",
          "Longest lifetime of an API token a user mints.",
          SecurityConfig::maxTokenTtl);
  public static final ConfigKey<SecurityConfig, Integer> LOGIN_MAX_FAILURES =
      ConfigKey.key(
          "api.login.max.failures",
          ValueType.intAtLeast(1),
          "5",
          "Wrong passwords allowed per user and per address before each further try must wait.",
          SecurityConfig::loginFreeFailures);
  public static final ConfigKey<SecurityConfig, Duration> LOGIN_MAX_DELAY =
      ConfigKey.key(
          "api.login.max.delay",
          ValueType.DURATION.notNegative(),
          "PT30S",
          "Longest wait after wrong passwords; the wait starts at one second and doubles with each"
              + " further failure.",
          SecurityConfig::loginMaxDelay);
  public static final ConfigKey<SecurityConfig, List<String>> ALLOWED_ORIGINS =
      ConfigKey.key(
          "api.allowed.origins",
          ValueType.LIST,
          null,
          "Origins besides the api's own that may send cookie-authenticated changes, comma"
              + " separated, e.g. https://kontroler.example.com.",
          SecurityConfig::allowedOrigins);
  public static final ConfigKey<SecurityConfig, Integer> STREAMS_MAX =
      ConfigKey.key(
          "api.streams.max",
          ValueType.intAtLeast(1),
          "200",
          "Live streams (log follows and event streams) open at once in all.",
          SecurityConfig::maxStreams);
  public static final ConfigKey<SecurityConfig, Integer> STREAMS_PER_USER =
      ConfigKey.key(
          "api.streams.per.user",
          ValueType.intAtLeast(1),
          "10",
          "Live streams one user may hold open at once.",
          SecurityConfig::maxStreamsPerUser);
  public static final ConfigKey<SecurityConfig, Integer> STREAM_QUEUE =
      ConfigKey.key(
          "api.stream.queue",
          ValueType.intAtLeast(1),
          "1000",
          "Events buffered for one event-stream client; a client further behind is disconnected.",
          SecurityConfig::streamQueue);
  public static final ConfigKey<SecurityConfig, Duration> STREAM_HEARTBEAT =
      ConfigKey.key(
          "api.stream.heartbeat",
          ValueType.DURATION.positive(),
          "PT15S",
          "How often an idle live stream checks that its client is still there.",
          SecurityConfig::streamHeartbeat);

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
