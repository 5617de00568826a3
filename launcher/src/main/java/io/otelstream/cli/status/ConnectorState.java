package io.otelstream.cli.status;

import java.util.List;

/**
 * A connector as Connect's REST API reports it ({@code GET /connectors?expand=status}).
 *
 * @param name the connector's name
 * @param state RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED or RESTARTING
 * @param tasks its tasks' states, by task id
 * @param firstFailure the first line of a failed task's or connector's trace, or null
 */
public record ConnectorState(String name, String state, List<String> tasks, String firstFailure) {
  public long running() {
    return tasks.stream().filter("RUNNING"::equals).count();
  }
}
