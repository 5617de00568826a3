package io.otelstream.perf;

import java.util.SplittableRandom;

/** Pre-encoded export requests of one signal, handed out with fresh IDs, times and values. */
interface ExportTemplates {
  /** A request body and how many of its items are errors (spans with status ERROR). */
  record Body(byte[] bytes, int errorItems) {}

  /** A fresh request body: a copy of a template with its placeholders written. */
  Body next(SplittableRandom random);

  /** Spans, data points or log records per request. */
  int itemsPerRequest();

  /** Encoded bytes of a request (the first template's). */
  int encodedBytes();

  static ExportTemplates of(LoadOptions o) {
    return switch (o.signal) {
      case "metrics" -> new MetricTemplates(o);
      case "logs" -> new LogTemplates(o);
      default -> new RequestTemplates(o);
    };
  }
}
