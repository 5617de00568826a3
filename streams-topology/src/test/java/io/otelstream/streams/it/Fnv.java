package io.otelstream.streams.it;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/** DESIGN.md's probabilistic rule, written from the contract (not the sampler's code). */
public final class Fnv {
  private Fnv() {}

  /** FNV-1a 64 over the salt's bytes then the trace ID, at or below ⌊(2⁶⁴−1)·p/100⌋ keeps. */
  public static boolean keeps(String salt, double percentage, byte[] traceId) {
    BigInteger hash = new BigInteger("cbf29ce484222325", 16);
    BigInteger prime = new BigInteger("100000001b3", 16);
    BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    byte[] s = salt.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[s.length + traceId.length];
    System.arraycopy(s, 0, all, 0, s.length);
    System.arraycopy(traceId, 0, all, s.length, traceId.length);
    for (byte b : all) {
      hash = hash.xor(BigInteger.valueOf(b & 0xff)).multiply(prime).and(mask);
    }
    BigInteger threshold =
        new BigDecimal(mask)
            .multiply(BigDecimal.valueOf(percentage))
            .divide(BigDecimal.valueOf(100), 0, RoundingMode.FLOOR)
            .toBigInteger();
    return hash.compareTo(threshold) <= 0;
  }
}
