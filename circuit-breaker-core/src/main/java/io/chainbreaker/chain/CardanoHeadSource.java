package io.chainbreaker.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of a Cardano network, read through a Blockfrost-compatible REST API (the hosted
 * Blockfrost, or Blockfrost "run your own" over cardano-db-sync, or another server of the same API,
 * e.g. yaci-store) as documented at https://docs.blockfrost.io/ ; the endpoint's URL is the API
 * root, e.g. {@code https://cardano-mainnet.blockfrost.io/api/v0}:
 *
 * <ul>
 *   <li>head: {@code GET /blocks/latest} ({@code height}, {@code hash}, {@code previous_block},
 *       {@code time} in Unix seconds), one request;
 *   <li>blocks: {@code GET /blocks/{height}} and {@code /blocks/{hash}} (HTTP 404 is a null block):
 *       Ouroboros Praos forks are settled by the longest chain, so short rollbacks are normal and a
 *       deep one (as in the split of 2025-11-21) is a {@code DEEP_REORG};
 *   <li>identity: {@code GET /genesis} {@code network_magic} (mainnet 764824073, preprod 1, preview
 *       2).
 * </ul>
 *
 * <p>Why Blockfrost's API rather than Ogmios: exchanges read Cardano through cardano-db-sync and
 * REST services over it (Blockfrost hosted or self-run, which many custodians and wallets use)
 * rather than through Ogmios's WebSocket JSON-RPC to a local node; and {@code /blocks/latest} gives
 * height, hash, parent and time in one request, where Ogmios's tip names a slot that needs the era
 * history to become a time. Hosted Blockfrost wants its key in a {@code project_id} header, which
 * this source does not send: use a self-run or gateway endpoint that authenticates by URL. Cardano
 * has no {@code finalized} tag (a block is settled after k = 2160 blocks); the syncing check
 * answers false, and a backend behind shows as {@code LAGGING}.
 */
final class CardanoHeadSource implements HeadSource {
  private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");

  private final HttpEndpoint http;

  CardanoHeadSource(HttpEndpoint http) {
    this.http = http;
  }

  @Override
  public long requestCount() {
    return http.requests();
  }

  @Override
  public CompletableFuture<Heads> heads(boolean withFinalized) {
    return block("latest")
        .thenApply(
            head -> {
              if (head == null) {
                throw HttpEndpoint.failure("/blocks/latest found no block");
              }
              return new Heads(
                  head,
                  null,
                  withFinalized ? "Cardano has no finalized block (settled after k blocks)" : null);
            });
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByNumber(long number) {
    return block(Long.toString(number));
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByHash(String hash) {
    return HASH.matcher(hash).matches()
        ? block(hash.toLowerCase(Locale.ROOT))
        : CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<String> identity() {
    return http.getJson("/genesis", "/genesis")
        .thenApply(
            genesis -> {
              long magic = http.number(genesis.path("network_magic"), "/genesis network_magic");
              if (magic > 0xFFFF_FFFFL) {
                throw HttpEndpoint.failure("/genesis network_magic is out of range: " + magic);
              }
              return Long.toString(magic);
            });
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return CompletableFuture.completedFuture(false);
  }

  private CompletableFuture<@Nullable BlockHead> block(String id) {
    String what = "/blocks/" + id;
    return http.getJson(what, what)
        .handle(
            (b, e) -> {
              if (e != null) {
                Throwable cause =
                    e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof RpcException r
                    && String.valueOf(r.getMessage()).startsWith("HTTP 404")) {
                  return null;
                }
                throw e instanceof CompletionException c ? c : new CompletionException(cause);
              }
              long height = http.number(b.path("height"), what + " height");
              String hash = hash(b.path("hash"), what + " hash");
              JsonNode prev = b.path("previous_block");
              String parent =
                  height == 0 && (prev.isNull() || prev.isMissingNode())
                      ? "0".repeat(64)
                      : hash(prev, what + " previous_block");
              long time =
                  HttpEndpoint.seconds(
                      http.number(b.path("time"), what + " time"), "time of block " + height);
              return new BlockHead(height, hash, parent, time);
            });
  }

  private String hash(JsonNode node, String what) {
    if (!node.isTextual() || !HASH.matcher(node.textValue()).matches()) {
      throw HttpEndpoint.failure(
          what + " is not a block hash: '" + http.text(node.toString()) + "'");
    }
    return node.textValue().toLowerCase(Locale.ROOT);
  }
}
