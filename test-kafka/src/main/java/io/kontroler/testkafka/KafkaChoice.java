package io.kontroler.testkafka;

import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Which broker the integration tests get: the official Kafka image through Testcontainers where a
 * Docker engine answers, the in-process KRaft broker otherwise. {@value #VARIABLE} decides instead
 * when set: {@code testcontainers} or {@code in-process}.
 */
public enum KafkaChoice {
  TESTCONTAINERS,
  IN_PROCESS;

  /** The environment variable that overrides the choice. */
  public static final String VARIABLE = "KONTROLER_TEST_KAFKA";

  /**
   * The choice for an environment and a Docker engine that may or may not answer ({@code
   * dockerAvailable} is asked only when the environment leaves the choice open).
   *
   * @throws IllegalArgumentException when {@value #VARIABLE} holds something else
   */
  public static KafkaChoice decide(Map<String, String> env, BooleanSupplier dockerAvailable) {
    String asked = env.getOrDefault(VARIABLE, "").strip().toLowerCase(Locale.ROOT);
    return switch (asked) {
      case "testcontainers" -> TESTCONTAINERS;
      case "in-process", "embedded" -> IN_PROCESS;
      case "" -> dockerAvailable.getAsBoolean() ? TESTCONTAINERS : IN_PROCESS;
      default ->
          throw new IllegalArgumentException(
              "Expected "
                  + VARIABLE
                  + " to be testcontainers or in-process, but got '"
                  + env.get(VARIABLE)
                  + "'");
    };
  }
}
