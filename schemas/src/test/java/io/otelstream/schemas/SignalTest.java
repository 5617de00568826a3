package io.otelstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SignalTest {
  @ParameterizedTest
  @EnumSource(Signal.class)
  void partialSuccessWrittenByTheEdgeIsReadBackByTheSinks(Signal signal) {
    byte[] response = signal.response(7, "7 rejected; first: bad").toByteArray();
    assertThat(signal.partialSuccess(response))
        .isEqualTo(new Signal.PartialSuccess(7, "7 rejected; first: bad"));
    assertThat(signal.response(0, "").toByteArray()).isEmpty();
    assertThat(signal.partialSuccess(new byte[0])).isEqualTo(Signal.PartialSuccess.NONE);
  }

  @Test
  void rejectedItemsLandInTheSignalsOwnField() throws Exception {
    var p =
        ExportMetricsServiceResponse.parseFrom(Signal.METRICS.response(3, "x").toByteArray())
            .getPartialSuccess();
    assertThat(p.getRejectedDataPoints()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(Signal.class)
  void namesPathsAndMethodsFindTheSignal(Signal signal) {
    assertThat(Signal.of(signal.key().toUpperCase())).isSameAs(signal);
    assertThat(Signal.byHttpPath(signal.httpPath())).isSameAs(signal);
    assertThat(Signal.byGrpcMethod(signal.grpcMethod())).isSameAs(signal);
    assertThat(signal.processedTopic()).startsWith(signal.rawTopic() + "-");
  }

  @Test
  void unknownNamesAndPathsAreRefusedOrAbsent() {
    assertThatThrownBy(() -> Signal.of("spans"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("must be traces, metrics or logs, not spans");
    assertThat(Signal.byHttpPath("/v1/profiles")).isNull();
  }

  @Test
  void aRecordValueParsesAsItsSignalsRequest() throws Exception {
    byte[] value = ExportTraceServiceRequest.getDefaultInstance().toByteArray();
    assertThat(Signal.TRACES.parseRequest(value)).isInstanceOf(ExportTraceServiceRequest.class);
    assertThatThrownBy(() -> Signal.LOGS.parseRequest(null))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }
}
