package io.kontroler.api.auth;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.time.Duration;
import java.util.Optional;

/**
 * The one-time codes a command-line sign-in receives on its loopback address: each names the user
 * the provider vouched for, is bound to the PKCE challenge the command line sent when it started,
 * lives {@link #TTL}, and is spent by its first redemption with the matching verifier. They are
 * kept in the history database with the tokens ({@link Accounts#issueCode}), so any api replica
 * redeems a code another issued.
 */
final class LoopbackCodes {
  static final Duration TTL = Duration.ofSeconds(60);
  static final String NAME = "command-line sign-in code";

  private final Accounts accounts;

  LoopbackCodes(Accounts accounts) {
    this.accounts = accounts;
  }

  /** A new code for {@code username}, redeemable once with the verifier of {@code challenge}. */
  String issue(String username, String challenge) {
    return accounts.issueCode(username, NAME, challenge, TTL);
  }

  /** The user of {@code code} if it is known, unexpired, unused and of this verifier; spent. */
  Optional<String> redeem(String code, String verifier) {
    if (verifier == null) {
      return Optional.empty();
    }
    String challenge;
    try {
      challenge =
          CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue();
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not a PKCE verifier at all
    }
    return accounts.redeemCode(code, challenge);
  }
}
