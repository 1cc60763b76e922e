package io.chainbreaker.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of a Bitcoin-family network (Bitcoin, Litecoin, Dogecoin, Bitcoin Cash), spoken to
 * in Bitcoin Core's JSON-RPC 1.0 dialect with basic authentication from the URL's user info ({@code
 * http://user:password@host:8332}). Methods, as documented in the Bitcoin Core RPC reference
 * (https://developer.bitcoin.org/reference/rpc/):
 *
 * <ul>
 *   <li>head: {@code getbestblockhash}, then {@code getblockheader(hash)} for height, time and
 *       {@code previousblockhash}; number only: {@code getblockcount};
 *   <li>blocks by number: {@code getblockhash(n)} and {@code getblockheader}; by hash: {@code
 *       getblockheader} (error -5 "Block not found" is a null block, as is -8 "Block height out of
 *       range");
 *   <li>identity: the genesis block hash, {@code getblockhash(0)};
 *   <li>syncing: {@code getblockchaininfo}'s {@code initialblockdownload}.
 * </ul>
 *
 * <p>These chains have no {@code finalized} block: finality is never watched; reorgs are followed
 * by hash as on EVM chains.
 */
final class BitcoinHeadSource implements HeadSource {
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  /** Bitcoin Core's "Invalid address or key" (block not found) and "Invalid parameter" codes. */
  private static final int RPC_INVALID_ADDRESS_OR_KEY = -5;

  private static final int RPC_INVALID_PARAMETER = -8;
  private static final String NO_PARENT = "0".repeat(64);

  private final HttpEndpoint http;

  BitcoinHeadSource(HttpEndpoint http) {
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
  public CompletableFuture<Heads> heads(boolean withFinalized) {
    return call("getbestblockhash")
        .thenCompose(
            hash ->
                header(hash(hash, "getbestblockhash"))
                    .thenApply(
                        head ->
                            new Heads(
                                head,
                                null,
                                withFinalized
                                    ? "Bitcoin-family nodes have no finalized block"
                                    : null)));
  }

  @Override
  public CompletableFuture<Long> headNumber() {
    return call("getblockcount")
        .thenApply(
            n -> {
              if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
                throw failure(
                    "getblockcount returned '" + http.text(n.toString()) + "', not a height");
              }
              return n.asLong();
            });
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByNumber(long number) {
    return orNull(call("getblockhash", number))
        .thenCompose(
            hash ->
                hash == null
                    ? CompletableFuture.completedFuture(null)
                    : orNull(header(hash(hash, "getblockhash"))));
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByHash(String hash) {
    return orNull(header(hash));
  }

  @Override
  public CompletableFuture<String> identity() {
    return call("getblockhash", 0).thenApply(hash -> hash(hash, "getblockhash(0)"));
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return call("getblockchaininfo")
        .thenApply(
            info -> {
              JsonNode ibd = info.path("initialblockdownload");
              if (!ibd.isBoolean()) {
                throw failure("getblockchaininfo has no initialblockdownload flag");
              }
              return ibd.booleanValue();
            });
  }

  private CompletableFuture<BlockHead> header(String hash) {
    return call("getblockheader", hash, true)
        .thenApply(
            h -> {
              if (!h.isObject()) {
                throw failure(
                    "getblockheader returned '" + http.text(h.toString()) + "', not a header");
              }
              String got = hash(h.path("hash"), "getblockheader hash");
              JsonNode height = h.path("height");
              JsonNode time = h.path("time");
              if (!height.isIntegralNumber() || height.asLong() < 0) {
                throw failure("getblockheader of " + got + " has no valid height");
              }
              if (!time.isIntegralNumber()
                  || time.asLong() < 0
                  || time.asLong() > Web3jHeadSources.MAX_TIMESTAMP) {
                throw failure(
                    "block #"
                        + height.asLong()
                        + " has a time out of range: '"
                        + http.text(time.toString())
                        + "'");
              }
              JsonNode prev = h.path("previousblockhash");
              String parent =
                  prev.isMissingNode() && height.asLong() == 0
                      ? NO_PARENT
                      : hash(prev, "previousblockhash of block #" + height.asLong());
              return new BlockHead(height.asLong(), got, parent, time.asLong());
            });
  }

  /** A 64-hex-digit block hash, lower case, or a failure naming what carried it. */
  private String hash(JsonNode node, String what) {
    String text = node.isTextual() ? node.textValue() : node.toString();
    if (!node.isTextual() || !HASH.matcher(text).matches()) {
      throw failure(what + " is not a block hash: '" + http.text(text) + "'");
    }
    return text;
  }

  private CompletableFuture<JsonNode> call(String method, Object... params) {
    return http.call("1.0", method, List.of(params));
  }

  /** The block, or null where the node said it has no such block. */
  private static <T> CompletableFuture<@Nullable T> orNull(CompletableFuture<T> request) {
    return request.handle(
        (value, e) -> {
          if (e == null) {
            return value;
          }
          Throwable cause =
              e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          String message = String.valueOf(cause.getMessage());
          if (cause instanceof RpcException
              && (message.contains("JSON-RPC error " + RPC_INVALID_ADDRESS_OR_KEY + ":")
                  || message.contains("JSON-RPC error " + RPC_INVALID_PARAMETER + ":"))) {
            return null;
          }
          throw e instanceof CompletionException c ? c : new CompletionException(cause);
        });
  }

  private static CompletionException failure(String message) {
    return new CompletionException(new RpcException(message));
  }
}
