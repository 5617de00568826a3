package io.otelstream.sinks;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP export requests as the OTLP sinks send them (responses: {@link
 * io.otelstream.schemas.Signal}).
 */
public final class OtlpRequests {
  private OtlpRequests() {}

  /**
   * One request per tenant ("" for none) built from the record values as they are: concatenated
   * protobuf messages merge their repeated fields, so no record is decoded and encoded again.
   */
  public static Map<String, byte[]> byTenant(List<BatchingSinkTask.Item> batch) {
    Map<String, ByteArrayOutputStream> merged = new LinkedHashMap<>();
    for (BatchingSinkTask.Item item : batch) {
      merged
          .computeIfAbsent(item.tenant(), t -> new ByteArrayOutputStream())
          .writeBytes((byte[]) item.record().value());
    }
    Map<String, byte[]> requests = new LinkedHashMap<>();
    merged.forEach((tenant, bytes) -> requests.put(tenant, bytes.toByteArray()));
    return requests;
  }
}
