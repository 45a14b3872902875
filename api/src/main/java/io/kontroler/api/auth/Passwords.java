package io.kontroler.api.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing with PBKDF2-HMAC-SHA256 from the JDK: {@code
 * pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64). Verification uses the iterations stored with
 * the hash, so raising the cost later keeps old hashes valid; {@link #needsRehash} tells which
 * hashes are weaker than the configured cost, to be replaced at the user's next login.
 */
public final class Passwords {
  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  private static final String PREFIX = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;

  private final int iterations;
  private final SecureRandom random;

  public Passwords(int iterations, SecureRandom random) {
    this.iterations = iterations;
    this.random = random;
  }

  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX
        + "$"
        + iterations
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(derive(password, salt, iterations));
  }

  /** Whether {@code password} matches {@code stored}, in time independent of where they differ. */
  public boolean matches(String password, String stored) {
    String[] parts = stored == null ? new String[0] : stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return false;
    }
    try {
      int rounds = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      return MessageDigest.isEqual(expected, derive(password, salt, rounds));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether {@code stored} was made with fewer iterations than new hashes get (or is unknown). */
  public boolean needsRehash(String stored) {
    String[] parts = stored == null ? new String[0] : stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return true;
    }
    try {
      return Integer.parseInt(parts[1]) < iterations;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** A random password of 24 URL-safe characters (144 bits). */
  public String generate() {
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] derive(String password, byte[] salt, int rounds) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, rounds, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Expected the JDK to provide " + ALGORITHM, e);
    } finally {
      spec.clearPassword();
    }
  }
}
