package io.kontroler.cli;

import io.kontroler.core.parse.DocumentParser;
import io.kontroler.core.parse.ParsedDocument;
import io.kontroler.core.validate.DagTaskCatalog;
import io.kontroler.core.validate.DocumentSetValidator;
import io.kontroler.core.validate.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Validates DAG, DagTask, DagRun and WorkFlow documents offline. DagTasks in the same files satisfy
 * the DAGs' taskRefs. Exit 0 when every document is valid, 1 when any is not, 2 on usage errors.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Validate resource files; print every problem on its own line.")
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE",
      description = "A YAML or JSON file with one or more documents; repeatable.")
  List<Path> files = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<ParsedDocument> all = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        err.println(file + ": cannot read: " + e.getMessage());
        return 2;
      }
      for (ParsedDocument doc : DocumentParser.parse(text)) {
        all.add(doc);
        sources.add(file.toString());
      }
    }
    var results = DocumentSetValidator.validate(all, DagTaskCatalog.EMPTY);
    int invalid = 0;
    for (int i = 0; i < results.size(); i++) {
      var result = results.get(i);
      String where = sources.get(i) + " " + describe(result.parsed());
      if (result.ok()) {
        out.println(where + ": valid");
        continue;
      }
      invalid++;
      for (Problem p : result.problems()) {
        out.println(where + ": " + p);
      }
    }
    out.println(results.size() - invalid + " valid, " + invalid + " invalid");
    return invalid == 0 ? 0 : 1;
  }

  private static String describe(ParsedDocument doc) {
    String position = "document " + (doc.index() + 1);
    if (doc.document() == null) {
      return position;
    }
    return position + " (" + doc.document().kind() + " " + doc.document().metadata().name() + ")";
  }
}
