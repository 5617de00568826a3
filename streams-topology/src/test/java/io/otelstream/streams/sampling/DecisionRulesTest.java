package io.otelstream.streams.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision-combination rules and their precedence, with fixed-vote policies. */
class DecisionRulesTest {
  private static final TraceData TRACE = Traces.trace().span(Traces.span(0, 1)).build();

  private record Fixed(String name, Decision decision, List<String> calls) implements Policy {
    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      calls.add(name);
      if (decision == null) {
        throw new IllegalStateException("boom");
      }
      return decision;
    }
  }

  private final List<String> calls = new ArrayList<>();

  private Policy vote(String name, Decision d) {
    return new Fixed(name, d, calls);
  }

  private Policy drop(String name, Decision sub) {
    return new Combinators.Drop(name, List.of(vote(name + "-sub", sub)));
  }

  private SamplingEngine.Outcome decide(boolean firstMatch, Policy... policies) {
    return new SamplingEngine(List.of(policies), firstMatch).decide(TRACE, 0);
  }

  @Test
  void droppedWinsOverEverythingAndDropPoliciesRunFirst() {
    SamplingEngine.Outcome o =
        decide(false, vote("s", Decision.SAMPLED), drop("d", Decision.SAMPLED));
    assertThat(o.sampled()).isFalse();
    assertThat(o.rule()).isEqualTo("dropped");
    assertThat(calls).containsExactly("d-sub");
  }

  @Test
  void invertNotSampledBeatsSampled() {
    SamplingEngine.Outcome o =
        decide(false, vote("s", Decision.SAMPLED), vote("inv", Decision.INVERT_NOT_SAMPLED));
    assertThat(o.sampled()).isFalse();
    assertThat(o.rule()).isEqualTo("invert_not_sampled");
  }

  @Test
  void sampledBeatsNotSampled() {
    SamplingEngine.Outcome o =
        decide(false, vote("n", Decision.NOT_SAMPLED), vote("s", Decision.SAMPLED));
    assertThat(o.sampled()).isTrue();
    assertThat(o.policy()).isEqualTo("s");
  }

  @Test
  void invertSampledOnlyWithoutNotSampled() {
    assertThat(decide(false, vote("i", Decision.INVERT_SAMPLED)).rule())
        .isEqualTo("invert_sampled");
    assertThat(
            decide(false, vote("i", Decision.INVERT_SAMPLED), vote("n", Decision.NOT_SAMPLED))
                .sampled())
        .isFalse();
  }

  @Test
  void noVotesMeansNotSampledAndErrorsCastNoVote() {
    SamplingEngine.Outcome o = decide(false, vote("broken", null), vote("n", Decision.NOT_SAMPLED));
    assertThat(o.sampled()).isFalse();
    assertThat(o.rule()).isEqualTo("not_sampled");
    assertThat(o.erroredPolicies()).containsExactly("broken");
    assertThat(decide(false, vote("broken", null), vote("i", Decision.INVERT_SAMPLED)).sampled())
        .isTrue();
  }

  @Test
  void sampleOnFirstMatchStopsAtTheFirstSampled() {
    SamplingEngine.Outcome o =
        decide(
            true,
            vote("a", Decision.NOT_SAMPLED),
            vote("b", Decision.SAMPLED),
            vote("c", Decision.INVERT_NOT_SAMPLED));
    assertThat(o.sampled()).isTrue();
    assertThat(o.policy()).isEqualTo("b");
    assertThat(calls).containsExactly("a", "b");
    calls.clear();
    assertThat(
            decide(
                    false,
                    vote("a", Decision.NOT_SAMPLED),
                    vote("b", Decision.SAMPLED),
                    vote("c", Decision.INVERT_NOT_SAMPLED))
                .sampled())
        .as("without it, c's veto applies")
        .isFalse();
  }
}
