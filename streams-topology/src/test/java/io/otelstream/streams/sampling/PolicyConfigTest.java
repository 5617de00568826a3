package io.otelstream.streams.sampling;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelstream.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Startup fails with the key path and the reason. */
class PolicyConfigTest {
  @Test
  void unknownKeysNameTheirPath() {
    assertThatThrownBy(
            () ->
                PolicyTest.engine(
                    "policies: [{name: p, type: probabilistic, probabilistic: {sampling_percentag: 5}}]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'policies[0].probabilistic.sampling_percentag'");
  }

  @Test
  void ottlConditionIsRefused() {
    assertThatThrownBy(
            () ->
                PolicyTest.engine(
                    "policies: [{name: o, type: ottl_condition, ottl_condition: {span: ['true']}}]"))
        .hasMessageContaining("tail_sampling.policies[0].type: ottl_condition is not supported");
  }

  @Test
  void badRegexAndOutOfRangeValues() {
    assertThatThrownBy(
            () ->
                PolicyTest.engine(
                    "policies: [{name: s, type: string_attribute, string_attribute: {key: k, values: ['(unclosed'], enabled_regex_matching: true}}]"))
        .hasMessageContaining(
            "tail_sampling.policies[0].string_attribute.values[0]: invalid regular expression");
    assertThatThrownBy(
            () ->
                PolicyTest.engine(
                    "policies: [{name: p, type: probabilistic, probabilistic: {sampling_percentage: 150}}]"))
        .hasMessageContaining(
            "tail_sampling.policies[0].probabilistic.sampling_percentage: must be between 0 and 100");
    assertThatThrownBy(
            () ->
                PolicyTest.engine(
                    "policies: [{name: r, type: rate_limiting, rate_limiting: {spans_per_second: 0}}]"))
        .hasMessageContaining(
            "tail_sampling.policies[0].rate_limiting.spans_per_second: must be at least 1");
    assertThatThrownBy(
            () ->
                PolicyTest.engine(
                    "policies: [{name: a, type: and, and: {and_sub_policy: [{name: x, type: nope}]}}]"))
        .hasMessageContaining(
            "tail_sampling.policies[0].and.and_sub_policy[0].type: unknown policy type 'nope'");
    assertThatThrownBy(
            () ->
                PolicyTest.engine(
                    "decision_wait: 0s\npolicies: [{name: all, type: always_sample}]"))
        .hasMessageContaining("decision_wait must be positive");
    assertThatThrownBy(() -> PolicyTest.engine("policies: []"))
        .hasMessageContaining("at least one policy");
  }
}
