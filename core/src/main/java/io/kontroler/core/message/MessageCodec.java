package io.kontroler.core.message;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.kontroler.core.dag.ParameterValue;
import io.kontroler.core.run.RunCommand;
import io.kontroler.core.run.RunEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * JSON for every message on Kontroler's topics: the record's fields plus {@code type} (the record's
 * simple name) and {@code schemaVersion}, the type's own {@link SchemaVersion}. Decoding checks
 * both and says what is wrong: a record of another major version is refused; one of a newer minor
 * version is read with the fields this reader knows, the others ignored; one of a minor version
 * this reader knows must have no unknown field (a typo in a hand-written record is reported, not
 * lost).
 */
public final class MessageCodec {
  /** The major version of every message type today. */
  public static final int SCHEMA_VERSION = 1;

  private static final List<Class<?>> TYPES =
      List.of(
          Inbound.RunRequested.class,
          Inbound.CancelRun.class,
          Inbound.RetryRun.class,
          Inbound.RerunTask.class,
          Inbound.ChildRunEnded.class,
          Inbound.DagSubmitted.class,
          Inbound.DagTaskSubmitted.class,
          Inbound.BackfillRequested.class,
          Inbound.CancelBackfill.class,
          Inbound.PauseRun.class,
          Inbound.ResumeRun.class,
          Inbound.ApproveTask.class,
          Inbound.RejectTask.class,
          Inbound.SlotGranted.class,
          Catalog.DagPublished.class,
          Catalog.DagDeleted.class,
          Catalog.DagTaskPublished.class,
          Catalog.DagPart.class,
          Inbound.DagSubmissionPart.class,
          RunEvent.TaskStarted.class,
          RunEvent.TaskSucceeded.class,
          RunEvent.TaskFailed.class,
          RunEvent.TaskAccepted.class,
          ExecutorHeartbeat.class,
          RunCommand.LaunchTask.class,
          RunCommand.KillTask.class,
          RunCommand.ReleaseRun.class,
          RunCommand.TaskPhaseChanged.class,
          RunCommand.RunPhaseChanged.class,
          RunCommand.RunRejected.class,
          RunCommand.ChildRunLinked.class,
          RunCommand.BackfillProgress.class,
          RunCommand.RunPauseChanged.class,
          RunCommand.TaskApprovalRecorded.class,
          RunCommand.SlaMissed.class,
          RunCommand.TaskWaitingForPool.class,
          PoolMessage.PoolSlotsSet.class,
          PoolMessage.SlotRequested.class,
          PoolMessage.SlotReleased.class,
          PoolMessage.SlotRenewed.class,
          PoolMessage.PoolStatus.class,
          DeadLetter.class);

  /**
   * The version written for each type that has moved past 1.0; add a field, add one to the minor
   * here (and a golden file of the new version); change or remove one, start a new major.
   */
  private static final Map<Class<?>, SchemaVersion> VERSIONS =
      Map.ofEntries(
          // 1.2: parent, on a child run requested by a dagRef task.
          Map.entry(Inbound.RunRequested.class, new SchemaVersion(1, 2)),
          // The workflow language: DAG and DagTask specs gain env, outputs, when, trigger,
          // allowFailure and onExit; outputs travel on TaskSucceeded, TaskPhaseChanged and the
          // launch's container; TaskFailed may say INVALID_OUTPUTS.
          // 1.2 and 1.3: DAG tasks gain forEach, parallelism and dagRef.
          // DagSubmitted 1.3 and DagPublished 1.4: the DAG gains maxActiveRuns.
          // DagSubmitted 1.4 and DagPublished 1.5: DAG tasks gain approval, DAGs gain sla.
          // DagSubmitted 1.5 and DagPublished 1.6: DAG tasks gain pool.
          // DagSubmitted 1.6 and DagPublished 1.7: parts, the count of a split version's parts.
          Map.entry(Inbound.DagSubmitted.class, new SchemaVersion(1, 6)),
          Map.entry(Inbound.DagTaskSubmitted.class, new SchemaVersion(1, 1)),
          Map.entry(Catalog.DagPublished.class, new SchemaVersion(1, 7)),
          Map.entry(Catalog.DagTaskPublished.class, new SchemaVersion(1, 2)),
          Map.entry(RunEvent.TaskSucceeded.class, new SchemaVersion(1, 1)),
          Map.entry(RunEvent.TaskFailed.class, new SchemaVersion(1, 1)),
          Map.entry(RunCommand.LaunchTask.class, new SchemaVersion(1, 1)),
          Map.entry(RunCommand.TaskPhaseChanged.class, new SchemaVersion(1, 1)),
          Map.entry(DeadLetter.class, new SchemaVersion(1, 1)));

