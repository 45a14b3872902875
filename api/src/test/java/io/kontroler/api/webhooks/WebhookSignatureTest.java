package io.kontroler.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  @Test
  void signsTimestampAndBodyWithHmacSha256() {
    // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
    assertThat(WebhookSignature.sign("secret", 1_700_000_000L, "{\"a\":1}"))
        .isEqualTo("sha256=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686");
  }

  @Test
  void verifyRejectsAnotherBodyTimestampOrSecret() {
    String sig = WebhookSignature.sign("secret", 10, "body");
    assertThat(WebhookSignature.verify("secret", 10, "body", sig)).isTrue();
    assertThat(WebhookSignature.verify("secret", 11, "body", sig)).isFalse();
    assertThat(WebhookSignature.verify("secret", 10, "body!", sig)).isFalse();
    assertThat(WebhookSignature.verify("other", 10, "body", sig)).isFalse();
    assertThat(WebhookSignature.verify("secret", 10, "body", null)).isFalse();
  }

  @Test
  void backoffDoublesUpToTenMinutes() {
    Duration first = Duration.ofSeconds(1);
    assertThat(Webhooks.backoff(first, 1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Webhooks.backoff(first, 2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Webhooks.backoff(first, 4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(Webhooks.backoff(first, 30)).isEqualTo(Duration.ofMinutes(10));
  }
}
