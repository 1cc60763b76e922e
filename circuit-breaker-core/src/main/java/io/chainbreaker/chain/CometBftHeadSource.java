package io.chainbreaker.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of a CometBFT chain (Cosmos SDK chains: Cosmos Hub, Osmosis, ...), read through the
 * CometBFT RPC over HTTP GET as documented at https://docs.cometbft.com/v0.38/rpc/ :
 *
 * <ul>
 *   <li>head: {@code /block} (the latest: {@code block_id.hash}, {@code header.height}, {@code
 *       header.time}, {@code header.last_block_id.hash}); number only: {@code /status} {@code
 *       sync_info.latest_block_height};
 *   <li>blocks: {@code /block?height=N}, {@code /block_by_hash?hash=0x...};
 *   <li>identity: {@code /status} {@code node_info.network} (e.g. {@code cosmoshub-4});
 *   <li>syncing: {@code /status} {@code sync_info.catching_up}.
 * </ul>
 *
 * <p>Finality is instant: a CometBFT block is committed with the precommits of 2/3 of the voting
 * power or not at all, so there is no {@code finalized} block behind the head and the finality rule
 * does not apply (a network that sets {@code finalityStallAfter} is told so once per endpoint, and
 * finality is switched off for it); a stop of consensus is a stop of the head: {@code HALTED}.
 * Reorgs are followed by hash as on other chains (a fork would be a consensus failure worth
 * knowing).
 */
final class CometBftHeadSource implements HeadSource {
  private static final Pattern HASH = Pattern.compile("[0-9A-Fa-f]{64}");
  private static final String NO_PARENT = "0".repeat(64);

  private final HttpEndpoint http;

  CometBftHeadSource(HttpEndpoint http) {
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
    return block("/block", "/block")
        .thenApply(
            head -> {
              if (head == null) {
                throw HttpEndpoint.failure("/block returned no latest block");
              }
              return new Heads(
                  head,
                  null,
                  withFinalized
                      ? "CometBFT blocks are final when committed: no finalized tag"
                      : null);
            });
  }

  @Override
  public CompletableFuture<Long> headNumber() {
    return result("/status", "/status")
        .thenApply(
            status ->
                http.number(
                    status.path("sync_info").path("latest_block_height"),
                    "/status latest_block_height"));
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByNumber(long number) {
    return block("/block?height=" + number, "/block?height");
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByHash(String hash) {
    if (!HASH.matcher(hash).matches()) {
      return CompletableFuture.completedFuture(null);
    }
    return block("/block_by_hash?hash=0x" + hash, "/block_by_hash");
  }

  @Override
  public CompletableFuture<String> identity() {
    return result("/status", "/status")
        .thenApply(
            status -> {
              JsonNode network = status.path("node_info").path("network");
              if (!network.isTextual() || network.textValue().isBlank()) {
                throw HttpEndpoint.failure("/status has no node_info.network");
              }
              return http.text(network.textValue());
            });
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return result("/status", "/status")
        .thenApply(
            status -> {
              JsonNode catchingUp = status.path("sync_info").path("catching_up");
              if (!catchingUp.isBoolean()) {
                throw HttpEndpoint.failure("/status has no sync_info.catching_up flag");
              }
              return catchingUp.booleanValue();
            });
  }

  /** A block from {@code /block} or {@code /block_by_hash}; null where the node has none. */
  private CompletableFuture<@Nullable BlockHead> block(String path, String what) {
    return http.getJson(path, what)
        .thenApply(
            answer -> {
              JsonNode error = answer.path("error");
              if (!error.isMissingNode() && !error.isNull()) {
                String data = error.path("data").asText("");
                if (data.contains("must be less than or equal") || data.contains("not found")) {
                  return null;
                }
                throw HttpEndpoint.failure(
                    what
                        + " returned JSON-RPC error "
                        + http.text(error.path("code").asText())
                        + ": "
                        + http.text(error.path("message").asText())
                        + " "
                        + http.text(data));
              }
              JsonNode result = answer.path("result");
              JsonNode header = result.path("block").path("header");
              if (result.path("block").isNull()) {
                return null; // block_by_hash of an unknown hash
              }
              if (!header.isObject()) {
                throw HttpEndpoint.failure(
                    "malformed answer to " + what + ": no result.block.header");
              }
              long height = http.number(header.path("height"), what + " header.height");
              String hash = hash(result.path("block_id").path("hash"), what + " block_id.hash");
              JsonNode last = header.path("last_block_id").path("hash");
              String parent =
                  height <= 1 && last.asText("").isEmpty()
                      ? NO_PARENT
                      : hash(last, what + " last_block_id.hash");
              return new BlockHead(height, hash, parent, time(header.path("time"), what));
            });
  }

  private long time(JsonNode node, String what) {
    try {
      return HttpEndpoint.seconds(
          Instant.parse(node.asText("")).getEpochSecond(), what + " header.time");
    } catch (DateTimeParseException e) {
      throw HttpEndpoint.failure(
          what + " header.time is not a time: '" + http.text(node.toString()) + "'");
    }
  }

  private String hash(JsonNode node, String what) {
    String text = node.asText("");
    if (!node.isTextual() || !HASH.matcher(text).matches()) {
      throw HttpEndpoint.failure(
          what + " is not a block hash: '" + http.text(node.toString()) + "'");
    }
    return text.toUpperCase(java.util.Locale.ROOT);
  }

  /** The {@code result} of a JSON-RPC envelope from a GET, failing on an {@code error}. */
  private CompletableFuture<JsonNode> result(String path, String what) {
    return http.getJson(path, what)
        .thenApply(
            answer -> {
              JsonNode error = answer.path("error");
              if (!error.isMissingNode() && !error.isNull()) {
                throw HttpEndpoint.failure(
                    what
                        + " returned JSON-RPC error "
                        + http.text(error.path("code").asText())
                        + ": "
                        + http.text(error.path("message").asText()));
              }
              JsonNode result = answer.path("result");
              if (!result.isObject()) {
                throw HttpEndpoint.failure("malformed answer to " + what + ": no result object");
              }
              return result;
            });
  }
}
