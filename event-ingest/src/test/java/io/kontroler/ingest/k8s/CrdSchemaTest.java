package io.kontroler.ingest.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kontroler.core.dag.DagRunSpec;
import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.dag.DagTaskSpec;
import io.kontroler.core.dag.WorkflowSpec;
import io.kontroler.core.parse.DocumentParser;
import io.kontroler.core.parse.ParsedDocument;
import io.kontroler.core.validate.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRDs in the Helm chart against the Java model and the parser, so neither can drift: every
 * spec field of a record is in the schema and every schema field is a record's; a document with
 * every schema field parses without a problem; every closed object of the schema is closed in the
 * parser too; the seed documents pass the schema.
 */
class CrdSchemaTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Where a record component's YAML name differs from the component's name. */
  private static final Map<String, String> RENAMED = Map.of("DagTaskSpec.description", "name");

  @ParameterizedTest
  @EnumSource(ResourceKind.class)
  void theSpecSchemaHasExactlyTheFieldsOfTheJavaModel(ResourceKind kind) {
    List<String> differences = new ArrayList<>();
    compare(modelOf(kind), Crds.schema(kind, "spec"), "spec", differences);
    assertThat(differences).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ResourceKind.class)
  void aDocumentWithEverySchemaFieldParsesWithoutProblems(ResourceKind kind) {
    Map<String, Object> spec = sample(Crds.schema(kind, "spec"));

    ParsedDocument parsed = parse(kind, spec);

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.document()).isNotNull();
  }

  @ParameterizedTest
  @EnumSource(ResourceKind.class)
  void everyClosedObjectOfTheSchemaIsClosedInTheParser(ResourceKind kind) {
    Map<String, Object> schema = Crds.schema(kind, "spec");
    List<String> paths = closedObjectPaths(schema, "spec");
    assertThat(paths).isNotEmpty();
    for (String path : paths) {
      Map<String, Object> spec = sample(schema);
      putUnknownField(spec, path.substring("spec".length()));

      List<Problem> problems = parse(kind, spec).problems();

      assertThat(problems)
          .as("a field unknown to the schema at %s", path)
          .anyMatch(p -> p.message().startsWith("unknown field 'bogus'"));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dagtask.yaml",
        "dag-taskref.yaml",
        "dag-scheduled.yaml",
        "dagrun.yaml",
        "workflow.yaml"
      })
  void theSeedDocumentsPassTheSchemaAndTheParser(String file) throws IOException {
    String text = seed(file);
    Map<String, Object> document = YAML.readValue(text, Map.class);
    ResourceKind kind = kindOf((String) document.get("kind"));

    assertThat(SchemaCheck.problems(document.get("spec"), Crds.schema(kind, "spec"))).isEmpty();
    assertThat(DocumentParser.parseOne(text).problems()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ResourceKind.class)
  @SuppressWarnings("unchecked")
  void everyCrdHasTheStatusSubresourceAndPrinterColumnsOnItsStatus(ResourceKind kind) {
    Map<String, Object> version = Crds.version(kind);
    Map<String, Object> names =
        (Map<String, Object>) ((Map<String, Object>) Crds.crd(kind).get("spec")).get("names");
    assertThat(names).containsEntry("kind", kind.kind()).containsEntry("plural", kind.plural());
    assertThat((Map<String, Object>) version.get("subresources")).containsKey("status");
    List<Map<String, Object>> columns =
        (List<Map<String, Object>>) version.get("additionalPrinterColumns");
    assertThat(columns).extracting(c -> c.get("name")).contains("Age");
    Map<String, Object> status = Crds.schema(kind, "status");
    for (Map<String, Object> column : columns) {
      String path = (String) column.get("jsonPath");
      if (path.startsWith(".status.")) {
        Map<String, Object> node = status;
        for (String field : path.substring(".status.".length()).split("\\.")) {
          assertThat(Crds.properties(node)).as(kind + " column " + path).containsKey(field);
          node = Crds.properties(node).get(field);
        }
      }
    }
    if (kind == ResourceKind.DAG_RUN) {
      assertThat(columns).extracting(c -> c.get("name")).contains("Phase", "Progress");
    }
    if (kind == ResourceKind.DAG) {
      assertThat(columns)
          .extracting(c -> c.get("jsonPath"))
          .contains(".status.lastRun.phase", ".status.version");
    }
  }

  static String seed(String file) throws IOException {
    try (InputStream in = CrdSchemaTest.class.getResourceAsStream("/seed/" + file)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static ResourceKind kindOf(String kind) {
    return Arrays.stream(ResourceKind.values())
        .filter(k -> k.kind().equals(kind))
        .findFirst()
        .orElseThrow();
  }

  private static Class<?> modelOf(ResourceKind kind) {
    return switch (kind) {
      case DAG -> DagSpec.class;
      case DAG_TASK -> DagTaskSpec.class;
      case DAG_RUN -> DagRunSpec.class;
      case WORKFLOW -> WorkflowSpec.class;
    };
  }

  private static ParsedDocument parse(ResourceKind kind, Map<String, Object> spec) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("apiVersion", ResourceKind.GROUP + "/" + ResourceKind.VERSION);
    document.put("kind", kind.kind());
    document.put("metadata", Map.of("name", "sample"));
    document.put("spec", spec);
    try {
      return DocumentParser.parseOne(YAML.writeValueAsString(document));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compares a record's components with a schema object's properties, recursively. */
  private static void compare(Type type, Map<String, Object> schema, String at, List<String> out) {
    Class<?> raw = raw(type);
    if (List.class.isAssignableFrom(raw)) {
      if (!"array".equals(schema.get("type"))) {
        out.add(at + ": a list in Java, " + schema.get("type") + " in the schema");
        return;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> items = (Map<String, Object>) schema.get("items");
      compare(((ParameterizedType) type).getActualTypeArguments()[0], items, at + "[]", out);
      return;
    }
    if (raw.isRecord()) {
      Set<String> javaFields = new TreeSet<>();
      for (RecordComponent c : raw.getRecordComponents()) {
        String name = RENAMED.getOrDefault(raw.getSimpleName() + "." + c.getName(), c.getName());
        javaFields.add(name);
        Map<String, Object> child = Crds.properties(schema).get(name);
        if (child == null) {
          out.add(at + "." + name + ": in the Java model, not in the schema");
        } else {
          compare(c.getGenericType(), child, at + "." + name, out);
        }
      }
      for (String name : Crds.properties(schema).keySet()) {
        if (!javaFields.contains(name)) {
          out.add(at + "." + name + ": in the schema, not in the Java model");
        }
      }
      return;
    }
    if (raw == Object.class && schema.get("type") == null && Crds.open(schema)) {
      return; // any JSON value (forEach: a list or a template string), as Kubernetes allows
    }
    String expected = scalarType(raw);
    if (!expected.equals(schema.get("type"))) {
      out.add(
          at + ": " + raw.getSimpleName() + " in Java, " + schema.get("type") + " in the schema");
    }
    if (raw == Object.class && !Crds.open(schema)) {
      out.add(at + ": a free-form tree in Java, a closed object in the schema");
    }
    if (raw.isEnum()) {
      List<String> values = Arrays.stream(raw.getEnumConstants()).map(Object::toString).toList();
      if (!values.equals(schema.get("enum"))) {
        out.add(at + ": enum " + values + " in Java, " + schema.get("enum") + " in the schema");
      }
    }
  }

  private static String scalarType(Class<?> raw) {
    if (raw == String.class || raw.isEnum()) {
      return "string";
    }
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
      return "integer";
    }
    if (raw == double.class || raw == Double.class) {
      return "number";
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return "boolean";
    }
    if (Map.class.isAssignableFrom(raw) || raw == Object.class) {
      return "object";
    }
    return "unmapped " + raw.getName();
  }

  private static Class<?> raw(Type type) {
    return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
  }

  /** A value with every field of the schema set. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> sample(Map<String, Object> schema) {
    return (Map<String, Object>) sampleValue(schema);
  }

  @SuppressWarnings("unchecked")
  private static Object sampleValue(Map<String, Object> schema) {
    if (schema.get("type") == null) {
      return new ArrayList<>(List.of("a", "b")); // any JSON value: a list is one
    }
    switch ((String) schema.get("type")) {
      case "object" -> {
        Map<String, Object> value = new LinkedHashMap<>();
        Crds.properties(schema).forEach((k, v) -> value.put(k, sampleValue(v)));
        if (value.isEmpty()) {
          value.put("key", "value");
        }
        return value;
      }
      case "array" -> {
        return new ArrayList<>(List.of(sampleValue((Map<String, Object>) schema.get("items"))));
      }
      case "integer" -> {
        return 1;
      }
      case "number" -> {
        return 1.5;
      }
      case "boolean" -> {
        return true;
      }
      default -> {
        List<String> values = (List<String>) schema.get("enum");
        return values == null ? "x" : values.get(0);
      }
    }
  }

  /** Paths (with {@code []} for list items) of the objects that accept only their properties. */
  @SuppressWarnings("unchecked")
  private static List<String> closedObjectPaths(Map<String, Object> schema, String at) {
    List<String> paths = new ArrayList<>();
    if ("array".equals(schema.get("type"))) {
      paths.addAll(closedObjectPaths((Map<String, Object>) schema.get("items"), at + "[]"));
    } else if ("object".equals(schema.get("type")) && !Crds.open(schema)) {
      paths.add(at);
      Crds.properties(schema).forEach((k, v) -> paths.addAll(closedObjectPaths(v, at + "." + k)));
    }
    return paths;
  }

  @SuppressWarnings("unchecked")
  private static void putUnknownField(Map<String, Object> spec, String path) {
    Object node = spec;
    for (String part : path.split("\\.")) {
      if (part.isEmpty()) {
        continue;
      }
      boolean item = part.endsWith("[]");
      String name = item ? part.substring(0, part.length() - 2) : part;
      node = ((Map<String, Object>) node).get(name);
      if (item) {
        node = ((List<Object>) node).get(0);
      }
    }
    ((Map<String, Object>) node).put("bogus", "x");
  }
}
