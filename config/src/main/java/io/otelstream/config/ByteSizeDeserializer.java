package io.otelstream.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;

final class ByteSizeDeserializer extends JsonDeserializer<ByteSize> {
  @Override
  public ByteSize deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    return ByteSize.parse(p.getValueAsString());
  }
}
