package io.otelstream.streams.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The wire reading of span status codes agrees with protobuf's own decoding, merge rules included.
 */
class SpanStatusWireTest {
  private static final Status ERROR =
      Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).build();
  private static final Status OK =
      Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK).build();
  private static final Status MESSAGE_ONLY = Status.newBuilder().setMessage("m").build();

  @Test
  void agreesWithDecodingForEachCodeAndForRepeatedStatusFields() throws Exception {
    List<List<Status>> cases =
        List.of(
            List.of(),
            List.of(ERROR),
            List.of(OK),
            List.of(MESSAGE_ONLY),
            List.of(ERROR, MESSAGE_ONLY), // merged: the code stays ERROR
            List.of(ERROR, OK), // the last code wins
            List.of(OK, ERROR));
    for (List<Status> statuses : cases) {
      byte[] request = request(span(statuses));
      Status.StatusCode decoded =
          ExportTraceServiceRequest.parseFrom(request)
              .getResourceSpans(0)
              .getScopeSpans(0)
              .getSpans(0)
              .getStatus()
              .getCode();
      for (Status.StatusCode code :
          EnumSet.complementOf(EnumSet.of(Status.StatusCode.UNRECOGNIZED))) {
        assertThat(SpanStatusWire.any(request, Set.of(code)))
            .as("status fields %s, asked for %s", statuses, code)
            .isEqualTo(decoded == code);
      }
    }
  }

  @Test
  void findsAnErrorSpanAmongOthersInAnyResourceAndScope() {
    byte[] request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(named("a", OK))))
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(named("b", OK)))
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .addSpans(named("c", OK))
                            .addSpans(named("d", ERROR))))
            .build()
            .toByteArray();
    assertThat(SpanStatusWire.any(request, Set.of(Status.StatusCode.STATUS_CODE_ERROR))).isTrue();
    assertThat(SpanStatusWire.any(request, Set.of(Status.StatusCode.STATUS_CODE_UNSET))).isFalse();
  }

  private static Span named(String name, Status status) {
    return Span.newBuilder().setName(name).setStatus(status).build();
  }

  /** A span whose status field appears once per entry, as a non-canonical encoder may write it. */
  private static byte[] span(List<Status> statuses) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(
        Span.newBuilder()
            .setName("s")
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .build()
            .toByteArray());
    for (Status s : statuses) {
      out.write(Span.newBuilder().setStatus(s).build().toByteArray());
    }
    return out.toByteArray();
  }

  private static byte[] request(byte[] span) throws Exception {
    ScopeSpans scope = ScopeSpans.newBuilder().addSpans(Span.parseFrom(span)).build();
    // Re-encoding would make the status canonical: splice the raw span bytes in instead.
    ByteArrayOutputStream scopeBytes = new ByteArrayOutputStream();
    com.google.protobuf.CodedOutputStream c =
        com.google.protobuf.CodedOutputStream.newInstance(scopeBytes);
    c.writeByteArray(2, span);
    c.flush();
    assertThat(scope.getSpansCount()).isEqualTo(1);
    ByteArrayOutputStream resourceBytes = new ByteArrayOutputStream();
    c = com.google.protobuf.CodedOutputStream.newInstance(resourceBytes);
    c.writeByteArray(2, scopeBytes.toByteArray());
    c.flush();
    ByteArrayOutputStream requestBytes = new ByteArrayOutputStream();
    c = com.google.protobuf.CodedOutputStream.newInstance(requestBytes);
    c.writeByteArray(1, resourceBytes.toByteArray());
    c.flush();
    return requestBytes.toByteArray();
  }
}
