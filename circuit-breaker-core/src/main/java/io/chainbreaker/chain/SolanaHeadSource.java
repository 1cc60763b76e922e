package io.chainbreaker.chain;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of a Solana cluster, read through its JSON-RPC 2.0 API as documented at
 * https://solana.com/docs/rpc :
 *
 * <ul>
 *   <li>head: {@code getSlot} at {@code confirmed} commitment, then {@code getBlockTime(slot)}; the
 *       head's number is the slot (slots stop when the cluster halts, as in the 2021–2024 outages);
 *       number only: {@code getSlot};
 *   <li>identity: {@code getGenesisHash} (mainnet-beta: {@code
 *       5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d});
 *   <li>syncing: {@code getHealth} ("ok", or error -32005 "Node is behind by N slots").
 * </ul>
 *
 * <p>Heads are read by slot alone, without block hashes ({@link #linksBlocks()} is false): the
 * engine does not follow reorgs here (Solana forks resolve below {@code confirmed}).
 *
 * <p>Finality, when the network watches it ({@code finalityStallAfter}): {@code getSlot} at {@code
 * finalized} commitment (the highest slot rooted by a supermajority, normally about 32 slots behind
 * {@code confirmed}), asked before the head so that it is never above it, and {@code getBlockTime}
 * of that slot when it moved. Roots can stop while confirmed slots go on: that is {@code
 * FINALITY_STALLED}, as on EVM. A node that refuses the commitment switches finality off for
 * itself, never the endpoint. Cost per poll with finality: 3 or 4 requests instead of 2.
 */
final class SolanaHeadSource implements HeadSource {
  private static final Pattern BASE58 = Pattern.compile("[1-9A-HJ-NP-Za-km-z]{32,44}");

  /** Solana's "Node is unhealthy" / behind: answered by getHealth while the node catches up. */
  private static final String NODE_UNHEALTHY = "JSON-RPC error -32005:";

  private static final List<Object> CONFIRMED = List.of(Map.of("commitment", "confirmed"));
  private static final List<Object> FINALIZED = List.of(Map.of("commitment", "finalized"));

  private final HttpEndpoint http;

  /** The last finalized block read, so an unmoved root costs no getBlockTime. */
  private volatile @Nullable BlockHead lastFinalized;

  SolanaHeadSource(HttpEndpoint http) {
    this.http = http;
  }

  @Override
  public long requestCount() {
    return http.requests();
  }

  @Override
  public java.util.Map<String, Long> callsByMethod() {
    return http.calls();
  }

  @Override
  public boolean linksBlocks() {
    return false;
  }

  @SuppressWarnings("FutureReturnValueIgnored") // handle() returns the next stage, composed
  @Override
  public CompletableFuture<Heads> heads(boolean withFinalized) {
    if (!withFinalized) {
      return confirmed().thenApply(h -> new Heads(h, null, null));
    }
    return http.call("2.0", "getSlot", FINALIZED)
        .thenCompose(
            n -> {
              long root = http.number(n, "getSlot(finalized)");
              BlockHead known = lastFinalized;
              if (known != null && known.number() == root) {
                return CompletableFuture.completedFuture(known);
              }
              return blockTime(root, "finalized")
                  .thenApply(
                      seconds -> {
                        BlockHead f = slotHead(root, seconds);
                        lastFinalized = f;
                        return f;
                      });
            })
        .handle(
            (f, e) -> {
              if (e == null) {
                return confirmed().thenApply(h -> new Heads(h, f, null));
              }
              Throwable cause =
                  e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
              if (cause instanceof RpcException r && r.transport()) {
                return CompletableFuture.<Heads>failedFuture(cause);
              }
              String why = "the finalized slot could not be read: " + cause.getMessage();
              return confirmed().thenApply(h -> new Heads(h, null, why));
            })
        .thenCompose(f -> f);
  }

  private static BlockHead slotHead(long slot, long seconds) {
    return new BlockHead(slot, "slot:" + slot, "slot:" + (slot - 1), seconds);
  }

  private CompletableFuture<Long> blockTime(long slot, String commitment) {
    return http.call("2.0", "getBlockTime", List.of(slot))
        .thenApply(
            time -> {
              if (time.isNull()) {
                throw HttpEndpoint.failure(
                    "getBlockTime("
                        + slot
                        + ") returned null: no time for the "
                        + commitment
                        + " slot");
              }
              return HttpEndpoint.seconds(
                  http.number(time, "getBlockTime(" + slot + ")"), "block time of slot " + slot);
            });
  }

  /** The confirmed slot and its time. */
  private CompletableFuture<BlockHead> confirmed() {
    return headNumber()
        .thenCompose(slot -> blockTime(slot, "confirmed").thenApply(t -> slotHead(slot, t)));
  }

  @Override
  public CompletableFuture<Long> headNumber() {
    return http.call("2.0", "getSlot", CONFIRMED).thenApply(n -> http.number(n, "getSlot"));
  }

  @Override
  public CompletableFuture<String> identity() {
    return http.call("2.0", "getGenesisHash", List.of())
        .thenApply(
            hash -> {
              if (!hash.isTextual() || !BASE58.matcher(hash.textValue()).matches()) {
                throw HttpEndpoint.failure(
                    "getGenesisHash returned '"
                        + http.text(hash.toString())
                        + "', not a base-58 hash");
              }
              return hash.textValue();
            });
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return http.call("2.0", "getHealth", List.of())
        .handle(
            (ok, e) -> {
              if (e == null) {
                return false;
              }
              Throwable cause =
                  e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
              if (cause instanceof RpcException r
                  && !r.transport()
                  && String.valueOf(r.getMessage()).contains(NODE_UNHEALTHY)) {
                return true;
              }
              throw e instanceof CompletionException c ? c : new CompletionException(cause);
            });
  }
}
