package io.chainbreaker;

/** The state of one token in one direction. Only {@link #ALLOWED} lets traffic through. */
public enum BreakerState {
  /** The network is healthy: deposits or withdrawals go ahead. */
  ALLOWED,
  /** The network came back; traffic waits until the recovery rule is met. */
  RECOVERING,
  /** Traffic is refused; the reason says why. */
  SUSPENDED;

  /** Whether this state lets traffic through. */
  public boolean allows() {
    return this == ALLOWED;
  }
}
