package io.otelstream.edge;

import java.util.List;
import java.util.Set;

/**
 * Every value of the {@code reason} label of {@code otelstream_edge_requests_rejected_total}: the
 * edge refuses a request only with one of these, and registers each at 0 at startup, so a dashboard
 * panel shows 0 instead of "No data" and an alert rule can be checked against the list (helm's
 * AlertRulesTest does).
 */
public final class RejectReasons {
  private RejectReasons() {}

  public static final Set<String> ALL =
      Set.copyOf(
          List.of(
              // 400
              "invalid_protobuf",
              "invalid_json",
              "invalid_gzip",
              "empty_request",
              // 401
              "missing_token",
              "invalid_token",
              // 404, 405, 413, 415
              "not_found",
              "method_not_allowed",
              "request_too_large",
              "decompressed_too_large",
              "unsupported_media_type",
              "unsupported_encoding",
              // 503: retry later
              "inflight_limit",
              "body_read_timeout",
              "shutting_down",
              "produce_timeout",
              "producer_buffer_full",
              "kafka_unavailable",
              "kafka_error",
              "internal"));
}
