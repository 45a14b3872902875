package io.kontroler.scheduler.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kontroler.core.message.MessageCodec;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** JSON for the values of the scheduler's state stores, with the message codec's mapper. */
final class JsonSerde<T> implements Serde<T> {
  private static final ObjectMapper MAPPER = MessageCodec.mapper();
  private final Class<T> type;

  JsonSerde(Class<T> type) {
    this.type = type;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      try {
        return MAPPER.writeValueAsBytes(value);
      } catch (IOException e) {
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
      try {
        return MAPPER.readValue(bytes, type);
      } catch (IOException e) {
        throw new SerializationException("Could not read " + type.getSimpleName(), e);
      }
    };
  }
}
