package io.otelstream.edge;

import io.otelstream.topics.Topic;

/** The three OTLP signals and where each is served and stored. */
enum Signal {
  TRACES(
      "opentelemetry.proto.collector.trace.v1.TraceService/Export",
      "/v1/traces",
      Topic.TRACES,
      "spans"),
  METRICS(
      "opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
      "/v1/metrics",
      Topic.METRICS,
      "data points"),
  LOGS(
      "opentelemetry.proto.collector.logs.v1.LogsService/Export",
      "/v1/logs",
      Topic.LOGS,
      "log records");

  final String grpcMethod;
  final String httpPath;
  final Topic topic;
  final String items;

  Signal(String grpcMethod, String httpPath, Topic topic, String items) {
    this.grpcMethod = grpcMethod;
    this.httpPath = httpPath;
    this.topic = topic;
    this.items = items;
  }

  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  static Signal byGrpcMethod(String fullMethodName) {
    for (Signal s : values()) {
      if (s.grpcMethod.equals(fullMethodName)) {
        return s;
      }
    }
    return null;
  }

  static Signal byHttpPath(String path) {
    for (Signal s : values()) {
      if (s.httpPath.equals(path)) {
        return s;
      }
    }
    return null;
  }
}
