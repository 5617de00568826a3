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

  /** Starts or ends an outage: every delivery fails in a retriable way meanwhile. */
  void outage(boolean on) throws Exception;

  /**
   * Makes the backend refuse what follows for good.
   *
   * @return the tenant header the refused records must carry, or null for any
   */
  String refuse();

  /** Text the error of a refused record contains. */
  List<String> refusalMessage();

  @Override
  void close();
}
