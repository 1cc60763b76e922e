package io.chainbreaker.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * One endpoint of an Algorand network, read through algod's REST API v2 as documented at
 * https://dev.algorand.co/reference/rest-api/algod/ :
 *
 * <ul>
 *   <li>head: {@code GET /v2/status} ({@code last-round}), then {@code GET
 *       /v2/blocks/{round}?format=json} for the block's {@code ts} (Unix seconds); number only: the
 *       first;
 *   <li>identity: {@code GET /versions} {@code genesis_hash_b64} (mainnet {@code
 *       wGHE2Pwdvd7S12BL5FaOP20EGYesN73ktiC1qzkkit8=}; {@code genesis_id} is only a name);
 *   <li>syncing: {@code /v2/status} {@code catchup-time} above zero (catching up), or {@code
 *       stopped-at-unsupported-round} (a node too old for the network's protocol stops there).
 * </ul>
 *
 * <p>Algorand blocks are final when certified (no forks, no {@code finalized} tag); heads are read
 * by round alone ({@link #linksBlocks()} is false). algod's {@code X-Algo-API-Token} header is not
 * sent: use a node or provider that needs no token, or one that takes basic authentication from the
 * URL.
 */
final class AlgorandHeadSource implements HeadSource {
  private static final Pattern HASH = Pattern.compile("[A-Za-z0-9+/]{43}=");

  private final HttpEndpoint http;

  AlgorandHeadSource(HttpEndpoint http) {
    this.http = http;
  }

  @Override
  public long requestCount() {
    return http.requests();
  }

  @Override
  public boolean linksBlocks() {
    return false;
  }

  @Override
  public CompletableFuture<Heads> heads(boolean withFinalized) {
    return headNumber()
        .thenCompose(
            round ->
                http.getJson("/v2/blocks/" + round + "?format=json", "/v2/blocks/" + round)
                    .thenApply(
                        answer -> {
                          JsonNode block = answer.path("block");
                          if (!block.isObject()) {
                            throw HttpEndpoint.failure(
                                "malformed answer to /v2/blocks/"
                                    + round
                                    + ": no block: '"
                                    + http.text(answer.toString())
                                    + "'");
                          }
                          long rnd = http.number(block.path("rnd"), "block rnd");
                          if (rnd != round) {
                            throw HttpEndpoint.failure(
                                "/v2/blocks/" + round + " answered round " + rnd);
                          }
                          long ts =
                              HttpEndpoint.seconds(
                                  http.number(block.path("ts"), "block " + round + " ts"),
                                  "ts of block " + round);
                          return new Heads(
                              new BlockHead(round, "round:" + round, "round:" + (round - 1), ts),
                              null,
                              withFinalized
                                  ? "Algorand blocks are final when certified: no finalized tag"
                                  : null);
                        }));
  }

  @Override
  public CompletableFuture<Long> headNumber() {
    return status().thenApply(s -> http.number(s.path("last-round"), "/v2/status last-round"));
  }

  @Override
  public CompletableFuture<String> identity() {
    return http.getJson("/versions", "/versions")
        .thenApply(
            v -> {
              JsonNode hash = v.path("genesis_hash_b64");
              if (!hash.isTextual() || !HASH.matcher(hash.textValue()).matches()) {
                throw HttpEndpoint.failure(
                    "/versions genesis_hash_b64 is not a base64 hash: '"
                        + http.text(hash.toString())
                        + "'");
              }
              return hash.textValue();
            });
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return status()
        .thenApply(
            s ->
                http.number(s.path("catchup-time"), "/v2/status catchup-time") > 0
                    || s.path("stopped-at-unsupported-round").asBoolean(false));
  }

  private CompletableFuture<JsonNode> status() {
    return http.getJson("/v2/status", "/v2/status")
        .thenApply(
            s -> {
              if (!s.isObject() || !s.has("last-round")) {
                throw HttpEndpoint.failure(
                    "malformed answer to /v2/status: no last-round: '"
                        + http.text(s.toString())
                        + "'");
              }
              return s;
            });
  }
}
