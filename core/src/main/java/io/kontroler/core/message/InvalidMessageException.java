package io.kontroler.core.message;

/** A record that is not a message Kontroler understands; the text says why. */
public final class InvalidMessageException extends Exception {
  public InvalidMessageException(String message) {
    super(message);
  }

  public InvalidMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
