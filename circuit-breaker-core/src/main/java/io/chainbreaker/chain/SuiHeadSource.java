package io.chainbreaker.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of a Sui network, read through its JSON-RPC API as documented at
 * https://docs.sui.io/sui-api-ref . The chain's blocks are checkpoints:
 *
 * <ul>
 *   <li>head: {@code sui_getLatestCheckpointSequenceNumber}, then {@code sui_getCheckpoint} for its
 *       {@code digest}, {@code previousDigest} and {@code timestampMs}; number only: the first
 *       call;
 *   <li>blocks: {@code sui_getCheckpoint} by sequence number or by digest;
 *   <li>identity: {@code sui_getChainIdentifier} (mainnet {@code 35834a8a}).
 * </ul>
 *
 * <p>Finality: a checkpoint is certified by 2/3 of the validators' stake before a node executes and
 * serves it, so the latest checkpoint is both the head and the finalized block; asked for finality,
 * the source reports it as both (no extra request). Finality therefore cannot stall while
 * checkpoints go on: when certification stops, checkpoints stop, and that is {@code HALTED} (Sui,
 * 2024-11-21). No syncing flag: the check answers false, and a node that falls behind shows as
 * {@code LAGGING}.
 */
final class SuiHeadSource implements HeadSource {
  private static final Pattern DIGEST = Pattern.compile("[1-9A-HJ-NP-Za-km-z]{32,44}");

  private final HttpEndpoint http;

  SuiHeadSource(HttpEndpoint http) {
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
    return headNumber()
        .thenCompose(
            n ->
                checkpoint(Long.toString(n))
                    .thenApply(
                        head -> {
                          if (head == null) {
                            throw HttpEndpoint.failure(
                                "sui_getCheckpoint(" + n + ") found no latest checkpoint");
                          }
                          return new Heads(head, withFinalized ? head : null, null);
                        }));
  }

  @Override
  public CompletableFuture<Long> headNumber() {
    return http.call("2.0", "sui_getLatestCheckpointSequenceNumber", List.of())
        .thenApply(n -> http.number(n, "sui_getLatestCheckpointSequenceNumber"));
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByNumber(long number) {
    return checkpoint(Long.toString(number));
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByHash(String hash) {
    return DIGEST.matcher(hash).matches()
        ? checkpoint(hash)
        : CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<String> identity() {
    return http.call("2.0", "sui_getChainIdentifier", List.of())
        .thenApply(
            id -> {
              if (!id.isTextual() || !id.textValue().matches("[0-9a-f]{8}")) {
                throw HttpEndpoint.failure(
                    "sui_getChainIdentifier returned '"
                        + http.text(id.toString())
                        + "', not a chain identifier");
              }
              return id.textValue();
            });
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return CompletableFuture.completedFuture(false);
  }

  private CompletableFuture<@Nullable BlockHead> checkpoint(String id) {
    return http.call("2.0", "sui_getCheckpoint", List.of(id))
        .handle(
            (c, e) -> {
              if (e != null) {
                Throwable cause =
                    e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof RpcException r
                    && !r.transport()
                    && String.valueOf(r.getMessage()).contains("Could not find")) {
                  return null;
                }
                throw e instanceof CompletionException ce ? ce : new CompletionException(cause);
              }
              if (!c.isObject()) {
                throw HttpEndpoint.failure(
                    "sui_getCheckpoint returned '"
                        + http.text(c.toString())
                        + "', not a checkpoint");
              }
              long number = http.number(c.path("sequenceNumber"), "checkpoint sequenceNumber");
              long millis = http.number(c.path("timestampMs"), "checkpoint timestampMs");
              JsonNode prev = c.path("previousDigest");
              String parent =
                  number == 0 && (prev.isMissingNode() || prev.isNull())
                      ? "genesis"
                      : digest(prev, "previousDigest of checkpoint " + number);
              return new BlockHead(
                  number,
                  digest(c.path("digest"), "digest of checkpoint " + number),
                  parent,
                  HttpEndpoint.seconds(millis / 1000, "checkpoint " + number + " timestampMs"));
            });
  }

  private String digest(JsonNode node, String what) {
    if (!node.isTextual() || !DIGEST.matcher(node.textValue()).matches()) {
      throw HttpEndpoint.failure(what + " is not a digest: '" + http.text(node.toString()) + "'");
    }
    return node.textValue();
  }
}
