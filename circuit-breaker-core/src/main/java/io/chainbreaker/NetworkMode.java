package io.chainbreaker;

/** How a network produces blocks, which decides whether an idle head means a halt. */
public enum NetworkMode {
  /** Blocks come at a steady interval whether or not there are transactions: idle means halted. */
  CONTINUOUS,
  /**
   * Blocks come only when there are transactions (Arbitrum, Avalanche C-chain, dev nodes): an idle
   * head is normal and never a halt. Reachability, endpoint health and an optional {@link
   * LivenessProbe} watch such a network.
   */
  ON_DEMAND
}
