package io.kontroler.core.message;

import java.time.Instant;

/** A record that could not be processed, as published on {@code kontroler.dead-letters}. */
public record DeadLetter(
    String reason,
    String sourceTopic,
    int partition,
    long offset,
    String key,
    String value,
    Instant at) {}
