package io.kontroler.cli.client;

import java.io.IOException;

/** Single sign-on gave no token; the message says why in words. */
public final class SignInRefused extends IOException {
  SignInRefused(String message) {
    super(message);
  }
}
