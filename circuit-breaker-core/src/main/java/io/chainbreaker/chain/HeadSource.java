package io.chainbreaker.chain;

import java.io.IOException;
import java.time.Duration;

/**
 * One RPC endpoint's view of a chain. The engine calls it from its bounded I/O pool, one request at
 * a time per endpoint, and treats any exception as a failure of that endpoint alone.
 *
 * <p>The built-in implementation speaks Ethereum JSON-RPC over HTTP through web3j
 * ({@link Web3jHeadSources}); implement this to watch a chain through another transport.
 */
public interface HeadSource extends AutoCloseable {

  /** The latest block ({@code eth_getBlockByNumber("latest", false)}). */
  BlockHead latest() throws IOException;

  /** The chain id the endpoint serves ({@code eth_chainId}). */
  long chainId() throws IOException;

  /** Whether the endpoint is still syncing ({@code eth_syncing}). */
  boolean syncing() throws IOException;

  /** Releases what this source holds; the default does nothing. */
  @Override
  default void close() {}

  /** Opens a {@link HeadSource} for one endpoint of a network. */
  @FunctionalInterface
  interface Factory {
    /**
     * Opens a source.
     *
     * @param network the network's name, for messages
     * @param url the endpoint
     * @param requestTimeout how long one request may take in all
     */
    HeadSource open(String network, RpcUrl url, Duration requestTimeout);
  }
}
