package io.otelstream.perf;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pre-encoded trace export requests whose trace IDs and times are patched in place per request, so
 * generating load costs a copy and a few writes, not an encode.
 */
final class RequestTemplates implements ExportTemplates {
  private static final long MARKER = 0x4f54535452414345L; // "OTSTRACE"
  private static final int TEMPLATES = 8;

  private final List<byte[]> bodies = new ArrayList<>();
  private final List<int[]> traceIdOffsets = new ArrayList<>();
  private final List<TimePatches> times = new ArrayList<>();
  private final List<Integer> errorSpans = new ArrayList<>();
  private final int spansPerRequest;

  RequestTemplates(LoadOptions o) {
    SplittableRandom random = new SplittableRandom(42);
    for (int t = 0; t < TEMPLATES; t++) {
      ExportTraceServiceRequest request =
          o.topology.equals("services") ? services(o, random) : build(o, random);
      byte[] body = request.toByteArray();
      errorSpans.add(errorSpans(request));
      bodies.add(body);
      traceIdOffsets.add(offsets(body, o.tracesPerRequest));
      times.add(TimePatches.find(body));
    }
    this.spansPerRequest = o.spansPerRequest();
  }

  @Override
  public int itemsPerRequest() {
    return spansPerRequest;
  }

  @Override
  public int encodedBytes() {
    return bodies.get(0).length;
  }

  /** A fresh request body with new random trace IDs, its spans starting now. */
  @Override
  public Body next(SplittableRandom random) {
    int t = random.nextInt(TEMPLATES);
    byte[] body = bodies.get(t).clone();
    int[] offsets = traceIdOffsets.get(t);
    int traces = offsets.length / 2 == 0 ? 0 : maxTrace(offsets) + 1;
    long[] hi = new long[traces];
    long[] lo = new long[traces];
    for (int i = 0; i < traces; i++) {
      hi[i] = random.nextLong() | 1L;
      lo[i] = random.nextLong();
    }
    ByteBuffer buf = ByteBuffer.wrap(body);
    for (int i = 0; i < offsets.length; i += 2) {
      buf.putLong(offsets[i], hi[offsets[i + 1]]);
      buf.putLong(offsets[i] + 8, lo[offsets[i + 1]]);
    }
    times.get(t).apply(body, System.currentTimeMillis() * 1_000_000L);
    return new Body(body, errorSpans.get(t));
  }

