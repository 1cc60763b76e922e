package io.chainbreaker;

/** The health of a network as the engine sees it. */
public enum NetworkHealth {
  /** No head seen yet. */
  STARTING,
  /** The head advances and every endpoint is OK. */
  HEALTHY,
  /**
   * The head advances, but something is off: endpoints excluded (lagging, failing, syncing, wrong
   * chain), slow blocks, stalled finality or a deep reorganisation; the reason says which.
   */
  DEGRADED,
  /** A planned maintenance window is in force. */
  MAINTENANCE,
  /** The head does not advance: tokens are suspended with reason {@link Reason#HALTED}. */
  HALTED,
  /** No endpoint answers: tokens are suspended with reason {@link Reason#UNREACHABLE}. */
  UNREACHABLE,
  /** The monitor stopped evaluating: tokens are suspended with {@link Reason#MONITOR_STALE}. */
  MONITOR_STALE;

  /** Whether tokens of a network in this health are suspended in both directions by default. */
  public boolean suspends() {
    return this == HALTED || this == UNREACHABLE || this == MONITOR_STALE || this == MAINTENANCE;
  }
}
