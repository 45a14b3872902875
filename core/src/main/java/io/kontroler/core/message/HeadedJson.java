package io.kontroler.core.message;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * JSON objects whose first fields are a header ({@code type}, {@code schemaVersion}) ahead of a
 * record's own fields, written and read in one pass: the record is written once and the header
 * spliced in front of its fields; reading takes the header off the front of the stream and binds
 * the rest straight to the record. An object laid out otherwise (fields in another order, as a
 * hand-written record may be) is left to the caller's general reading of the whole tree.
 */
public final class HeadedJson {
  private HeadedJson() {}

  /** The opening of an object with {@code fields} (not empty), to pass to {@link #write}. */
  public static byte[] header(ObjectMapper mapper, ObjectNode fields) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("Expected header fields, but got none");
    }
    try {
      byte[] whole = mapper.writeValueAsBytes(fields);
      byte[] open = new byte[whole.length - 1];
      System.arraycopy(whole, 0, open, 0, open.length);
      return open;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Expected writable header fields: " + e.getMessage(), e);
    }
  }

  /**
   * The object of {@code header}'s fields followed by {@code value}'s own fields, written by {@code
   * writer} (one made for the value's type, so that its serializer is found once).
   */
  public static byte[] write(ObjectWriter writer, byte[] header, Object value)
      throws JsonProcessingException {
    byte[] body = writer.writeValueAsBytes(value);
    if (body.length < 2 || body[0] != '{' || body[body.length - 1] != '}') {
      throw new IllegalArgumentException(
          "Expected " + value.getClass().getSimpleName() + " to be written as a JSON object");
    }
    boolean empty = body.length == 2;
    byte[] out = new byte[header.length + (empty ? 1 : body.length)];
    System.arraycopy(header, 0, out, 0, header.length);
    if (empty) {
      out[header.length] = '}';
    } else {
      out[header.length] = ',';
      System.arraycopy(body, 1, out, header.length + 1, body.length - 1);
    }
    return out;
  }

  /**
   * The header of {@code bytes} when the object starts with exactly the fields {@code names}, in
   * that order, followed by at least one more field; its parser then stands on that field, ready to
   * bind the rest. Null when the object is laid out otherwise or is not JSON: the caller reads it
   * the general way, which also says what is wrong.
   */
  public static Head read(ObjectMapper mapper, byte[] bytes, String... names) throws IOException {
    JsonParser parser = mapper.createParser(bytes);
    try {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        parser.close();
        return null;
      }
      JsonNode[] values = new JsonNode[names.length];
      for (int i = 0; i < names.length; i++) {
        if (parser.nextToken() != JsonToken.FIELD_NAME || !names[i].equals(parser.currentName())) {
          parser.close();
          return null;
        }
        parser.nextToken();
        values[i] = parser.readValueAsTree();
      }
      if (parser.nextToken() != JsonToken.FIELD_NAME) {
        parser.close();
        return null;
      }
      return new Head(values, parser);
    } catch (IOException e) {
      parser.close();
      return null;
    }
  }

  /** The header fields read off the front of an object, and a parser on its remaining fields. */
  public static final class Head implements AutoCloseable {
    private final JsonNode[] values;
    private final JsonParser rest;

    private Head(JsonNode[] values, JsonParser rest) {
      this.values = values;
      this.rest = rest;
    }

    /** The value of the {@code i}th header field. */
    public JsonNode field(int i) {
      return values[i];
    }

    /** Binds the remaining fields with {@code reader} (one made for the record's type). */
    public <T> T bind(ObjectReader reader) throws IOException {
      return reader.readValue(rest);
    }

    @Override
    public void close() throws IOException {
      rest.close();
    }
  }
}
