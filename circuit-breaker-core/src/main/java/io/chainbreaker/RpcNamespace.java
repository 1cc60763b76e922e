package io.chainbreaker;

/** Which JSON-RPC method names a network's nodes understand. */
public enum RpcNamespace {
  /** {@code eth_chainId}, {@code eth_getBlockByNumber}, ...: every EVM node. */
  ETH,
  /**
   * {@code klay_chainID}, {@code klay_getBlockByNumber}, ...: Klaytn nodes before v1.10, which had
   * no {@code eth_} namespace.
   */
  KLAY
}
