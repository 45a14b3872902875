package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kontroler.api.pools.PoolDefinitions;
import io.kontroler.core.message.PoolMessage;
import io.kontroler.core.message.PoolMessage.PoolSlotsSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code api.pools}: the pools declared with the api are set when it starts. */
@ParameterizedClass
@EnumSource(Db.class)
class PoolDefinitionsApiTest extends ApiTestBase {

  PoolDefinitionsApiTest(Db db) {
    super(db);
  }

  @Override
  ApiConfig config() {
    return super.config().with(Map.of("api.pools", " warehouse=2, reporting=4 "));
  }

  @Test
  void eachDeclaredPoolIsSetOnceWhenTheApiStarts() {
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.pools.size() == 2);

    assertThat(publisher.pools)
        .extracting(PoolMessage::pool)
        .containsExactlyInAnyOrder("warehouse", "reporting");
    assertThat(publisher.pools)
        .allSatisfy(
            m -> {
              PoolSlotsSet set = (PoolSlotsSet) m;
              assertThat(set.user()).isEqualTo(PoolDefinitions.USER);
              assertThat(set.at()).isEqualTo(clock.instant());
              assertThat(set.slots()).isEqualTo(set.pool().equals("warehouse") ? 2 : 4);
            });
    assertThat(publisher.poolKeys).containsExactlyInAnyOrder("warehouse", "reporting");
    assertThat(server.routes()).isNotEmpty();
    assertThat(http.get("/api/v1/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void theKeyIsReadAndShownAsWrittenAndAMistakeIsRefusedAtStart() {
    assertThat(config().pools())
        .containsExactly(Map.entry("warehouse", 2), Map.entry("reporting", 4));
    assertThat(ApiConfig.TABLE.flat(config()))
        .containsEntry("api.pools", "warehouse=2,reporting=4");
    assertThat(ApiConfig.defaults(dir).pools()).isEmpty();
    for (String wrong :
        new String[] {"warehouse", "warehouse=x", "warehouse=-1", "a=1,a=2", "-x=1"}) {
      Map<String, String> flat = new HashMap<>(ApiConfig.TABLE.flat(ApiConfig.defaults(dir)));
      flat.put("api.pools", wrong);
      assertThatThrownBy(() -> ApiConfig.fromFlat(flat))
          .as(wrong)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("api.pools")
          .hasMessageContaining("Expected pools as name=slots");
    }
  }
}
