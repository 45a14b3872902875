package io.kontroler.scheduler.topology;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kontroler.core.message.HeadedJson;
import io.kontroler.core.message.MessageCodec;
import io.kontroler.core.message.SchemaVersion;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON for the values of the scheduler's state stores, with the message codec's mapper. Each value
 * carries its type's {@link SchemaVersion} in a {@code schemaVersion} field, as messages do: a
 * value without one was written before store values were versioned and reads as 1.0; one of a newer
 * minor version (written by a newer scheduler before a rollback) is read ignoring the fields this
 * one does not know; one of another major is refused, naming both versions.
 */
final class JsonSerde<T> implements Serde<T> {
  private static final ObjectMapper MAPPER = MessageCodec.mapper();
  private static final ObjectMapper LENIENT =
      MessageCodec.mapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final Class<T> type;
  private final SchemaVersion version;
  private final byte[] header;
  private final ObjectWriter writer;
  private final ObjectReader reader;
  private final ObjectReader lenientReader;

  JsonSerde(Class<T> type) {
    this(type, SchemaVersion.V1_0);
  }

  JsonSerde(Class<T> type, SchemaVersion version) {
    this.type = type;
    this.version = version;
    ObjectNode fields = MAPPER.createObjectNode();
    fields.set(SchemaVersion.FIELD, version.toJson());
    this.header = HeadedJson.header(MAPPER, fields);
    this.writer = MAPPER.writerFor(type);
    this.reader = MAPPER.readerFor(type);
    this.lenientReader = LENIENT.readerFor(type);
  }

  Class<T> type() {
    return type;
  }

  SchemaVersion version() {
    return version;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      try {
        return HeadedJson.write(writer, header, value);
      } catch (IOException | IllegalArgumentException e) {
        throw new SerializationException("Could not write " + type.getSimpleName(), e);
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      T value = readHeaded(bytes);
      return value != null ? value : readTree(bytes);
    };
  }

  /**
   * The one-pass reading of a value as this serde writes it ({@code schemaVersion} first), or null
   * when it is laid out otherwise or does not bind: the tree reading then decides.
   */
  private T readHeaded(byte[] bytes) {
    try (HeadedJson.Head head = HeadedJson.read(MAPPER, bytes, SchemaVersion.FIELD)) {
      if (head == null) {
        return null;
      }
      SchemaVersion written = SchemaVersion.parse(head.field(0));
      if (written == null || !version.reads(written)) {
        return null;
      }
      return head.bind(written.compareTo(version) > 0 ? lenientReader : reader);
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  private T readTree(byte[] bytes) {
    try {
      JsonNode tree = MAPPER.readTree(bytes);
      if (!(tree instanceof ObjectNode fields)) {
        throw new SerializationException(
            "Expected a JSON object for a " + type.getSimpleName() + ", but got " + tree);
      }
      JsonNode versionNode = fields.remove(SchemaVersion.FIELD);
      SchemaVersion written =
          versionNode == null ? SchemaVersion.V1_0 : SchemaVersion.parse(versionNode);
      if (written == null || !version.reads(written)) {
        throw new SerializationException(
            "Expected a "
                + type.getSimpleName()
                + " store value of version "
                + version.major()
                + ".x, but got version "
                + (written == null ? versionNode : written)
                + ": it was written by a scheduler of another major version");
      }
      ObjectMapper reader = written.compareTo(version) > 0 ? LENIENT : MAPPER;
      return reader.treeToValue(fields, type);
    } catch (IOException | IllegalArgumentException e) {
      throw new SerializationException(
          "Could not read a " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
