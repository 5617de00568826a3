package io.otelstream.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExportTemplatesTest {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private static ExportTemplates templates(String... args) {
    LoadOptions o = new LoadOptions();
    new CommandLine(o).parseArgs(args);
    return ExportTemplates.of(o.validated());
  }

  private static void assertNow(long nanos) {
    long now = System.currentTimeMillis() * 1_000_000L;
    assertTrue(Math.abs(now - nanos) < MINUTE, "a time of the send, was " + nanos);
  }

  @Test
  void metricInstancesTakeTurnsWithGrowingCumulativeTotals() throws Exception {
    ExportTemplates t =
        templates("--signal", "metrics", "--instances", "3", "--items-per-request", "5");
    SplittableRandom random = new SplittableRandom(1);
    ExportMetricsServiceRequest[] sent = new ExportMetricsServiceRequest[6];
    for (int i = 0; i < sent.length; i++) {
      sent[i] = ExportMetricsServiceRequest.parseFrom(t.next(random).bytes());
    }
    assertEquals(5, t.itemsPerRequest());
    for (int i = 0; i < sent.length; i++) {
      String instance =
          sent[i].getResourceMetrics(0).getResource().getAttributesList().stream()
              .filter(a -> a.getKey().equals("service.instance.id"))
              .findFirst()
              .orElseThrow()
              .getValue()
              .getStringValue();
      assertEquals("i-" + (i % 3), instance);
    }
    List<NumberDataPoint> first = points(sent[0]);
    List<NumberDataPoint> second = points(sent[3]); // the same instance's next export
    assertEquals(5, first.size());
    for (int p = 0; p < first.size(); p++) {
      assertEquals(2 * first.get(p).getAsInt(), second.get(p).getAsInt());
      assertTrue(first.get(p).getAsInt() > 0);
      assertEquals(first.get(p).getStartTimeUnixNano(), second.get(p).getStartTimeUnixNano());
      assertNow(second.get(p).getTimeUnixNano());
    }
  }

  private static List<NumberDataPoint> points(ExportMetricsServiceRequest r) {
    return r.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSum().getDataPointsList();
  }

  @Test
  void logRecordsAreTimedAtTheSendWithAFewDebugOnes() throws Exception {
    ExportTemplates t = templates("--signal", "logs");
    ExportLogsServiceRequest r =
        ExportLogsServiceRequest.parseFrom(t.next(new SplittableRandom(2)).bytes());
    List<LogRecord> records = r.getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
    assertEquals(100, records.size());
    assertEquals(
        5,
        records.stream()
            .filter(l -> l.getSeverityNumber() == SeverityNumber.SEVERITY_NUMBER_DEBUG)
            .count());
    for (LogRecord l : records) {
      assertNow(l.getTimeUnixNano());
      assertNow(l.getObservedTimeUnixNano());
      assertTrue(l.getBody().getStringValue().startsWith("GET /api/orders/"));
    }
  }

  @Test
  void spansGetFreshTraceIdsAndTheSendTime() throws Exception {
    ExportTemplates t = templates("--traces-per-request", "2", "--spans-per-trace", "3");
    SplittableRandom random = new SplittableRandom(3);
    ExportTraceServiceRequest a = ExportTraceServiceRequest.parseFrom(t.next(random).bytes());
    ExportTraceServiceRequest b = ExportTraceServiceRequest.parseFrom(t.next(random).bytes());
    List<Span> spans = a.getResourceSpans(0).getScopeSpans(0).getSpansList();
    assertEquals(6, spans.size());
    assertEquals(spans.get(0).getTraceId(), spans.get(2).getTraceId());
    assertNotEquals(spans.get(0).getTraceId(), spans.get(3).getTraceId());
    assertNotEquals(
        spans.get(0).getTraceId(), b.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId());
    for (Span s : spans) {
      assertNow(s.getStartTimeUnixNano());
      assertEquals(2_000_000L, s.getEndTimeUnixNano() - s.getStartTimeUnixNano());
    }
  }

  @Test
  void anUnknownSignalIsRefusedByName() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> templates("--signal", "profiles"));
    assertTrue(e.getMessage().contains("--signal must be traces, metrics or logs"));
  }
}
