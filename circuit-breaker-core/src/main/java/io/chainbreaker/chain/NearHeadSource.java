package io.chainbreaker.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * One endpoint of a NEAR network, read through its JSON-RPC API as documented at
 * https://docs.near.org/api/rpc/introduction :
 *
 * <ul>
 *   <li>head: {@code status} ({@code sync_info.latest_block_height}, {@code latest_block_hash},
 *       {@code latest_block_time}), one request;
 *   <li>finalized: {@code block} with {@code {"finality": "final"}} ({@code header.height}, {@code
 *       hash}, {@code prev_hash}, {@code timestamp_nanosec}): Doomslug finality, normally two
 *       blocks behind the head; a final block that stops while blocks continue suspends deposits;
 *   <li>identity: {@code status} {@code chain_id} ({@code mainnet}, {@code testnet});
 *   <li>syncing: {@code status} {@code sync_info.syncing}.
 * </ul>
 *
 * <p>Heads are read by height alone ({@link #linksBlocks()} is false): {@code status} names no
 * parent, and NEAR does not reorganise final blocks; heights may skip (a height without a block is
 * normal), which the halt rule does not mind.
 */
final class NearHeadSource implements HeadSource {
  private static final Pattern HASH = Pattern.compile("[1-9A-HJ-NP-Za-km-z]{32,44}");

  private final HttpEndpoint http;

  NearHeadSource(HttpEndpoint http) {
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
    CompletableFuture<BlockHead> latest = status().thenApply(this::head);
    if (!withFinalized) {
      return latest.thenApply(head -> new Heads(head, null, null));
    }
    return latest.thenCompose(
        head ->
            http.call("2.0", "block", Map.of("finality", "final"))
                .thenApply(block -> new Heads(head, finalBlock(block), null)));
  }

  @Override
  public CompletableFuture<String> identity() {
    return status()
        .thenApply(
            status -> {
              JsonNode id = status.path("chain_id");
              if (!id.isTextual() || !id.textValue().matches("[a-z0-9][a-z0-9._-]{0,63}")) {
                throw HttpEndpoint.failure(
                    "status chain_id is not a chain id: '" + http.text(id.toString()) + "'");
              }
              return id.textValue();
            });
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return status()
        .thenApply(
            status -> {
              JsonNode syncing = status.path("sync_info").path("syncing");
              if (!syncing.isBoolean()) {
                throw HttpEndpoint.failure("status has no sync_info.syncing flag");
              }
              return syncing.booleanValue();
            });
  }

  private BlockHead head(JsonNode status) {
    JsonNode sync = status.path("sync_info");
    long height = http.number(sync.path("latest_block_height"), "status latest_block_height");
    String hash = hash(sync.path("latest_block_hash"), "status latest_block_hash");
    JsonNode time = sync.path("latest_block_time");
    long seconds;
    try {
      seconds =
          HttpEndpoint.seconds(
              Instant.parse(time.asText("")).getEpochSecond(), "status latest_block_time");
    } catch (DateTimeParseException e) {
      throw HttpEndpoint.failure(
          "status latest_block_time is not a time: '" + http.text(time.toString()) + "'");
    }
    return new BlockHead(height, hash, "height:" + (height - 1), seconds);
  }

  private BlockHead finalBlock(JsonNode block) {
    JsonNode header = block.path("header");
    if (!header.isObject()) {
      throw HttpEndpoint.failure("malformed answer to block(final): no header");
    }
    long height = http.number(header.path("height"), "block(final) header.height");
    long nanos = http.number(header.path("timestamp_nanosec"), "block(final) timestamp_nanosec");
    return new BlockHead(
        height,
        hash(header.path("hash"), "block(final) header.hash"),
        hash(header.path("prev_hash"), "block(final) header.prev_hash"),
        HttpEndpoint.seconds(nanos / 1_000_000_000L, "block(final) timestamp_nanosec"));
  }

  private CompletableFuture<JsonNode> status() {
    return http.call("2.0", "status", List.of())
        .thenApply(
            status -> {
              if (!status.isObject()) {
                throw HttpEndpoint.failure(
                    "status returned '" + http.text(status.toString()) + "', not a status");
              }
              return status;
            });
  }

  private String hash(JsonNode node, String what) {
    if (!node.isTextual() || !HASH.matcher(node.textValue()).matches()) {
      throw HttpEndpoint.failure(
          what + " is not a base-58 hash: '" + http.text(node.toString()) + "'");
    }
    return node.textValue();
  }
}
