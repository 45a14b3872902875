package io.kontroler.core.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kontroler.core.run.ContainerSpec;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunEvent;
import java.util.List;
import java.util.Map;

/**
 * Fields added to message records in a minor version, written only when they carry something: a
 * record without them encodes exactly as it did before they existed, so that older readers and the
 * golden files see no difference. (Records of {@code core.dag} and the run state say the same with
 * {@code @JsonInclude} on their components; these records' shapes are shared contracts.)
 */
final class AddedFields {
  private AddedFields() {}

  static void register(ObjectMapper mapper) {
    mapper.addMixIn(RunEvent.TaskSucceeded.class, Outputs.class);
    mapper.addMixIn(RunCommand.TaskPhaseChanged.class, Outputs.class);
    mapper.addMixIn(ContainerSpec.class, OutputNames.class);
  }

  private abstract static class Outputs {
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    Map<String, String> outputs;
  }

  private abstract static class OutputNames {
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    List<String> outputs;
  }
}
