package io.kontroler.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The UI's files (here a test index.html under /kontroler-ui/) are served as a single-page app. */
@ParameterizedClass
@EnumSource(value = Db.class, names = "SQLITE")
class UiTest extends ApiTestBase {

  UiTest(Db db) {
    super(db);
  }

  @Test
  void servesTheIndexAtRootAndForUnknownPagesButNotForTheApi() {
    HttpResponse<String> root =
        http.send(http.request("/", null).header("Accept", "text/html").GET().build());
    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(root.body()).contains("kontroler-ui-test");

    HttpResponse<String> page =
        http.send(
            http.request("/dags/default/diamond", null)
                .header("Accept", "text/html")
                .GET()
                .build());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("kontroler-ui-test");
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");

    HttpResponse<String> api =
        http.send(
            http.request("/api/v1/nothing-here", null).header("Accept", "text/html").GET().build());
    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(api.body()).contains("errors");
    assertThat(api.headers().firstValue("X-Frame-Options")).contains("DENY");
  }
}
