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
  /**
   * A liveness probe of an on-demand network failed (e.g. a probe transaction was not included).
   */
  PROBE_FAILED,
  /** A planned maintenance window is in force. */
  MAINTENANCE,
  /**
   * A block was replaced by another at a depth of at least {@code maxReorgDepth}: a security event.
   */
  DEEP_REORG,
  /**
   * The {@code finalized} block has not advanced for {@code finalityStallAfter} while the head
   * moves.
   */
  FINALITY_STALLED,
  /** The mean block interval over the window is above {@code slowFactor} times the expected one. */
  SLOW_BLOCKS,
  /** An operator forced the state. */
  OPERATOR,
  /**
   * The state store could not be read, so the engine does not know what was suspended or overridden
   * before it started: fail closed until the store answers, then recover by the recovery rule.
   */
  STORE_UNAVAILABLE,
  /** The token was removed from the catalog; a handle still held answers "not allowed". */
  DELISTED,
  /**
   * This instance of a fleet has no fresh verdict for the network: the leader's newest one is older
   * than {@code staleAfter}, or the database cannot be reached. Fail closed until a fresh verdict
   * arrives, then take the leader's state as it is.
   */
  VIEW_STALE,
  /**
   * The rollup's Chainlink L2 sequencer uptime feed ({@code sequencerFeed}) answers 1: the
   * sequencer is down. In force from the first reading that says so, before {@code haltAfter}.
   */
  SEQUENCER_DOWN,
  /**
   * The rollup's sequencer is back up, but for less than {@code sequencerGracePeriod} since the
   * feed's {@code startedAt} (Chainlink's grace period): a backlog is still being worked off.
   */
  SEQUENCER_GRACE;

  /** The automatic reasons that can suspend, strongest first: the first one in force wins. */
  static final Reason[] BY_STRENGTH = {
    MONITOR_STALE,
    UNREACHABLE,
    HALTED,
    SEQUENCER_DOWN,
    PROBE_FAILED,
    MAINTENANCE,
    DEEP_REORG,
    FINALITY_STALLED,
    SEQUENCER_GRACE,
    SLOW_BLOCKS
  };
}
