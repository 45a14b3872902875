package io.kontroler.core.parse;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kontroler.core.dag.Document;
import io.kontroler.core.dag.Metadata;
import io.kontroler.core.validate.Problem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses YAML (one or several documents) or JSON (an object or an array of objects) into {@link
 * Document}s. Syntax errors are reported with line and column; unknown fields in a spec, and values
 * of the wrong type, are reported with their path.
 */
public final class DocumentParser {
  /**
   * The most characters of a text to parse: a DAG is published as one record on the catalog topic,
   * so its document is bounded well below the topics' record size limit.
   */
  public static final int MAX_TEXT_CHARS = 2 * 1024 * 1024;

  /** The most characters of one document, measured as compact JSON. */
  public static final int MAX_DOCUMENT_CHARS = 512 * 1024;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> TOP_LEVEL =
      Set.of("apiVersion", "kind", "metadata", "spec", "status");

  private DocumentParser() {}

  /** Every document of {@code text}; a syntax error ends the list with a document of problems. */
  public static List<ParsedDocument> parse(String text) {
    if (text.length() > MAX_TEXT_CHARS) {
      String message =
          "text of " + text.length() + " characters is over the limit of " + MAX_TEXT_CHARS;
      return new ArrayList<>(
          List.of(new ParsedDocument(0, null, List.of(new Problem("", message)))));
    }
    List<JsonNode> nodes = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        JsonNode node = it.nextValue();
        if (node == null || node.isNull() || node.isMissingNode()) {
          continue;
        }
        if (node.isArray()) {
          node.forEach(nodes::add);
        } else {
          nodes.add(node);
        }
      }
    } catch (JsonProcessingException e) {
      List<ParsedDocument> result = read(nodes);
      result.add(new ParsedDocument(nodes.size(), null, List.of(syntaxProblem(e))));
      return result;
    } catch (IOException | RuntimeException e) {
      List<ParsedDocument> result = read(nodes);
      result.add(new ParsedDocument(nodes.size(), null, List.of(new Problem("", e.getMessage()))));
      return result;
    }
    return read(nodes);
  }

  /** A single document; more than one is a problem. */
  public static ParsedDocument parseOne(String text) {
    List<ParsedDocument> docs = parse(text);
    if (docs.size() == 1) {
      return docs.get(0);
    }
    String message =
        docs.isEmpty()
            ? "expected one document, but the input is empty"
            : "expected one document, but got " + docs.size();
    return new ParsedDocument(0, null, List.of(new Problem("", message)));
  }

  private static List<ParsedDocument> read(List<JsonNode> nodes) {
    List<ParsedDocument> result = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      result.add(readDocument(i, nodes.get(i)));
    }
    return result;
  }

  static Problem syntaxProblem(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new Problem(where, "syntax error: " + headlines(e.getOriginalMessage()));
  }

  /** The parser's own sentences, without the source excerpt and caret it quotes. */
  private static String headlines(String message) {
    if (message == null) {
      return "";
    }
    return String.join(
        ": ",
        message
            .lines()
            .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
            .toList());
  }

  private static ParsedDocument readDocument(int index, JsonNode node) {
    List<Problem> problems = new ArrayList<>();
    int size = node.toString().length();
    if (size > MAX_DOCUMENT_CHARS) {
      problems.add(
          new Problem(
              "",
              "document of "
                  + size
                  + " characters (as JSON) is over the limit of "
                  + MAX_DOCUMENT_CHARS));
      return new ParsedDocument(index, null, problems);
    }
    NodeReader root = NodeReader.of(node, "", problems);
    if (root == null) {
      return new ParsedDocument(index, null, problems);
    }
    root.allowOnly(TOP_LEVEL);
    String kind = root.string("kind");
    String apiVersion = root.string("apiVersion");
    Metadata metadata = readMetadata(root);
    NodeReader spec = root.object("spec");
    if (kind == null) {
      problems.add(new Problem("kind", "missing: expected DAG, DagTask, DagRun or WorkFlow"));
      return new ParsedDocument(index, null, problems);
    }
    if (spec == null && !root.has("spec")) {
      problems.add(new Problem("spec", "missing"));
      return new ParsedDocument(index, null, problems);
    }
    if (spec == null) {
      return new ParsedDocument(index, null, problems);
    }
    boolean kontrolerKind = Set.of("DAG", "DagTask", "DagRun").contains(kind);
    if (kontrolerKind && !Document.API_VERSION.equals(apiVersion)) {
      problems.add(
          new Problem(
              "apiVersion",
              "expected '" + Document.API_VERSION + "', but got '" + apiVersion + "'"));
    }
    Document document =
        switch (kind) {
          case "DAG" -> new Document.Dag(metadata, SpecReaders.dag(spec));
          case "DagTask" -> new Document.DagTask(metadata, SpecReaders.dagTask(spec));
          case "DagRun" -> new Document.DagRun(metadata, SpecReaders.dagRun(spec));
          case "Workflow", "WorkFlow" ->
              new Document.Workflow(metadata, SpecReaders.workflow(spec), apiVersion);
          default -> {
            problems.add(
                new Problem(
                    "kind", "expected DAG, DagTask, DagRun or WorkFlow, but got '" + kind + "'"));
            yield null;
          }
        };
    return new ParsedDocument(index, document, problems);
  }

  private static Metadata readMetadata(NodeReader root) {
    NodeReader meta = root.object("metadata");
    if (meta == null) {
      return new Metadata("", null, null, null);
    }
    return new Metadata(
        meta.string("name"),
        meta.string("namespace"),
        meta.stringMap("labels"),
        meta.stringMap("annotations"));
  }
}
