package io.otelstream.streams.traces;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The key a trace is gathered and decided under: its trace ID for records without a tenant (so an
 * install without tenants keeps its state as it was), and for a tenant's records a 16-byte SHA-256
 * digest of the tenant and the trace ID. Spans of two tenants that share a trace ID (a propagated
 * traceparent, a leaked or forged ID) are then two traces, decided and delivered each to its own
 * tenant; a tenant cannot compute another tenant's key to join its trace without a SHA-256
 * collision.
 */
final class TenantKeys {
  private static final byte[] DOMAIN = "otelstream tenant trace\0".getBytes(StandardCharsets.UTF_8);
  // One digest per stream thread: a tenant's every record is keyed here.
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private TenantKeys() {}

  static byte[] of(String tenant, byte[] traceId) {
    if (tenant == null) {
      return traceId;
    }
    MessageDigest sha = SHA256.get();
    sha.update(DOMAIN);
    byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
    sha.update(java.nio.ByteBuffer.allocate(4).putInt(t.length).array());
    sha.update(t);
    sha.update(traceId);
    return Arrays.copyOf(sha.digest(), 16); // digest() resets it for the next record
  }
}
