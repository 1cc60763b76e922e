package io.chainbreaker;

/** The state of one RPC endpoint. Only OK and LAGGING endpoints count towards the network head. */
public enum EndpointState {
  /** Not answered yet. */
  STARTING,
  /** Answers, on the right chain, within the lag tolerance. */
  OK,
  /** Answers, but its head trails the network head by more than {@code maxLagBlocks}. */
  LAGGING,
  /** Its last request failed (HTTP error, timeout, malformed answer, JSON-RPC error). */
  FAILING,
  /** It reports {@code eth_syncing} in progress; excluded until it has caught up. */
  SYNCING,
  /** It serves another chain id than the network's; excluded and reported loudly. */
  WRONG_CHAIN
}
