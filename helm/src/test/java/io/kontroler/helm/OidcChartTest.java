package io.kontroler.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kontroler.api.auth.OidcConfig;
import io.kontroler.api.auth.Role;
import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.EnvironmentNames;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on in the chart: the {@code api.oidc} values become the api's {@code api.oidc.*} keys
 * (read back here with the api's own key table), the client secret only ever as a secretKeyRef.
 */
class OidcChartTest {
  private static final Map<String, String> SSO =
      Map.of(
          "api.oidc.issuer", "https://idp.example.com/realms/ops",
          "api.oidc.clientId", "kontroler",
          "api.oidc.clientSecret.existingSecret", "kontroler-oidc",
          "api.oidc.clientSecret.key", "secret",
          "api.oidc.displayName", "Ops SSO",
          "api.oidc.roles.claim", "roles",
          "api.oidc.roles.adminValues[0]", "platform-admins",
          "api.oidc.roles.editorValues[0]", "developers",
          "api.oidc.roles.editorValues[1]", "data-eng",
          "api.oidc.roles.viewerValues[0]", "everyone");

  @Test
  void theValuesBecomeTheApisKeysAndTheSecretComesFromTheSecret() throws IOException {
    List<JsonNode> env = apiEnv(render(SSO));

    Map<String, String> literal = new LinkedHashMap<>();
    JsonNode secretRef = null;
    for (JsonNode e : env) {
      String name = e.path("name").asText();
      if (!name.startsWith("KONTROLER_API_OIDC_")) {
        continue;
      }
      if (e.has("valueFrom")) {
        assertThat(name).isEqualTo(EnvironmentNames.of(OidcConfig.CLIENT_SECRET.name()));
        assertThat(e.has("value")).isFalse();
        secretRef = e.path("valueFrom").path("secretKeyRef");
      } else {
        literal.put(name, e.path("value").asText());
      }
    }
    assertThat(secretRef).isNotNull();
    assertThat(secretRef.path("name").asText()).isEqualTo("kontroler-oidc");
    assertThat(secretRef.path("key").asText()).isEqualTo("secret");

    // every variable is a key of the api, and together they read as the settings meant
    Map<String, String> keys = EnvironmentNames.keys(literal);
    List<String> known = OidcConfig.TABLE.keys().stream().map(ConfigKey::name).toList();
    assertThat(known).containsAll(keys.keySet());
    keys.put(OidcConfig.CLIENT_SECRET.name(), "from-the-secret");
    OidcConfig read = OidcConfig.fromFlat(keys);
    assertThat(read.issuer()).isEqualTo(URI.create("https://idp.example.com/realms/ops"));
    assertThat(read.clientId()).isEqualTo("kontroler");
    assertThat(read.scopes()).containsExactly("openid", "profile", "email");
    assertThat(read.buttonName()).isEqualTo("Ops SSO");
    assertThat(read.roles().claim()).isEqualTo("roles");
    assertThat(read.roles().roleOf(Map.of("roles", List.of("data-eng")))).contains(Role.editor);
    assertThat(read.roles().roleOf(Map.of("roles", List.of("platform-admins", "everyone"))))
        .contains(Role.admin);
    assertThat(read.roles().roleOf(Map.of("roles", List.of("everyone")))).contains(Role.viewer);
    assertThat(read.roles().roleOf(Map.of("roles", List.of("marketing")))).isEmpty();
  }

  @Test
  void withoutAnIssuerNothingOfSingleSignOnIsRendered() throws IOException {
    assertThat(apiEnv(render(Map.of())))
        .noneMatch(e -> e.path("name").asText().startsWith("KONTROLER_API_OIDC_"));
  }

  @Test
  void aPublicClientHasNoSecretVariable() throws IOException {
    Map<String, String> values = new LinkedHashMap<>(SSO);
    values.remove("api.oidc.clientSecret.existingSecret");

    assertThat(apiEnv(render(values)))
        .extracting(e -> e.path("name").asText())
        .contains("KONTROLER_API_OIDC_ISSUER")
        .doesNotContain("KONTROLER_API_OIDC_CLIENT__SECRET");
  }

  @Test
  void aPlainSecretValueIsRefused() {
    Map<String, String> values = new LinkedHashMap<>(SSO);
    values.remove("api.oidc.clientSecret.existingSecret");
    values.remove("api.oidc.clientSecret.key");
    values.put("api.oidc.clientSecret", "plain-text-secret");

    assertThatThrownBy(() -> render(values))
        .hasMessageContaining("the client secret comes from a Secret, never a plain value");
  }

  private static List<JsonNode> apiEnv(List<JsonNode> docs) {
    JsonNode api =
        docs.stream()
            .filter(d -> d.path("kind").asText().equals("Deployment"))
            .filter(d -> d.path("metadata").path("name").asText().equals("kontroler-api"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Deployment kontroler-api"));
    List<JsonNode> env = new ArrayList<>();
    api.path("spec")
        .path("template")
        .path("spec")
        .path("containers")
        .get(0)
        .path("env")
        .forEach(env::add);
    return env;
  }

  private static List<JsonNode> render(Map<String, String> values) throws IOException {
    return RenderedChart.render(values);
  }
}
