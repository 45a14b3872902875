package io.kontroler.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  @Test
  void signsTimestampDeliveryEventAndBodyWithHmacSha256() {
    // printf '1700000000.d-1.taskrun.{"a":1}' | openssl dgst -sha256 -hmac secret
    assertThat(WebhookSignature.sign("secret", 1_700_000_000L, "d-1", "taskrun", "{\"a\":1}"))
        .isEqualTo("sha256=ec673e724800bd296ebee010877ba40e0601b03e68cd0fedfb4f312af1030400");
  }

  @Test
  void verifyRejectsAnotherBodyTimestampDeliveryEventOrSecret() {
    String sig = WebhookSignature.sign("secret", 10, "d-1", "taskrun", "body");
    assertThat(WebhookSignature.verify("secret", 10, "d-1", "taskrun", "body", sig)).isTrue();
    assertThat(WebhookSignature.verify("secret", 11, "d-1", "taskrun", "body", sig)).isFalse();
    assertThat(WebhookSignature.verify("secret", 10, "d-2", "taskrun", "body", sig)).isFalse();
    assertThat(WebhookSignature.verify("secret", 10, "d-1", "dagrun", "body", sig)).isFalse();
    assertThat(WebhookSignature.verify("secret", 10, "d-1", "taskrun", "body!", sig)).isFalse();
    assertThat(WebhookSignature.verify("other", 10, "d-1", "taskrun", "body", sig)).isFalse();
    assertThat(WebhookSignature.verify("secret", 10, "d-1", "taskrun", "body", null)).isFalse();
  }

  @Test
  void backoffDoublesUpToTenMinutes() {
    Duration first = Duration.ofSeconds(1);
    assertThat(Webhooks.backoff(first, 1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Webhooks.backoff(first, 2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Webhooks.backoff(first, 4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(Webhooks.backoff(first, 30)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void theRetryPolicyGivesUpAfterItsLastAttempt() {
    var policy = Webhooks.retries(Duration.ofSeconds(5), 3);
    assertThat(Webhooks.nextDelay(policy, 1)).contains(Duration.ofSeconds(5));
    assertThat(Webhooks.nextDelay(policy, 2)).contains(Duration.ofSeconds(10));
    assertThat(Webhooks.nextDelay(policy, 3)).isEmpty();
    assertThat(Webhooks.nextDelay(Webhooks.retries(Duration.ofMinutes(20), 5), 1))
        .contains(Duration.ofMinutes(10));
  }
}
