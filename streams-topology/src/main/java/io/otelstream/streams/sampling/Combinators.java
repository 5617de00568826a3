package io.otelstream.streams.sampling;

import java.util.List;

/** Policies built from other policies: and, not, drop, composite. */
final class Combinators {
  private Combinators() {}

  private static boolean samples(Decision d) {
    return d == Decision.SAMPLED || d == Decision.INVERT_SAMPLED;
  }

  /** Sampled only when every sub-policy samples. */
  record And(String name, List<Policy> subPolicies) implements Policy {
    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      for (Policy p : subPolicies) {
        if (!samples(p.evaluate(trace, nowMillis))) {
          return Decision.NOT_SAMPLED;
        }
      }
      return Decision.SAMPLED;
    }
  }

  /** Inverts its sub-policy: sampled becomes not sampled and the other way round. */
  record Not(String name, Policy subPolicy) implements Policy {
    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      Decision d = subPolicy.evaluate(trace, nowMillis);
      if (d == Decision.ERROR) {
        return d;
      }
      return samples(d) ? Decision.NOT_SAMPLED : Decision.SAMPLED;
    }
  }

  /** Dropped when every sub-policy samples: a veto that wins over every other vote. */
  record Drop(String name, List<Policy> subPolicies) implements Policy {
    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      for (Policy p : subPolicies) {
        if (!samples(p.evaluate(trace, nowMillis))) {
          return Decision.NOT_SAMPLED;
        }
      }
      return Decision.DROPPED;
    }
  }

  /**
   * Sub-policies in order, each with a spans-per-second budget; the first that samples the trace
   * and still has budget for its spans decides.
   */
  static final class Composite implements Policy {
    private final String name;
    private final List<Policy> ordered;
    private final long[] budgets;
    private final long[] spent;
    private long second = Long.MIN_VALUE;

    Composite(String name, List<Policy> ordered, long[] budgets) {
      this.name = name;
      this.ordered = ordered;
      this.budgets = budgets;
      this.spent = new long[budgets.length];
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      long s = Math.floorDiv(nowMillis, 1000);
      if (s != second) {
        second = s;
        java.util.Arrays.fill(spent, 0);
      }
      for (int i = 0; i < ordered.size(); i++) {
        if (samples(ordered.get(i).evaluate(trace, nowMillis))
            && spent[i] + trace.spanCount() <= budgets[i]) {
          spent[i] += trace.spanCount();
          return Decision.SAMPLED;
        }
      }
      return Decision.NOT_SAMPLED;
    }
  }
}