  private static final Map<String, Class<?>> BY_NAME = new HashMap<>();

  static {
    TYPES.forEach(t -> BY_NAME.put(t.getSimpleName(), t));
  }

  private static final ObjectMapper MAPPER = mapper();
  private static final ObjectMapper LENIENT =
      mapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final ClassValue<byte[]> HEADERS =
      new ClassValue<>() {
        @Override
        protected byte[] computeValue(Class<?> type) {
          ObjectNode header = MAPPER.createObjectNode();
          header.put("type", type.getSimpleName());
          header.set(SchemaVersion.FIELD, versionOf(type).toJson());
          return HeadedJson.header(MAPPER, header);
        }
      };
  private static final ClassValue<ObjectWriter> WRITERS = perType(MAPPER::writerFor);
  private static final ClassValue<ObjectReader> READERS = perType(MAPPER::readerFor);
  private static final ClassValue<ObjectReader> LENIENT_READERS = perType(LENIENT::readerFor);

  private MessageCodec() {}

  /** One {@code T} per class, made by {@code make} the first time it is asked for. */
  private static <T> ClassValue<T> perType(Function<Class<?>, T> make) {
    return new ClassValue<>() {
      @Override
      protected T computeValue(Class<?> type) {
        return make.apply(type);
      }
    };
  }