  private static int errorSpans(ExportTraceServiceRequest request) {
    int n = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          if (s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
            n++;
          }
        }
      }
    }
    return n;
  }

  /**
   * A small service topology per trace: web's server span (a root: called by a user) and its client
   * span to checkout; checkout's server span (the error, when there is one) and its client span to
   * postgresql, which is not instrumented (a virtual node named by db.system).
   */
  private static ExportTraceServiceRequest services(LoadOptions o, SplittableRandom random) {
    long now = TimePatches.BASE;
    ScopeSpans.Builder web = ScopeSpans.newBuilder().setScope(scope());
    ScopeSpans.Builder checkout = ScopeSpans.newBuilder().setScope(scope());
    for (int trace = 0; trace < o.tracesPerRequest; trace++) {
      ByteString traceId =
          ByteString.copyFrom(ByteBuffer.allocate(16).putLong(MARKER).putLong(trace).array());
      boolean error = random.nextDouble() < o.errorRatio;
      web.addSpans(span(traceId, 1, 0, "GET /cart", Span.SpanKind.SPAN_KIND_SERVER, now, 40));
      web.addSpans(span(traceId, 2, 1, "POST /checkout", Span.SpanKind.SPAN_KIND_CLIENT, now, 30));
      Span.Builder server =
          span(traceId, 3, 2, "POST /checkout", Span.SpanKind.SPAN_KIND_SERVER, now, 25)
              .toBuilder();
      if (error) {
        server.setStatus(
            Status.newBuilder()
                .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                .setMessage("declined"));
      }
      checkout.addSpans(server);
      checkout.addSpans(
          span(traceId, 4, 3, "SELECT orders", Span.SpanKind.SPAN_KIND_CLIENT, now, 5).toBuilder()
              .addAttributes(OtlpAttributes.string("db.system", "postgresql")));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(service("web")).addScopeSpans(web))
        .addResourceSpans(
            ResourceSpans.newBuilder().setResource(service("checkout")).addScopeSpans(checkout))
        .build();
  }

  private static Span span(
      ByteString traceId, long id, long parent, String name, Span.SpanKind kind, long now, int ms) {
    Span.Builder s =
        Span.newBuilder()
            .setTraceId(traceId)
            .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()))
            .setName(name)
            .setKind(kind)
            .setStartTimeUnixNano(now)
            .setEndTimeUnixNano(now + ms * 1_000_000L);
    if (parent > 0) {
      s.setParentSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(parent).array()));
    }
    return s.build();
  }

  private static InstrumentationScope scope() {
    return InstrumentationScope.newBuilder()
        .setName("otelstream-loadgen")
        .setVersion("0.1.0")
        .build();
  }

  private static Resource service(String name) {
    return Resource.newBuilder()
        .addAttributes(OtlpAttributes.string("service.name", name))
        .addAttributes(OtlpAttributes.string("service.instance.id", name + "-1"))
        .build();
  }

  private static int maxTrace(int[] offsets) {
    int max = 0;
    for (int i = 1; i < offsets.length; i += 2) {
      max = Math.max(max, offsets[i]);
    }
    return max;
  }

  private static ExportTraceServiceRequest build(LoadOptions o, SplittableRandom random) {
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(
                InstrumentationScope.newBuilder()
                    .setName("otelstream-loadgen")
                    .setVersion("0.1.0"));
    long now = TimePatches.BASE;
    for (int trace = 0; trace < o.tracesPerRequest; trace++) {
      ByteString traceId =
          ByteString.copyFrom(ByteBuffer.allocate(16).putLong(MARKER).putLong(trace).array());
      boolean error = random.nextDouble() < o.errorRatio;
      for (int s = 0; s < o.spansPerTrace; s++) {
        Span.Builder span =
            Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(s + 1L).array()))
                .setName(s == 0 ? "GET /api/orders" : "SELECT orders " + s)
                .setKind(s == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(now + s * 1000L)
                .setEndTimeUnixNano(now + s * 1000L + 2_000_000L);
        if (s > 0) {
          span.setParentSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(1).array()));
        }
        for (int a = 0; a < o.attributes; a++) {
          span.addAttributes(OtlpAttributes.string("attr." + a, "value-" + a));
        }
        if (error && s == o.spansPerTrace - 1) {
          span.setStatus(
              Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"));
        }
        int pad = o.spanBytes - span.build().getSerializedSize() - 16;
        if (pad > 0) {
          span.addAttributes(OtlpAttributes.string("payload", randomText(random, pad)));
        }
        scope.addSpans(span);
      }
    }
    Resource resource =
        Resource.newBuilder()
            .addAttributes(OtlpAttributes.string("service.name", "loadgen"))
            .addAttributes(OtlpAttributes.string("service.instance.id", "loadgen-1"))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
        .build();
  }

  /** Random letters and digits: compresses like real attribute values, not like padding. */
  private static String randomText(SplittableRandom random, int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/.";
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /** Pairs (offset, trace index) of every placeholder trace ID in the encoded body. */
  private static int[] offsets(byte[] body, int traces) {
    List<Integer> found = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.wrap(body);
    for (int i = 0; i + 16 <= body.length; i++) {
      if (buf.getLong(i) == MARKER) {
        long index = buf.getLong(i + 8);
        if (index >= 0 && index < traces) {
          found.add(i);
          found.add((int) index);
          i += 15;
        }
      }
    }
    return found.stream().mapToInt(Integer::intValue).toArray();
  }
}
