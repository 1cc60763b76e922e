package io.chainbreaker.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of a Starknet network, read through the Starknet JSON-RPC API as specified at
 * https://github.com/starkware-libs/starknet-specs ({@code api/starknet_api_openrpc.json}):
 *
 * <ul>
 *   <li>head: {@code starknet_getBlockWithTxHashes("latest")} ({@code block_number}, {@code
 *       block_hash}, {@code parent_hash}, {@code timestamp}); number only: {@code
 *       starknet_blockHashAndNumber};
 *   <li>blocks: {@code starknet_getBlockWithTxHashes} by {@code block_number} or {@code block_hash}
 *       (error 24 "Block not found" is a null block), so a branch replaced on resume (as after the
 *       2025-09-02 halt) is seen as on EVM chains;
 *   <li>finalized: the {@code l1_accepted} block (the newest block whose state update was accepted
 *       on Ethereum), where the node serves that tag; a node that refuses it has finality switched
 *       off for it;
 *   <li>identity: {@code starknet_chainId} (mainnet {@code 0x534e5f4d41494e}, "SN_MAIN");
 *   <li>syncing: {@code starknet_syncing} ({@code false}, or an object while syncing).
 * </ul>
 *
 * <p>Hashes are field elements; they are written here as {@code 0x} and 64 lower-case hex digits,
 * whatever padding the node used.
 */
final class StarknetHeadSource implements HeadSource {
  private static final Pattern FELT = Pattern.compile("0x[0-9a-fA-F]{1,64}");

  /** Starknet's BLOCK_NOT_FOUND error code. */
  private static final String BLOCK_NOT_FOUND = "JSON-RPC error 24:";

  private final HttpEndpoint http;

  StarknetHeadSource(HttpEndpoint http) {
    this.http = http;
  }

  @Override
  public long requestCount() {
    return http.requests();
  }

  @Override
  public CompletableFuture<Heads> heads(boolean withFinalized) {
    CompletableFuture<BlockHead> latest =
        block("latest")
            .thenApply(
                head -> {
                  if (head == null) {
                    throw HttpEndpoint.failure(
                        "starknet_getBlockWithTxHashes found no latest block");
                  }
                  return head;
                });
    if (!withFinalized) {
      return latest.thenApply(head -> new Heads(head, null, null));
    }
    return latest.thenCompose(
        head ->
            block("l1_accepted")
                .handle(
                    (f, e) -> {
                      if (e == null) {
                        return f == null
                            ? new Heads(head, null, "no l1_accepted block")
                            : new Heads(head, f, null);
                      }
                      Throwable cause =
                          e instanceof CompletionException && e.getCause() != null
                              ? e.getCause()
                              : e;
                      if (cause instanceof RpcException r && !r.transport()) {
                        return new Heads(
                            head, null, "the l1_accepted tag was refused: " + r.getMessage());
                      }
                      throw e instanceof CompletionException c ? c : new CompletionException(cause);
                    }));
  }

  @Override
  public CompletableFuture<Long> headNumber() {
    return http.call("2.0", "starknet_blockHashAndNumber", List.of())
        .thenApply(
            r -> http.number(r.path("block_number"), "starknet_blockHashAndNumber block_number"));
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByNumber(long number) {
    return block(Map.of("block_number", number));
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByHash(String hash) {
    return FELT.matcher(hash).matches()
        ? block(Map.of("block_hash", hash))
        : CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<String> identity() {
    return http.call("2.0", "starknet_chainId", List.of())
        .thenApply(
            id -> {
              if (!id.isTextual() || !FELT.matcher(id.textValue()).matches()) {
                throw HttpEndpoint.failure(
                    "starknet_chainId returned '" + http.text(id.toString()) + "', not a chain id");
              }
              String hex =
                  id.textValue().substring(2).toLowerCase(Locale.ROOT).replaceFirst("^0+(?=.)", "");
              return "0x" + hex;
            });
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return http.call("2.0", "starknet_syncing", List.of())
        .thenApply(
            s -> {
              if (s.isBoolean()) {
                return s.booleanValue();
              }
              if (s.isObject()) {
                return true;
              }
              throw HttpEndpoint.failure(
                  "starknet_syncing returned '" + http.text(s.toString()) + "', not a status");
            });
  }

  /** A block by tag ("latest") or by an object naming its number or hash; null if unknown. */
  private CompletableFuture<@Nullable BlockHead> block(Object id) {
    String what =
        "starknet_getBlockWithTxHashes("
            + (id instanceof Map<?, ?> m ? m.values().iterator().next() : id)
            + ")";
    return http.call("2.0", "starknet_getBlockWithTxHashes", List.of(id))
        .handle(
            (b, e) -> {
              if (e != null) {
                Throwable cause =
                    e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof RpcException r
                    && !r.transport()
                    && String.valueOf(r.getMessage()).contains(BLOCK_NOT_FOUND)) {
                  return null;
                }
                throw e instanceof CompletionException c ? c : new CompletionException(cause);
              }
              if (!b.isObject()) {
                throw HttpEndpoint.failure(
                    what + " returned '" + http.text(b.toString()) + "', not a block");
              }
              long number = http.number(b.path("block_number"), what + " block_number");
              long time =
                  HttpEndpoint.seconds(
                      http.number(b.path("timestamp"), what + " timestamp"),
                      "timestamp of block " + number);
              return new BlockHead(
                  number,
                  felt(b.path("block_hash"), what + " block_hash"),
                  felt(b.path("parent_hash"), what + " parent_hash"),
                  time);
            });
  }

  /** A field element as {@code 0x} and 64 lower-case hex digits. */
  private String felt(JsonNode node, String what) {
    if (!node.isTextual() || !FELT.matcher(node.textValue()).matches()) {
      throw HttpEndpoint.failure(what + " is not a hash: '" + http.text(node.toString()) + "'");
    }
    String hex = node.textValue().substring(2).toLowerCase(Locale.ROOT);
    return "0x" + "0".repeat(64 - hex.length()) + hex;
  }
}
