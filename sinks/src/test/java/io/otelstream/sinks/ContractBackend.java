package io.otelstream.sinks;

import java.util.List;
import java.util.Optional;

/** What the sink contract needs from a backend double: see what arrived, and make it fail. */
interface ContractBackend extends AutoCloseable {
  /** Connector settings that point at this backend, as JSON members: ", \"key\": \"value\"". */
  String settings();

  /** Names of the items delivered so far, in arrival order; redeliveries appear again. */
  List<String> items() throws Exception;

  /** The tenant each item of {@link #items()} arrived with ("null" for none). */
  List<String> tenants() throws Exception;

  /** The Authorization of each request, or empty when this backend has no authentication. */
  Optional<List<String>> authorizations();

  /** The content encoding of each request received, where the backend sees one. */
  default List<String> encodings() {
    return List.of();
  }

  /**
   * Starts or ends a credential refusal: every delivery is answered 401 (gRPC UNAUTHENTICATED), as
   * when the sink's token expired; false where the backend has no credentials (files).
   */
  default boolean refuseCredentials(boolean on) {
    return false;
  }

  /** Starts or ends an outage: every delivery fails in a retriable way meanwhile. */
  void outage(boolean on) throws Exception;

  /**
   * Makes the backend refuse what follows for good.
   *
   * @return the tenant header the refused records must carry, or null for any
   */
  String refuse();

  /**
   * Makes the backend refuse, for good, any request that holds the item {@code name}, as a real
   * backend refuses a whole request for one bad entry.
   *
   * @return the tenant header the bad record must carry, or null for any
   */
  String refuseItem(String name);

  /** Text the error of a request refused for the item of {@link #refuseItem} contains. */
  default List<String> itemRefusalMessage() {
    return List.of("refused by the test receiver");
  }

  /** Text the error of a refused record contains. */
  List<String> refusalMessage();

  /**
   * Answers the next {@code times} requests with the backend's "slow down" (HTTP 429 with
   * Retry-After, gRPC RESOURCE_EXHAUSTED with RetryInfo) asking for {@code wait}; false where the
   * backend has no such answer (files).
   */
  default boolean throttle(int times, java.time.Duration wait) {
    return false;
  }

  /** System.nanoTime of each throttled answer. */
  default List<Long> throttledAt() {
    return List.of();
  }

  /** System.nanoTime of each accepted request. */
  default List<Long> acceptedAt() {
    return List.of();
  }

  @Override
  void close();
}
