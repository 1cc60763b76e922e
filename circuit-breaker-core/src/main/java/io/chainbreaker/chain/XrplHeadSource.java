package io.chainbreaker.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of an XRP Ledger network, read through rippled's (or Clio's) JSON-RPC API as
 * documented at https://xrpl.org/docs/references/http-websocket-apis/ ({@code {"method": ...,
 * "params": [{...}]}}, answers in {@code result} with {@code status} "success" or "error"):
 *
 * <ul>
 *   <li>head: {@code ledger} with {@code ledger_index: "validated"} ({@code ledger_index}, {@code
 *       ledger_hash}, {@code parent_hash}, {@code close_time} in seconds since the Ripple epoch,
 *       2000-01-01). The head is the <em>validated</em> ledger: on 2025-02-04 validation stopped at
 *       ledger 93,927,174 for about an hour while servers still closed (current) ledgers, and
 *       nothing could be settled, so a validated ledger that stops is a halt for both directions;
 *   <li>blocks: {@code ledger} by {@code ledger_index} or {@code ledger_hash} ({@code lgrNotFound}
 *       is a null ledger);
 *   <li>identity: {@code server_info} {@code info.network_id}; mainnet servers need not configure
 *       one, and network id 0 is mainnet, so an absent id reads as {@code 0};
 *   <li>syncing: {@code server_info} {@code info.server_state}: anything but {@code full}, {@code
 *       validating} or {@code proposing} (e.g. {@code connected}, {@code syncing}, {@code
 *       tracking}) is still syncing.
 * </ul>
 *
 * <p>Validated ledgers are final: there is no other {@code finalized} block to watch (the head is
 * it). Ledgers link by parent hash, so a replaced ledger (a consensus failure) would show as a
 * reorganisation.
 */
final class XrplHeadSource implements HeadSource {
  /** 2000-01-01T00:00:00Z, the Ripple epoch, in Unix seconds. */
  static final long RIPPLE_EPOCH = 946_684_800L;

  private static final Pattern HASH = Pattern.compile("[0-9A-Fa-f]{64}");
  private static final Set<String> SYNCED = Set.of("full", "validating", "proposing");

  private final HttpEndpoint http;

  XrplHeadSource(HttpEndpoint http) {
    this.http = http;
  }

  @Override
  public long requestCount() {
    return http.requests();
  }

  @Override
  public CompletableFuture<Heads> heads(boolean withFinalized) {
    return ledger(Map.of("ledger_index", "validated"), true)
        .thenApply(
            head -> {
              if (head == null) {
                throw HttpEndpoint.failure("ledger(validated) found no validated ledger");
              }
              return new Heads(
                  head,
                  null,
                  withFinalized
                      ? "the head is the validated XRP ledger, final when validated: no other"
                          + " finalized ledger"
                      : null);
            });
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByNumber(long number) {
    return ledger(Map.of("ledger_index", number), false);
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByHash(String hash) {
    return HASH.matcher(hash).matches()
        ? ledger(Map.of("ledger_hash", hash), false)
        : CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<String> identity() {
    return command("server_info", Map.of())
        .thenApply(
            result -> {
              JsonNode info = result.path("info");
              if (!info.isObject()) {
                throw HttpEndpoint.failure("malformed answer to server_info: no info object");
              }
              JsonNode id = info.path("network_id");
              if (id.isMissingNode() || id.isNull()) {
                return "0";
              }
              long value = http.number(id, "server_info network_id");
              if (value > 0xFFFF_FFFFL) {
                throw HttpEndpoint.failure("server_info network_id is out of range: " + value);
              }
              return Long.toString(value);
            });
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return command("server_info", Map.of())
        .thenApply(
            result -> {
              JsonNode state = result.path("info").path("server_state");
              if (!state.isTextual()) {
                throw HttpEndpoint.failure("server_info has no info.server_state");
              }
              return !SYNCED.contains(state.textValue().toLowerCase(Locale.ROOT));
            });
  }

  /** A ledger's header; null where the server has no such ledger ({@code lgrNotFound}). */
  private CompletableFuture<@Nullable BlockHead> ledger(Map<String, Object> which, boolean head) {
    String what = "ledger(" + which.values().iterator().next() + ")";
    return command("ledger", which)
        .thenApply(
            result -> {
              if ("lgrNotFound".equals(result.path("error").asText(null))) {
                return null;
              }
              failOnError(result, what);
              if (head && !result.path("validated").asBoolean(false)) {
                throw HttpEndpoint.failure(what + " returned a ledger that is not validated");
              }
              JsonNode ledger = result.path("ledger");
              if (!ledger.isObject()) {
                throw HttpEndpoint.failure("malformed answer to " + what + ": no ledger object");
              }
              long index = http.number(ledger.path("ledger_index"), what + " ledger_index");
              String hash = hash(ledger.path("ledger_hash"), what + " ledger_hash");
              String parent = hash(ledger.path("parent_hash"), what + " parent_hash");
              long close = http.number(ledger.path("close_time"), what + " close_time");
              if (close > Web3jHeadSources.MAX_TIMESTAMP - RIPPLE_EPOCH) {
                throw HttpEndpoint.failure(what + " close_time is out of range: " + close);
              }
              return new BlockHead(index, hash, parent, close + RIPPLE_EPOCH);
            });
  }

  private String hash(JsonNode node, String what) {
    if (!node.isTextual() || !HASH.matcher(node.textValue()).matches()) {
      throw HttpEndpoint.failure(
          what + " is not a ledger hash: '" + http.text(node.toString()) + "'");
    }
    return node.textValue().toUpperCase(Locale.ROOT);
  }

  private void failOnError(JsonNode result, String what) {
    if ("error".equals(result.path("status").asText(null)) || result.has("error")) {
      throw HttpEndpoint.failure(
          what
              + " returned error "
              + http.text(result.path("error").asText("?"))
              + ": "
              + http.text(result.path("error_message").asText("")));
    }
  }

  /**
   * One command in rippled's JSON-RPC form; the future holds its {@code result} object, which may
   * carry rippled's own {@code error} (checked by the caller). A JSON-RPC 2.0 {@code error} object,
   * as a gateway may answer, fails it.
   */
  private CompletableFuture<JsonNode> command(String method, Map<String, Object> params) {
    ObjectNode request = Web3jHeadSources.JSON.createObjectNode();
    request.put("method", method);
    request.putArray("params").add(Web3jHeadSources.JSON.valueToTree(params));
    byte[] json;
    try {
      json = Web3jHeadSources.JSON.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(new RpcException("cannot encode " + method));
    }
    return http.post(json, method)
        .thenApply(
            body -> {
              JsonNode answer = http.json(body, method);
              JsonNode error = answer.path("error");
              if (error.isObject()) {
                throw HttpEndpoint.failure(
                    method
                        + " returned JSON-RPC error "
                        + http.text(error.path("code").asText())
                        + ": "
                        + http.text(error.path("message").asText()));
              }
              JsonNode result = answer.path("result");
              if (!result.isObject()) {
                throw HttpEndpoint.failure("malformed answer to " + method + ": no result object");
              }
              if (!method.equals("ledger")) {
                failOnError(result, method);
              }
              return result;
            });
  }
}
