package io.chainbreaker.chain;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One RPC endpoint's view of a chain, asked without blocking a thread: every call returns at once
 * with a future that completes when the endpoint answers, fails or times out.
 *
 * <p>The engine sends at most one request at a time per endpoint and never waits on a future; a
 * future that fails (with an {@link RpcException} saying why, in words an operator can act on) is a
 * failure of that endpoint alone. An implementation must bound every request in time (the network's
 * {@link SourceSettings#requestTimeout()}) and every answer in size, and must not run the caller's
 * continuation on a thread that other endpoints need: the built-in implementation completes its
 * futures on a small shared pool whose threads never block.
 *
 * <p>The built-in implementations ({@link Web3jHeadSources}) speak Ethereum (or Klaytn) JSON-RPC
 * over HTTP with web3j's request and response types, and the APIs of the other {@linkplain
 * io.chainbreaker.Protocol families}; implement this to watch a chain through another transport.
 */
public interface HeadSource extends AutoCloseable {

  /**
   * The latest block and, if asked, the {@code finalized} one, in one round trip where the source
   * can batch. A node that rejects the {@code finalized} tag yields {@link Heads#finalizedError()}
   * rather than a failure.
   */
  CompletableFuture<Heads> heads(boolean withFinalized);

  /** The latest block ({@code eth_getBlockByNumber("latest", false)}). */
  default CompletableFuture<BlockHead> latest() {
    return heads(false).thenApply(Heads::latest);
  }

  /**
   * The number of the latest block, the cheapest question there is ({@code eth_blockNumber}); the
   * engine asks it first on networks whose blocks come far slower than it polls, and fetches the
   * header only when the number moved. The default asks for the whole header.
   */
  default CompletableFuture<Long> headNumber() {
    return latest().thenApply(BlockHead::number);
  }

  /** The block at this height on the node's current chain, or null if it has none. */
  default CompletableFuture<@Nullable BlockHead> blockByNumber(long number) {
    return CompletableFuture.failedFuture(
        new RpcException("blocks by number are not supported by this source"));
  }

  /** The block with this hash, or null if the node does not know it. */
  default CompletableFuture<@Nullable BlockHead> blockByHash(String hash) {
    return CompletableFuture.failedFuture(
        new RpcException("blocks by hash are not supported by this source"));
  }

  /**
   * The chain id the endpoint serves ({@code eth_chainId}); the default fails: sources of families
   * without a numeric chain id answer {@link #identity()} instead.
   */
  default CompletableFuture<Long> chainId() {
    return CompletableFuture.failedFuture(
        new RpcException("a chain id is not served by this source"));
  }

  /**
   * What identifies the chain the endpoint serves, compared with {@link SourceSettings#identity()}:
   * the chain id as text on EVM (the default), the genesis hash on Bitcoin-family and Solana
   * networks, {@code node_info.network} on CometBFT, and so on.
   */
  default CompletableFuture<String> identity() {
    return chainId().thenApply(String::valueOf);
  }

  /**
   * Whether heads carry hashes and parent hashes that link them, and blocks can be fetched by
   * number and hash. Where not (e.g. a family read by height alone), the engine cannot see
   * reorganisations and does not try.
   */
  default boolean linksBlocks() {
    return true;
  }

  /**
   * Whether the endpoint is still syncing ({@code eth_syncing}). A failure that is not {@linkplain
   * RpcException#transport() of transport} switches the check off for the endpoint.
   */
  CompletableFuture<Boolean> syncing();

  /**
   * What the Chainlink L2 sequencer uptime feed at {@code feedAddress} answers to {@code
   * latestRoundData()} on this endpoint's chain ({@code eth_call} of selector {@code 0xfeaf968c} on
   * EVM). The default fails: a family without contract calls has no such feed.
   */
  default CompletableFuture<SequencerStatus> sequencerStatus(String feedAddress) {
    return CompletableFuture.failedFuture(
        new RpcException("a sequencer uptime feed cannot be read through this source"));
  }

  /** How many requests this source has sent (a batch counts once): what the provider bills. */
  default long requestCount() {
    return 0;
  }

  /**
   * How many calls this source has sent, by JSON-RPC method (or HTTP path for REST families), each
   * call of a batch counted: what a provider bills by. The default knows none, and the engine then
   * bills {@link #requestCount()} as calls of the method {@code request}.
   */
  default java.util.Map<String, Long> callsByMethod() {
    return java.util.Map.of();
  }

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

  /**
   * Opens a {@link HeadSource} for one endpoint of a network, knowing only what a source needs of
   * it ({@link SourceSettings}, from {@code NetworkConfig.sourceSettings()}).
   */
  @FunctionalInterface
  interface Factory {
    /**
     * Opens a source.
     *
     * @param settings the network as a source sees it (family, namespace, timeout, identity, name)
     * @param url the endpoint
     */
    HeadSource open(SourceSettings settings, RpcUrl url);

    /**
     * Subscribes to the new heads of a WebSocket endpoint; the default says this factory cannot.
     *
     * @param settings the network as a source sees it
     * @param url the {@code ws} or {@code wss} endpoint
     * @param listener where heads and problems go
     */
    default HeadStream subscribe(
        SourceSettings settings, RpcUrl url, HeadStream.Listener listener) {
      throw new UnsupportedOperationException(
          "this head source factory cannot subscribe to " + url);
    }
  }
}
