package io.otelstream.perf;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Access-log-like log exports: per request one service instance's records, 5% DEBUG, 2% ERROR, 8%
 * WARN and the rest INFO, each with a text body of about 150 bytes and three attributes, timed at
 * the send.
 */
final class LogTemplates implements ExportTemplates {
  private static final int TEMPLATES = 8;

  private final List<byte[]> bodies = new ArrayList<>();
  private final List<TimePatches> times = new ArrayList<>();
  private final int records;

  LogTemplates(LoadOptions o) {
    this.records = o.itemsPerRequest;
    SplittableRandom random = new SplittableRandom(42);
    for (int t = 0; t < TEMPLATES; t++) {
      byte[] body = request(t, o.itemsPerRequest, random).toByteArray();
      bodies.add(body);
      times.add(TimePatches.find(body));
    }
  }

  @Override
  public Body next(SplittableRandom random) {
    int t = random.nextInt(TEMPLATES);
    byte[] body = bodies.get(t).clone();
    times.get(t).apply(body, System.currentTimeMillis() * 1_000_000L);
    return new Body(body, 0);
  }

  @Override
  public int itemsPerRequest() {
    return records;
  }

  @Override
  public int encodedBytes() {
    return bodies.get(0).length;
  }

  private static ExportLogsServiceRequest request(int t, int records, SplittableRandom random) {
    ScopeLogs.Builder scope =
        ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("access"));
    for (int r = 0; r < records; r++) {
      SeverityNumber severity =
          r % 20 == 7
              ? SeverityNumber.SEVERITY_NUMBER_DEBUG
              : r % 50 == 3
                  ? SeverityNumber.SEVERITY_NUMBER_ERROR
                  : r % 12 == 5
                      ? SeverityNumber.SEVERITY_NUMBER_WARN
                      : SeverityNumber.SEVERITY_NUMBER_INFO;
      int status = severity == SeverityNumber.SEVERITY_NUMBER_ERROR ? 500 : 200;
      String route = "/api/orders/" + random.nextInt(100_000);
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(TimePatches.BASE + r * 1000L)
              .setObservedTimeUnixNano(TimePatches.BASE + r * 1000L)
              .setSeverityNumber(severity)
              .setSeverityText(severity.name().substring("SEVERITY_NUMBER_".length()))
              .setBody(
                  AnyValue.newBuilder()
                      .setStringValue(
                          "GET "
                              + route
                              + " "
                              + status
                              + " in "
                              + random.nextInt(1, 900)
                              + " ms client="
                              + random.nextInt(256)
                              + ".12.7."
                              + random.nextInt(256)
                              + " agent=Mozilla/5.0 (X11; Linux x86_64) request_id="
                              + Long.toHexString(random.nextLong())
                              + Long.toHexString(random.nextLong())))
              .addAttributes(OtlpAttributes.string("http.request.method", "GET"))
              .addAttributes(OtlpAttributes.string("http.route", "/api/orders/{id}"))
              .addAttributes(
                  OtlpAttributes.string("http.response.status_code", Integer.toString(status))));
    }
    Resource resource =
        Resource.newBuilder()
            .addAttributes(OtlpAttributes.string("service.name", "shop-" + t % 4))
            .addAttributes(OtlpAttributes.string("service.instance.id", "i-" + t))
            .build();
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource).addScopeLogs(scope))
        .build();
  }
}
