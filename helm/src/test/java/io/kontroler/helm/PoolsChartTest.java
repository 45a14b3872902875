package io.kontroler.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.api.ApiConfig;
import io.kontroler.core.config.EnvironmentNames;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Shared pools in the chart: the {@code pools} value (name: slots) becomes the api's {@code
 * api.pools} key, read back here with the api's own key table.
 */
class PoolsChartTest {

  @Test
  void thePoolsValueBecomesTheApisPoolsKey() throws IOException {
    Map<String, String> env =
        apiEnv(render(Map.of("pools.warehouse", "2", "pools.reporting", "4", "pools.idle", "0")));

    String variable = EnvironmentNames.of(ApiConfig.POOLS.name());
    assertThat(env).containsKey(variable);
    Map<String, String> keys = EnvironmentNames.keys(Map.of(variable, env.get(variable)));
    assertThat(ApiConfig.POOLS.type().parse(keys.get("api.pools")))
        .containsExactly(
            Map.entry("idle", 0), Map.entry("reporting", 4), Map.entry("warehouse", 2));
  }

  @Test
  void withoutPoolsNoVariableIsRendered() throws IOException {
    assertThat(apiEnv(render(Map.of()))).doesNotContainKey("KONTROLER_API_POOLS");
  }

  @Test
  void aNegativeOrNonNumericSlotCountIsRefused() {
    assertThatThrownBy(() -> render(Map.of("pools.warehouse", "-1")))
        .hasMessageContaining("pools.warehouse: expected 0 to 10000 slots, but got -1");
    assertThatThrownBy(() -> render(Map.of("pools.warehouse", "two")))
        .hasMessageContaining("pools.warehouse: expected a number of slots, but got two");
  }

  private static Map<String, String> apiEnv(List<JsonNode> docs) {
    JsonNode api =
        docs.stream()
            .filter(d -> d.path("kind").asText().equals("Deployment"))
            .filter(d -> d.path("metadata").path("name").asText().equals("kontroler-api"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Deployment kontroler-api"));
    Map<String, String> env = new LinkedHashMap<>();
    api.path("spec")
        .path("template")
        .path("spec")
        .path("containers")
        .get(0)
        .path("env")
        .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    return env;
  }

  private static List<JsonNode> render(Map<String, String> values) throws IOException {
    return RenderedChart.render(values);
  }
}
