package io.chainbreaker.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of a Substrate chain (Polkadot, Kusama, parachains), read through the node's
 * JSON-RPC API as documented at https://polkadot.js.org/docs/substrate/rpc/ :
 *
 * <ul>
 *   <li>head: {@code chain_getBlockHash()} (the best block's hash), then {@code
 *       chain_getHeader(hash)} ({@code number}, {@code parentHash}) and {@code
 *       state_getStorage(Timestamp.Now, hash)} (the block's time in milliseconds, SCALE u64); the
 *       three describe the same block because the last two are asked at its hash; number only:
 *       {@code chain_getHeader()};
 *   <li>finalized: {@code chain_getFinalizedHead} (GRANDPA), then its header and time: a chain
 *       whose blocks continue while GRANDPA stops finalizing has its deposits suspended, as on EVM;
 *   <li>blocks: {@code chain_getBlockHash(n)} (null beyond the head), {@code chain_getHeader(hash)}
 *       (null for an unknown hash);
 *   <li>identity: the genesis hash, {@code chain_getBlockHash(0)} (Polkadot {@code 0x91b171bb…},
 *       Kusama {@code 0xb0a8d493…}); {@code system_chain} is only a name, which forks keep;
 *   <li>syncing: {@code system_health} {@code isSyncing}.
 * </ul>
 */
final class SubstrateHeadSource implements HeadSource {
  private static final Pattern HASH = Pattern.compile("0x[0-9a-fA-F]{64}");

  /** twox128("Timestamp") ++ twox128("Now"): the storage key of the timestamp pallet's value. */
  static final String TIMESTAMP_NOW =
      "0xf0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb";

  private final HttpEndpoint http;

  SubstrateHeadSource(HttpEndpoint http) {
    this.http = http;
  }

  @Override
  public long requestCount() {
    return http.requests();
  }

  @Override
  public CompletableFuture<Heads> heads(boolean withFinalized) {
    CompletableFuture<BlockHead> latest =
        http.call("2.0", "chain_getBlockHash", List.of())
            .thenCompose(hash -> block(hash(hash, "chain_getBlockHash()"), "best block"))
            .thenApply(head -> present(head, "the best block"));
    if (!withFinalized) {
      return latest.thenApply(head -> new Heads(head, null, null));
    }
    return latest.thenCompose(
        head ->
            http.call("2.0", "chain_getFinalizedHead", List.of())
                .thenCompose(hash -> block(hash(hash, "chain_getFinalizedHead"), "finalized block"))
                .thenApply(f -> new Heads(head, present(f, "the finalized block"), null)));
  }

  @Override
  public CompletableFuture<Long> headNumber() {
    return http.call("2.0", "chain_getHeader", List.of())
        .thenApply(header -> number(header, "chain_getHeader()"));
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByNumber(long number) {
    return http.call("2.0", "chain_getBlockHash", List.of(number))
        .thenCompose(
            hash ->
                hash.isNull()
                    ? CompletableFuture.completedFuture(null)
                    : block(hash(hash, "chain_getBlockHash(" + number + ")"), "block " + number));
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByHash(String hash) {
    return HASH.matcher(hash).matches()
        ? block(hash.toLowerCase(Locale.ROOT), "block " + hash)
        : CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<String> identity() {
    return http.call("2.0", "chain_getBlockHash", List.of(0))
        .thenApply(hash -> hash(hash, "chain_getBlockHash(0)"));
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return http.call("2.0", "system_health", List.of())
        .thenApply(
            health -> {
              JsonNode syncing = health.path("isSyncing");
              if (!syncing.isBoolean()) {
                throw HttpEndpoint.failure("system_health has no isSyncing flag");
              }
              return syncing.booleanValue();
            });
  }

  /** The header and time of the block with this hash; null if the node does not know it. */
  private CompletableFuture<@Nullable BlockHead> block(String hash, String what) {
    return http.call("2.0", "chain_getHeader", List.of(hash))
        .thenCompose(
            header -> {
              if (header.isNull()) {
                return CompletableFuture.completedFuture(null);
              }
              if (!header.isObject()) {
                throw HttpEndpoint.failure(
                    "chain_getHeader of the "
                        + what
                        + " returned '"
                        + http.text(header.toString())
                        + "', not a header");
              }
              long number = number(header, "chain_getHeader of the " + what);
              String parent = hash(header.path("parentHash"), "parentHash of block #" + number);
              return http.call("2.0", "state_getStorage", List.of(TIMESTAMP_NOW, hash))
                  .thenApply(time -> new BlockHead(number, hash, parent, seconds(time, number)));
            });
  }

  /** Timestamp.Now, a SCALE-encoded (little-endian) u64 of milliseconds, as seconds. */
  private long seconds(JsonNode storage, long number) {
    String what = "Timestamp.Now of block #" + number;
    if (!storage.isTextual() || !storage.textValue().matches("0x[0-9a-fA-F]{16}")) {
      throw HttpEndpoint.failure(
          what + " is not a SCALE u64: '" + http.text(storage.toString()) + "'");
    }
    String hex = storage.textValue().substring(2);
    long millis = 0;
    for (int i = 14; i >= 0; i -= 2) {
      millis = (millis << 8) | Integer.parseInt(hex.substring(i, i + 2), 16);
    }
    if (millis < 0) {
      throw HttpEndpoint.failure(what + " is out of range: " + Long.toUnsignedString(millis));
    }
    return HttpEndpoint.seconds(millis / 1000, what);
  }

  private long number(JsonNode header, String what) {
    JsonNode n = header.path("number");
    return Web3jHeadSources.unchecked(
        () -> Web3jHeadSources.quantity(what + " number", n.isTextual() ? n.textValue() : null));
  }

  private BlockHead present(@Nullable BlockHead block, String what) {
    if (block == null) {
      throw HttpEndpoint.failure("the node has no header for " + what);
    }
    return block;
  }

  private String hash(JsonNode node, String what) {
    if (!node.isTextual() || !HASH.matcher(node.textValue()).matches()) {
      throw HttpEndpoint.failure(
          what + " is not a block hash: '" + http.text(node.toString()) + "'");
    }
    return node.textValue().toLowerCase(Locale.ROOT);
  }
}
