package io.chainbreaker.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of a Tron network, read through the full node's HTTP API as documented at
 * https://developers.tron.network/reference :
 *
 * <ul>
 *   <li>head: {@code POST /wallet/getnowblock} ({@code blockID}, {@code
 *       block_header.raw_data.number}, {@code .parentHash}, {@code .timestamp} in ms);
 *   <li>blocks by number: {@code POST /wallet/getblockbynum {"num": N}} (an empty object where the
 *       node has none); by hash: {@code POST /wallet/getblockbyid {"value": id}};
 *   <li>identity: the genesis block id, {@code blockID} of block 0.
 * </ul>
 *
 * <p>The HTTP API has no syncing flag the engine can read cheaply: the syncing check answers false,
 * and a node that falls behind shows as {@code LAGGING}. No {@code finalized} tag (Tron's
 * solidified blocks are served by another API): finality is not watched.
 */
final class TronHeadSource implements HeadSource {
  private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");

  private final HttpEndpoint http;

  TronHeadSource(HttpEndpoint http) {
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
    return block("/wallet/getnowblock", Map.of())
        .thenApply(
            head -> {
              if (head == null) {
                throw HttpEndpoint.failure("/wallet/getnowblock returned no block");
              }
              return new Heads(head, null, withFinalized ? "Tron has no finalized tag" : null);
            });
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByNumber(long number) {
    return block("/wallet/getblockbynum", Map.of("num", number));
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByHash(String hash) {
    return block("/wallet/getblockbyid", Map.of("value", hash));
  }

  @Override
  public CompletableFuture<String> identity() {
    return http.postJson("/wallet/getblockbynum", Map.of("num", 0), "/wallet/getblockbynum(0)")
        .thenApply(genesis -> hash(genesis.path("blockID"), "genesis blockID"));
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return CompletableFuture.completedFuture(false);
  }

  private CompletableFuture<@Nullable BlockHead> block(String path, Map<String, Object> body) {
    return http.postJson(path, body, path)
        .thenApply(
            block -> {
              if (block.isObject() && block.isEmpty()) {
                return null;
              }
              if (block.has("Error") || block.has("error")) {
                throw HttpEndpoint.failure(
                    path
                        + " returned an error: "
                        + http.text(block.path(block.has("Error") ? "Error" : "error").toString()));
              }
              JsonNode raw = block.path("block_header").path("raw_data");
              if (!raw.isObject()) {
                throw HttpEndpoint.failure(
                    "malformed answer to " + path + ": no block_header.raw_data");
              }
              long number = http.number(raw.path("number"), path + " number");
              long millis = http.number(raw.path("timestamp"), path + " timestamp");
              return new BlockHead(
                  number,
                  hash(block.path("blockID"), path + " blockID"),
                  hash(raw.path("parentHash"), path + " parentHash"),
                  HttpEndpoint.seconds(millis / 1000, "block #" + number + " timestamp"));
            });
  }

  private String hash(JsonNode node, String what) {
    if (!node.isTextual() || !HASH.matcher(node.textValue()).matches()) {
      throw HttpEndpoint.failure(what + " is not a block id: '" + http.text(node.toString()) + "'");
    }
    return node.textValue().toLowerCase(java.util.Locale.ROOT);
  }
}
