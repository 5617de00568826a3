package io.otelstream.cli.status;

/**
 * What one admin endpoint answered: its metrics, whether it is ready, or why it could not be read.
 *
 * @param url the base URL asked
 * @param metrics the scrape (empty when unreachable)
 * @param ready whether {@code /health/ready} answered 200 (false when unknown)
 * @param error why the endpoint could not be read, or null
 */
public record Stage(String url, MetricSamples metrics, boolean ready, String error) {
  public boolean reachable() {
    return error == null;
  }
}
