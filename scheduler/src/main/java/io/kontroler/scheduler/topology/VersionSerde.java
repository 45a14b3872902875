package io.kontroler.scheduler.topology;

import io.kontroler.core.dag.DagSpec;
import io.kontroler.core.message.Catalog;
import io.kontroler.core.message.InvalidMessageException;
import io.kontroler.core.message.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Values of the {@code dag-versions} store: the catalog records of a version ({@link
 * Catalog.DagPublished} heads, whole or with parts, and {@link Catalog.DagPart}s), as the message
 * codec writes them, each of bounded size. A value written before versions were split is a whole
 * {@link DagSpec} of the store's own JSON ({@code legacy}); it reads as a head without a DAG name
 * or number (the key has them).
 */
final class VersionSerde implements Serde<Catalog> {
  private static final byte[] MESSAGE = "{\"type\":".getBytes(StandardCharsets.UTF_8);
  private final JsonSerde<DagSpec> legacy;

  VersionSerde(JsonSerde<DagSpec> legacy) {
    this.legacy = legacy;
  }

  @Override
  public Serializer<Catalog> serializer() {
    return (topic, value) -> value == null ? null : MessageCodec.encode(value);
  }

  @Override
  public Deserializer<Catalog> deserializer() {
    Deserializer<DagSpec> specs = legacy.deserializer();
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (bytes.length < MESSAGE.length
          || !Arrays.equals(bytes, 0, MESSAGE.length, MESSAGE, 0, MESSAGE.length)) {
        return new Catalog.DagPublished(null, 0, specs.deserialize(topic, bytes), null);
      }
      try {
        return MessageCodec.decode(bytes, Catalog.class);
      } catch (InvalidMessageException e) {
        throw new SerializationException("Could not read a DAG version: " + e.getMessage(), e);
      }
    };
  }
}
