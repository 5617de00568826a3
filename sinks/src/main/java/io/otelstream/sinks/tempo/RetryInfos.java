package io.otelstream.sinks.tempo;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import java.time.Duration;
import java.util.Base64;

/** The RetryInfo delay in a gRPC error's details (the grpc-status-details-bin trailer). */
final class RetryInfos {
  private RetryInfos() {}

  /** The delay the server asked for, or null when it sent no (readable) RetryInfo. */
  static Duration delay(String statusDetailsBin) {
    if (statusDetailsBin == null || statusDetailsBin.isEmpty()) {
      return null;
    }
    try {
      // Binary metadata travels base64-encoded, padding optional.
      Status status = Status.parseFrom(Base64.getDecoder().decode(padded(statusDetailsBin)));
      for (Any detail : status.getDetailsList()) {
        if (detail.is(RetryInfo.class)) {
          com.google.protobuf.Duration d = detail.unpack(RetryInfo.class).getRetryDelay();
          return Duration.ofSeconds(Math.max(0, d.getSeconds()), Math.max(0, d.getNanos()));
        }
      }
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      return null;
    }
    return null;
  }

  private static String padded(String b64) {
    String s = b64.trim();
    return s + "==".substring(0, (4 - s.length() % 4) % 4);
  }
}
