package io.kontroler.api.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery. Headers: {@value #TIMESTAMP} (epoch seconds), {@value
 * #DELIVERY} (the delivery id, the same on every attempt), {@value #EVENT} ({@code taskrun} or
 * {@code dagrun}) and {@value #SIGNATURE}: {@code sha256=<hex>} of HMAC-SHA256 with the DAG's
 * secret over {@code <timestamp>.<delivery>.<event>.<body>}. A receiver recomputes it, compares in
 * constant time, rejects a timestamp too far from its clock (a replay) and drops a delivery id it
 * has seen (a retry of what it already took); none of the signed headers can be swapped unnoticed.
 */
public final class WebhookSignature {
  public static final String TIMESTAMP = "X-Kontroler-Timestamp";
  public static final String SIGNATURE = "X-Kontroler-Signature";
  public static final String DELIVERY = "X-Kontroler-Delivery";
  public static final String EVENT = "X-Kontroler-Event";

  private WebhookSignature() {}

  public static String sign(
      String secret, long timestamp, String delivery, String event, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String signed = timestamp + "." + delivery + "." + event + "." + body;
      return "sha256="
          + HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Expected HmacSHA256 in the JDK", e);
    }
  }

  /** Whether {@code signature} is right for these headers and body, compared in constant time. */
  public static boolean verify(
      String secret, long timestamp, String delivery, String event, String body, String signature) {
    if (signature == null) {
      return false;
    }
    byte[] expected =
        sign(secret, timestamp, delivery, event, body).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
  }
}
