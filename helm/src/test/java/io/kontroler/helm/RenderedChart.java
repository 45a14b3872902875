package io.kontroler.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The chart as {@code helm template} renders it with some values set: its Kubernetes objects. */
final class RenderedChart {
  private static final Path CHART = Path.of("kontroler");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RenderedChart() {}

  /** Every object (a document with a {@code kind}) the chart renders with {@code values} set. */
  static List<JsonNode> render(Map<String, String> values) throws IOException {
    var template =
        new Helm(CHART)
            .template()
            .withName("kontroler")
            .withNamespace("kontroler")
            .withKubeVersion("1.30.0");
    values.forEach(template::set);
    String out = template.call();
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(out)) {
      YAML.readValues(parser, JsonNode.class)
          .forEachRemaining(
              n -> {
                if (n != null && !n.isNull() && n.has("kind")) {
                  docs.add(n);
                }
              });
    }
    return docs;
  }
}
