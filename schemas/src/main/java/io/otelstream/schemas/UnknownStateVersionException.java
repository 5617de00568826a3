package io.otelstream.schemas;

/**
 * State written by a newer release whose schema this release cannot get or cannot read: the release
 * is older than the state (a rollback past a state change), and guessing would corrupt it.
 */
public final class UnknownStateVersionException extends IllegalStateException {
  public UnknownStateVersionException(String name, int version, int known) {
    super(
        name
            + " state written by schema version "
            + version
            + ", which no release published where this one looks; this release knows 1.."
            + known
            + ". Roll forward to the release that wrote it, or delete this app's state (the"
            + " changelogs and the state directory) to start afresh.");
  }

  public UnknownStateVersionException(String name, int version, int known, String why) {
    super(
        name
            + " state written by schema version "
            + version
            + " cannot be read by this release (it knows 1.."
            + known
            + "): "
            + why
            + ". Roll forward to the release that wrote it.");
  }
}
