package io.kontroler.api.http;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The api's limits against abuse: token lifetimes, login throttling, origins that may change state
 * with a session cookie, and bounds on live streams. Read from the flat keys in brackets.
 *
 * @param maxTokenTtl longest lifetime of an API token a user mints [{@code api.token.max.ttl}:
 *     {@code P30D}]
 * @param loginFreeFailures wrong passwords allowed per user and per address before each further try
 *     must wait [{@code api.login.max.failures}: 5]
 * @param loginMaxDelay longest wait after wrong passwords; the wait starts at one second and
 *     doubles with each further failure [{@code api.login.max.delay}: {@code PT30S}]
 * @param allowedOrigins origins besides the api's own that may send cookie-authenticated changes,
 *     comma separated, e.g. {@code https://kontroler.example.com} [{@code api.allowed.origins}:
 *     none]
 * @param maxStreams live streams (log follows and event streams) open at once in all [{@code
 *     api.streams.max}: 200]
 * @param maxStreamsPerUser live streams one user may hold open at once [{@code
 *     api.streams.per.user}: 10]
 * @param streamQueue events buffered for one event-stream client; a client further behind is
 *     disconnected [{@code api.stream.queue}: 1000]
 * @param streamHeartbeat how often an idle live stream checks that its client is still there
 *     [{@code api.stream.heartbeat}: {@code PT15S}]
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

  public static final SecurityConfig DEFAULT = fromFlat(Map.of());

  public SecurityConfig {
    Objects.requireNonNull(maxTokenTtl, "maxTokenTtl");
    Objects.requireNonNull(loginMaxDelay, "loginMaxDelay");
    Objects.requireNonNull(streamHeartbeat, "streamHeartbeat");
    allowedOrigins =
        Objects.requireNonNullElse(allowedOrigins, List.<String>of()).stream()
            .map(o -> o.trim().toLowerCase(Locale.ROOT))
            .filter(o -> !o.isEmpty())
            .toList();
    if (maxTokenTtl.isNegative()
        || maxTokenTtl.isZero()
        || loginMaxDelay.isNegative()
        || streamHeartbeat.isNegative()
        || streamHeartbeat.isZero()) {
      throw new IllegalArgumentException(
          "Expected positive api.token.max.ttl and api.stream.heartbeat and a non-negative"
              + " api.login.max.delay, but got "
              + maxTokenTtl
              + ", "
              + streamHeartbeat
              + " and "
              + loginMaxDelay);
    }
    if (loginFreeFailures < 1 || maxStreams < 1 || maxStreamsPerUser < 1 || streamQueue < 1) {
      throw new IllegalArgumentException(
          "Expected api.login.max.failures, api.streams.max, api.streams.per.user and"
              + " api.stream.queue >= 1, but got "
              + loginFreeFailures
              + ", "
              + maxStreams
              + ", "
              + maxStreamsPerUser
              + " and "
              + streamQueue);
    }
  }

  /** Reads the keys listed on this type; absent keys take their defaults. */
  public static SecurityConfig fromFlat(Map<String, String> c) {
    String origins = c.getOrDefault("api.allowed.origins", "");
    return new SecurityConfig(
        Duration.parse(c.getOrDefault("api.token.max.ttl", "P30D").trim()),
        Integer.parseInt(c.getOrDefault("api.login.max.failures", "5").trim()),
        Duration.parse(c.getOrDefault("api.login.max.delay", "PT30S").trim()),
        Arrays.asList(origins.split(",")),
        Integer.parseInt(c.getOrDefault("api.streams.max", "200").trim()),
        Integer.parseInt(c.getOrDefault("api.streams.per.user", "10").trim()),
        Integer.parseInt(c.getOrDefault("api.stream.queue", "1000").trim()),
        Duration.parse(c.getOrDefault("api.stream.heartbeat", "PT15S").trim()));
  }

  public SecurityConfig withStreams(int max, int perUser, int queue, Duration heartbeat) {
    return new SecurityConfig(
        maxTokenTtl,
        loginFreeFailures,
        loginMaxDelay,
        allowedOrigins,
        max,
        perUser,
        queue,
        heartbeat);
  }

  public SecurityConfig withLogins(int freeFailures, Duration maxDelay) {
    return new SecurityConfig(
        maxTokenTtl,
        freeFailures,
        maxDelay,
        allowedOrigins,
        maxStreams,
        maxStreamsPerUser,
        streamQueue,
        streamHeartbeat);
  }
}
