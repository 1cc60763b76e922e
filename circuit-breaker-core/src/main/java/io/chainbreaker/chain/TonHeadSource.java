package io.chainbreaker.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * One endpoint of a TON network, read through toncenter's HTTP API v2 (the endpoint's URL is the
 * API's root, e.g. {@code https://toncenter.com/api/v2}; a key goes in the URL as {@code
 * ?api_key=...}), as documented at https://docs.ton.org/ecosystem/api/toncenter/v2/ and
 * https://toncenter.com/api/v2/ :
 *
 * <ul>
 *   <li>head: {@code GET /getMasterchainInfo} ({@code last.seqno}: the masterchain block, whose
 *       halt stops the chain, as on 2024-08-27 at block 45,341,899), then {@code GET
 *       /getBlockHeader?workchain=-1&shard=-9223372036854775808&seqno=N} for its {@code gen_utime};
 *       number only: the first;
 *   <li>identity: the zero state's root hash, {@code init.root_hash} of {@code getMasterchainInfo}
 *       (mainnet {@code F6OpKZKqvqeFp6CQmFomXNMfMj2EnaUSOXN+Mh+wVWk=}).
 * </ul>
 *
 * <p>Masterchain blocks are final once validators sign them (no {@code finalized} tag, no reorg to
 * follow); toncenter looks blocks up by seqno, not by hash, so heads are read by seqno alone
 * ({@link #linksBlocks()} is false). No syncing flag: a node behind shows as {@code LAGGING}.
 */
final class TonHeadSource implements HeadSource {
  /** The masterchain's shard id, as toncenter writes it (0x8000000000000000 as a signed long). */
  static final String MASTERCHAIN_SHARD = "-9223372036854775808";

  private static final Pattern HASH = Pattern.compile("[A-Za-z0-9+/]{43}=");

  private final HttpEndpoint http;

  TonHeadSource(HttpEndpoint http) {
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
            seqno ->
                result(
                        "/getBlockHeader?workchain=-1&shard="
                            + MASTERCHAIN_SHARD
                            + "&seqno="
                            + seqno,
                        "getBlockHeader")
                    .thenApply(
                        header -> {
                          long got =
                              http.number(
                                  header.path("id").path("seqno"), "getBlockHeader id.seqno");
                          if (got != seqno) {
                            throw HttpEndpoint.failure(
                                "getBlockHeader(" + seqno + ") answered block " + got);
                          }
                          long time =
                              HttpEndpoint.seconds(
                                  http.number(header.path("gen_utime"), "getBlockHeader gen_utime"),
                                  "gen_utime of masterchain block " + seqno);
                          String hash =
                              hash(
                                  header.path("id").path("root_hash"),
                                  "getBlockHeader id.root_hash");
                          return new Heads(
                              new BlockHead(seqno, hash, "seqno:" + (seqno - 1), time),
                              null,
                              withFinalized
                                  ? "TON masterchain blocks are final when signed: no finalized tag"
                                  : null);
                        }));
  }

  @Override
  public CompletableFuture<Long> headNumber() {
    return result("/getMasterchainInfo", "getMasterchainInfo")
        .thenApply(
            info -> http.number(info.path("last").path("seqno"), "getMasterchainInfo last.seqno"));
  }

  @Override
  public CompletableFuture<String> identity() {
    return result("/getMasterchainInfo", "getMasterchainInfo")
        .thenApply(
            info -> hash(info.path("init").path("root_hash"), "getMasterchainInfo init.root_hash"));
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return CompletableFuture.completedFuture(false);
  }

  private String hash(JsonNode node, String what) {
    if (!node.isTextual() || !HASH.matcher(node.textValue()).matches()) {
      throw HttpEndpoint.failure(
          what + " is not a base64 hash: '" + http.text(node.toString()) + "'");
    }
    return node.textValue();
  }

  /** The {@code result} object of toncenter's {@code {"ok": true, "result": ...}} envelope. */
  private CompletableFuture<JsonNode> result(String path, String what) {
    return http.getJson(path, what)
        .thenApply(
            answer -> {
              if (!answer.path("ok").asBoolean(false)) {
                throw HttpEndpoint.failure(
                    what
                        + " returned an error: "
                        + http.text(
                            answer.has("error")
                                ? answer.path("code").asText("")
                                    + " "
                                    + answer.path("error").asText()
                                : answer.toString()));
              }
              JsonNode result = answer.path("result");
              if (!result.isObject()) {
                throw HttpEndpoint.failure("malformed answer to " + what + ": no result object");
              }
              return result;
            });
  }
}
