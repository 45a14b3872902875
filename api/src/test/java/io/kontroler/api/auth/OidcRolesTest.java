package io.kontroler.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OidcRolesTest {
  private final OidcRoles roles =
      new OidcRoles(
          "groups", List.of("ops"), List.of("dev", "qa"), List.of("staff"), Optional.empty());

  @Test
  void theMostPowerfulListedValueWins() {
    assertThat(roles.roleOf(Map.of("groups", List.of("staff", "dev", "ops")))).contains(Role.admin);
    assertThat(roles.roleOf(Map.of("groups", List.of("staff", "qa")))).contains(Role.editor);
    assertThat(roles.roleOf(Map.of("groups", List.of("staff")))).contains(Role.viewer);
  }

  @Test
  void noListedValueIsNoRoleUnlessAFallbackIsConfigured() {
    assertThat(roles.roleOf(Map.of("groups", List.of("marketing")))).isEmpty();
    assertThat(roles.roleOf(Map.of())).isEmpty();
    OidcRoles lenient =
        new OidcRoles("groups", List.of("ops"), List.of(), List.of(), Optional.of(Role.viewer));
    assertThat(lenient.roleOf(Map.of("groups", List.of("marketing")))).contains(Role.viewer);
  }

  @Test
  void aSingleStringAndANestedClaimAreRead() {
    assertThat(roles.roleOf(Map.of("groups", "dev"))).contains(Role.editor);
    OidcRoles keycloak =
        new OidcRoles("realm_access.roles", List.of("ops"), List.of(), List.of(), Optional.empty());
    assertThat(keycloak.roleOf(Map.of("realm_access", Map.of("roles", List.of("ops")))))
        .contains(Role.admin);
    assertThat(keycloak.roleOf(Map.of("realm_access", "ops"))).isEmpty();
  }

  @Test
  void configurationNeedsAClientIdAndTheOpenidScope() {
    OidcConfig off = OidcConfig.fromFlat(Map.of());
    assertThat(off.enabled()).isFalse();
    assertThat(off.scopes()).containsExactly("openid", "profile", "email");
    assertThat(off.roles().fallback()).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> OidcConfig.fromFlat(Map.of("api.oidc.issuer", "https://idp.example.com")))
        .hasMessageContaining("api.oidc.client-id");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                OidcConfig.fromFlat(
                    Map.of(
                        "api.oidc.issuer", "https://idp.example.com",
                        "api.oidc.client-id", "k",
                        "api.oidc.scopes", "profile email")))
        .hasMessageContaining("openid");
    OidcConfig on =
        OidcConfig.fromFlat(
            Map.of(
                "api.oidc.issuer", "https://idp.example.com/realms/x",
                "api.oidc.client-id", "k",
                "api.oidc.client-secret", "s3cret",
                "api.oidc.roles.default", "viewer"));
    assertThat(on.buttonName()).isEqualTo("idp.example.com");
    assertThat(on.roles().fallback()).contains(Role.viewer);
    assertThat(OidcConfig.TABLE.show("OidcConfig", on)).doesNotContain("s3cret");
  }
}
