package io.chainbreaker;

/** Why a breaker or a network is in its state. The same names appear in logs, events and docs. */
public enum Reason {
  /** Nothing is wrong. */
  HEALTHY,
  /** The engine has not yet seen a head from a verified endpoint. */
  STARTING,
  /**
   * The network head has not advanced for {@code haltAfter}, or the latest block is older than
   * {@code haltAfter} (plus the skew allowance) by wall clock.
   */
  HALTED,
  /** No endpoint serving the right chain answered for {@code unreachableAfter}. */
  UNREACHABLE,
  /** The monitor itself stopped evaluating (dead scheduler, exception loop): fail closed. */
  MONITOR_STALE,
  /** An operator forced the state. */
  OPERATOR
}
