package io.chainbreaker.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/**
 * One endpoint of an Aptos network, read through the node's REST API (https://aptos.dev/, the
 * {@code /v1} ledger information: {@code chain_id}, {@code block_height}, {@code ledger_timestamp}
 * in microseconds). One request per poll gives head, time and identity.
 *
 * <p>Blocks are read by height alone ({@link #linksBlocks()} is false). Finality is instant: the
 * ledger information a node serves is certified by AptosBFT (2/3 of the stake), so there is no
 * reorg to follow and no {@code finalized} block behind the head; the finality rule does not apply
 * (a network that sets {@code finalityStallAfter} is told so once per endpoint), and a stop of
 * consensus is a stop of the head: {@code HALTED}. The API has no syncing flag: the syncing check
 * answers false, and a node that falls behind shows as {@code LAGGING}.
 */
final class AptosHeadSource implements HeadSource {
  private final HttpEndpoint http;

  AptosHeadSource(HttpEndpoint http) {
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

  @Override
  public CompletableFuture<Heads> heads(boolean withFinalized) {
    return ledger()
        .thenApply(
            info -> {
              long height = http.number(info.path("block_height"), "/v1 block_height");
              long micros = http.number(info.path("ledger_timestamp"), "/v1 ledger_timestamp");
              return new Heads(
                  new BlockHead(
                      height,
                      "height:" + height,
                      "height:" + (height - 1),
                      HttpEndpoint.seconds(micros / 1_000_000, "ledger_timestamp")),
                  null,
                  withFinalized ? "Aptos blocks are final when committed: no finalized tag" : null);
            });
  }

  @Override
  public CompletableFuture<Long> chainId() {
    return ledger().thenApply(info -> http.number(info.path("chain_id"), "/v1 chain_id"));
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return CompletableFuture.completedFuture(false);
  }

  private CompletableFuture<JsonNode> ledger() {
    return http.getJson("/v1", "/v1")
        .thenApply(
            info -> {
              if (!info.isObject() || !info.has("chain_id")) {
                throw HttpEndpoint.failure(
                    "malformed answer to /v1: no chain_id: '" + http.text(info.toString()) + "'");
              }
              return info;
            });
  }
}