  /** The mapper behind the codec: records by their components, ISO-8601 times, no nulls. */
  public static ObjectMapper mapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.registerModule(new JavaTimeModule());
    SimpleModule parameters = new SimpleModule();
    parameters.addSerializer(ParameterValue.class, new ParameterValueSerializer());
    parameters.addDeserializer(ParameterValue.class, new ParameterValueDeserializer());
    parameters.addSerializer(Instant.class, new IsoInstants.Serializer());
    parameters.addDeserializer(Instant.class, new IsoInstants.Deserializer());
    mapper.registerModule(parameters);
    AddedFields.register(mapper);
    mapper.setVisibility(PropertyAccessor.GETTER, Visibility.NONE);
    mapper.setVisibility(PropertyAccessor.IS_GETTER, Visibility.NONE);
    mapper.setVisibility(PropertyAccessor.FIELD, Visibility.ANY);
    mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    return mapper;
  }

  /** The type name written for {@code message}'s class. */
  public static String typeOf(Object message) {
    return message.getClass().getSimpleName();
  }

  /** The message types this codec reads and writes. */
  public static List<Class<?>> types() {
    return TYPES;
  }

  /** The version written for messages of {@code type} (one of {@link #types()}). */
  public static SchemaVersion versionOf(Class<?> type) {
    return VERSIONS.getOrDefault(type, SchemaVersion.V1_0);
  }

  public static byte[] encode(Object message) {
    Class<?> type = message.getClass();
    if (!BY_NAME.containsKey(type.getSimpleName())) {
      throw new IllegalArgumentException("Expected a message type, but got " + typeOf(message));
    }
    try {
      return HeadedJson.write(WRITERS.get(type), HEADERS.get(type), message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Expected a serialisable message, but " + e.getMessage(), e);
    }
  }

  public static String encodeToString(Object message) {
    return new String(encode(message), StandardCharsets.UTF_8);
  }

  /** Decodes any known message. */
  public static Object decode(byte[] bytes) throws InvalidMessageException {
    return decode(bytes, Object.class);
  }

  /** Decodes a message that must be an instance of {@code expected}. */
  public static <T> T decode(byte[] bytes, Class<T> expected) throws InvalidMessageException {
    if (bytes == null) {
      throw new InvalidMessageException("empty record value");
    }
    T message = decodeHeaded(bytes, expected);
    return message != null ? message : decodeTree(bytes, expected);
  }

  /**
   * The one-pass reading of a message as this codec writes it ({@code type} and {@code
   * schemaVersion} first), or null when it is laid out otherwise or does not bind: the tree reading
   * then decides, and names what is wrong.
   */
  private static <T> T decodeHeaded(byte[] bytes, Class<T> expected)
      throws InvalidMessageException {
    try (HeadedJson.Head head = HeadedJson.read(MAPPER, bytes, "type", SchemaVersion.FIELD)) {
      if (head == null || !head.field(0).isTextual()) {
        return null;
      }
      String type = head.field(0).asText();
      Class<?> cls = typeNamed(type, expected);
      boolean newer = writtenVersion(type, cls, head.field(1)).compareTo(versionOf(cls)) > 0;
      return expected.cast(head.bind((newer ? LENIENT_READERS : READERS).get(cls)));
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  private static <T> T decodeTree(byte[] bytes, Class<T> expected) throws InvalidMessageException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidMessageException("not JSON: " + e.getMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidMessageException("expected a JSON object");
    }
    String type = tree.path("type").asText("");
    Class<?> cls = typeNamed(type, expected);
    SchemaVersion written = writtenVersion(type, cls, tree.get(SchemaVersion.FIELD));
    ObjectNode fields = ((ObjectNode) tree).deepCopy();
    fields.remove("type");
    fields.remove(SchemaVersion.FIELD);
    ObjectMapper reader = written.compareTo(versionOf(cls)) > 0 ? LENIENT : MAPPER;
    try {
      return expected.cast(reader.treeToValue(fields, cls));
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidMessageException("invalid " + type + ": " + firstLine(e.getMessage()), e);
    }
  }

  private static Class<?> typeNamed(String type, Class<?> expected) throws InvalidMessageException {
    Class<?> cls = BY_NAME.get(type);
    if (cls == null || !expected.isAssignableFrom(cls)) {
      throw new InvalidMessageException(
          "unknown message type '" + type + "'" + (cls == null ? "" : " on this topic"));
    }
    return cls;
  }

  private static SchemaVersion writtenVersion(String type, Class<?> cls, JsonNode field)
      throws InvalidMessageException {
    SchemaVersion known = versionOf(cls);
    SchemaVersion written = SchemaVersion.parse(field);
    if (written == null || !known.reads(written)) {
      throw new InvalidMessageException(
          "unsupported schemaVersion "
              + (written == null ? field : written)
              + " of "
              + type
              + " (this reader knows "
              + known
              + " and reads every "
              + known.major()
              + ".x; a record of another major version needs a Kontroler that knows it)");
    }
    return written;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  /** A literal is a JSON string; a secret reference is {@code {"fromSecret": "<name>"}}. */
  private static final class ParameterValueSerializer extends JsonSerializer<ParameterValue> {
    @Override
    public void serialize(ParameterValue value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      if (value instanceof ParameterValue.FromSecret s) {
        gen.writeStartObject();
        gen.writeStringField("fromSecret", s.secretName());
        gen.writeEndObject();
      } else {
        gen.writeString(((ParameterValue.Literal) value).value());
      }
    }
  }

  private static final class ParameterValueDeserializer extends JsonDeserializer<ParameterValue> {
    @Override
    public ParameterValue deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonNode node = p.readValueAsTree();
      if (node.isValueNode() && !node.isNull()) {
        return new ParameterValue.Literal(node.asText());
      }
      if (node.isObject() && node.size() == 1 && node.path("fromSecret").isTextual()) {
        return new ParameterValue.FromSecret(node.get("fromSecret").asText());
      }
      throw ctx.weirdStringException(
          node.toString(),
          ParameterValue.class,
          "expected a string or {\"fromSecret\": \"<secret name>\"}");
    }
  }
}
