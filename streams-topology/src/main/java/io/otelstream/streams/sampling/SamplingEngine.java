package io.otelstream.streams.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * Combines the policies' votes into one decision with the Collector's rules: drop policies first; a
 * policy that errors casts no vote; then any Dropped → not sampled, any InvertNotSampled → not
 * sampled, any Sampled → sampled, any InvertSampled with no NotSampled → sampled, else not sampled.
 * With {@code sampleOnFirstMatch} evaluation stops at the first Sampled vote.
 */
public final class SamplingEngine {
  /** The outcome for one trace; {@code policy} names the deciding policy. */
  public record Outcome(
      boolean sampled, String policy, String rule, List<String> erroredPolicies) {}

  private final List<Policy> dropPolicies;
  private final List<Policy> policies;
  private final boolean sampleOnFirstMatch;

  public SamplingEngine(List<Policy> all, boolean sampleOnFirstMatch) {
    this.dropPolicies = all.stream().filter(p -> p instanceof Combinators.Drop).toList();
    this.policies = all.stream().filter(p -> !(p instanceof Combinators.Drop)).toList();
    this.sampleOnFirstMatch = sampleOnFirstMatch;
  }

  public Outcome decide(TraceData trace, long nowMillis) {
    List<String> errored = new ArrayList<>();
    for (Policy p : dropPolicies) {
      Decision d = safely(p, trace, nowMillis, errored);
      if (d == Decision.DROPPED) {
        return new Outcome(false, p.name(), "dropped", errored);
      }
    }
    String firstSampled = null;
    String firstInvertSampled = null;
    String invertNotSampled = null;
    boolean notSampled = false;
    for (Policy p : policies) {
      Decision d = safely(p, trace, nowMillis, errored);
      switch (d) {
        case DROPPED -> {
          return new Outcome(false, p.name(), "dropped", errored);
        }
        case INVERT_NOT_SAMPLED ->
            invertNotSampled = invertNotSampled == null ? p.name() : invertNotSampled;
        case SAMPLED -> {
          firstSampled = firstSampled == null ? p.name() : firstSampled;
          if (sampleOnFirstMatch) {
            return new Outcome(true, p.name(), "first_match", errored);
          }
        }
        case INVERT_SAMPLED ->
            firstInvertSampled = firstInvertSampled == null ? p.name() : firstInvertSampled;
        case NOT_SAMPLED -> notSampled = true;
        case ERROR -> {}
      }
    }
    if (invertNotSampled != null) {
      return new Outcome(false, invertNotSampled, "invert_not_sampled", errored);
    }
    if (firstSampled != null) {
      return new Outcome(true, firstSampled, "sampled", errored);
    }
    if (firstInvertSampled != null && !notSampled) {
      return new Outcome(true, firstInvertSampled, "invert_sampled", errored);
    }
    return new Outcome(false, null, "not_sampled", errored);
  }

  private static Decision safely(Policy p, TraceData trace, long nowMillis, List<String> errored) {
    try {
      Decision d = p.evaluate(trace, nowMillis);
      if (d == Decision.ERROR) {
        errored.add(p.name());
      }
      return d;
    } catch (RuntimeException e) {
      errored.add(p.name());
      return Decision.ERROR;
    }
  }
}
