package io.chainbreaker.chain;

import io.chainbreaker.NetworkConfig;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * One RPC endpoint's view of a chain. The engine calls it from its bounded I/O pool, one request at
 * a time per endpoint, and treats any exception as a failure of that endpoint alone.
 *
 * <p>The built-in implementation speaks Ethereum (or Klaytn) JSON-RPC over HTTP through web3j
 * ({@link Web3jHeadSources}); implement this to watch a chain through another transport.
 */
public interface HeadSource extends AutoCloseable {

  /** The latest block ({@code eth_getBlockByNumber("latest", false)}). */
  BlockHead latest() throws IOException;

  /**
   * The latest block and, if asked, the {@code finalized} one, in one round trip where the source
   * can batch. A node that rejects the {@code finalized} tag yields {@link Heads#finalizedError()}
   * rather than an exception. The default asks {@link #latest()} only.
   */
  default Heads heads(boolean withFinalized) throws IOException {
    return new Heads(latest(), null, withFinalized ? "not supported by this source" : null);
  }

  /** The block at this height on the node's current chain, or null if it has none. */
  default @Nullable BlockHead blockByNumber(long number) throws IOException {
    throw new RpcException("blocks by number are not supported by this source");
  }

  /** The block with this hash, or null if the node does not know it. */
  default @Nullable BlockHead blockByHash(String hash) throws IOException {
    throw new RpcException("blocks by hash are not supported by this source");
  }

  /** The chain id the endpoint serves ({@code eth_chainId}). */
  long chainId() throws IOException;

  /** Whether the endpoint is still syncing ({@code eth_syncing}). */
  boolean syncing() throws IOException;

  /** Releases what this source holds; the default does nothing. */
  @Override
  default void close() {}

  /**
   * The answer to {@link #heads(boolean)}.
   *
   * @param latest the latest block
   * @param finalized the finalized block, or null if not asked or not served
   * @param finalizedError why the finalized block is missing, or null
   */
  record Heads(BlockHead latest, @Nullable BlockHead finalized, @Nullable String finalizedError) {}

  /** Opens a {@link HeadSource} for one endpoint of a network. */
  @FunctionalInterface
  interface Factory {
    /**
     * Opens a source.
     *
     * @param network the network (name for messages, request timeout, RPC namespace)
     * @param url the endpoint
     */
    HeadSource open(NetworkConfig network, RpcUrl url);

    /**
     * Subscribes to the new heads of a WebSocket endpoint; the default says this factory cannot.
     *
     * @param network the network
     * @param url the {@code ws} or {@code wss} endpoint
     * @param listener where heads and problems go
     */
    default HeadStream subscribe(NetworkConfig network, RpcUrl url, HeadStream.Listener listener) {
      throw new UnsupportedOperationException("this head source factory cannot subscribe to "
          + url);
    }
  }
}
