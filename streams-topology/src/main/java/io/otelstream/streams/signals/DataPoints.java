package io.otelstream.streams.signals;

import io.opentelemetry.proto.metrics.v1.Metric;

/** Data-point level helpers over the five metric types. */
public final class DataPoints {
  private DataPoints() {}

  public static int count(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsCount();
      case SUM -> m.getSum().getDataPointsCount();
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> m.getSummary().getDataPointsCount();
      case DATA_NOT_SET -> 0;
    };
  }

  /** Edits a copy first: clearing the builder would also clear the list being read. */
  private static void replace(
      java.util.List<io.opentelemetry.proto.common.v1.KeyValue> current,
      java.util.function.UnaryOperator<java.util.List<io.opentelemetry.proto.common.v1.KeyValue>>
          editor,
      Runnable clear,
      java.util.function.Consumer<Iterable<io.opentelemetry.proto.common.v1.KeyValue>> add) {
    java.util.List<io.opentelemetry.proto.common.v1.KeyValue> edited = editor.apply(current);
    if (edited == current) {
      return; // unchanged: the editor returned its input
    }
    clear.run();
    add.accept(edited);
  }

  /** A copy of {@code m} with every data point's attributes replaced by {@code editor}'s result. */
  public static Metric editAttributes(
      Metric m,
      java.util.function.UnaryOperator<java.util.List<io.opentelemetry.proto.common.v1.KeyValue>>
          editor) {
    Metric.Builder b = m.toBuilder();
    switch (m.getDataCase()) {
      case GAUGE ->
          b.getGaugeBuilder()
              .getDataPointsBuilderList()
              .forEach(
                  p ->
                      replace(
                          p.getAttributesList(), editor, p::clearAttributes, p::addAllAttributes));
      case SUM ->
          b.getSumBuilder()
              .getDataPointsBuilderList()
              .forEach(
                  p ->
                      replace(
                          p.getAttributesList(), editor, p::clearAttributes, p::addAllAttributes));
      case HISTOGRAM ->
          b.getHistogramBuilder()
              .getDataPointsBuilderList()
              .forEach(
                  p ->
                      replace(
                          p.getAttributesList(), editor, p::clearAttributes, p::addAllAttributes));
      case EXPONENTIAL_HISTOGRAM ->
          b.getExponentialHistogramBuilder()
              .getDataPointsBuilderList()
              .forEach(
                  p ->
                      replace(
                          p.getAttributesList(), editor, p::clearAttributes, p::addAllAttributes));
      case SUMMARY ->
          b.getSummaryBuilder()
              .getDataPointsBuilderList()
              .forEach(
                  p ->
                      replace(
                          p.getAttributesList(), editor, p::clearAttributes, p::addAllAttributes));
      case DATA_NOT_SET -> {}
    }
    return b.build();
  }
}
