package io.otelstream.sinks;

import java.time.Duration;

/** Opens the gRPC trace receiver double to tests in other packages. */
public final class GrpcTraceReceiverAccess implements AutoCloseable {
  private final GrpcTraceReceiver receiver = new GrpcTraceReceiver();

  public static GrpcTraceReceiverAccess start() {
    return new GrpcTraceReceiverAccess();
  }

  public String url() {
    return receiver.url();
  }

  public void throttle(int times, Duration wait) {
    receiver.throttle(times, wait);
  }

  public void exhaustWithoutRetryInfo(int times) {
    receiver.exhaustWithoutRetryInfo(times);
  }

  @Override
  public void close() {
    receiver.close();
  }
}
