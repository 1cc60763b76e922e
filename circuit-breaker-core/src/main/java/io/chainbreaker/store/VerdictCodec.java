package io.chainbreaker.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainbreaker.BreakerState;
import io.chainbreaker.DirectionStatus;
import io.chainbreaker.EndpointState;
import io.chainbreaker.EndpointStatus;
import io.chainbreaker.NetworkHealth;
import io.chainbreaker.NetworkStatus;
import io.chainbreaker.NetworkVerdict;
import io.chainbreaker.Reason;
import io.chainbreaker.SubscriptionState;
import io.chainbreaker.TokenStatus;
import io.chainbreaker.chain.BlockHead;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A verdict's body as JSON, written by the leader and read by followers: field by field, so that
 * the stored form does not change when a Java type gains a method. Unknown enum names (a newer
 * replica's) are read as the most cautious value.
 */
final class VerdictCodec {

  private static final ObjectMapper JSON = new ObjectMapper();

  private VerdictCodec() {}

  static String write(NetworkVerdict v) {
    ObjectNode root = JSON.createObjectNode();
    root.set("network", network(v.network()));
    ArrayNode tokens = root.putArray("tokens");
    for (TokenStatus t : v.tokens()) {
      ObjectNode n = tokens.addObject();
      n.put("symbol", t.symbol());
      n.put("network", t.network());
      n.put("contract", t.contract());
      n.set("deposit", direction(t.deposit()));
      n.set("withdrawal", direction(t.withdrawal()));
    }
    return root.toString();
  }

  static NetworkVerdict read(String body, long epoch, Instant publishedAt, long seq) {
    try {
      JsonNode root = JSON.readTree(body);
      NetworkStatus network = network(root.path("network"));
      List<TokenStatus> tokens = new ArrayList<>();
      for (JsonNode n : root.path("tokens")) {
        tokens.add(
            new TokenStatus(
                text(n, "symbol"),
                text(n, "network"),
                optText(n, "contract"),
                direction(n.path("deposit")),
                direction(n.path("withdrawal"))));
      }
      return new NetworkVerdict(network, tokens, epoch, publishedAt, seq);
    } catch (java.io.IOException | RuntimeException e) {
      throw new StateStoreException("unreadable verdict (seq " + seq + "): " + e.getMessage(), e);
    }
  }

  private static ObjectNode network(NetworkStatus s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("name", s.name());
    n.put("chainId", s.chainId());
    n.put("health", s.health().name());
    n.put("reason", s.reason().name());
    n.put("since", s.since().toString());
    n.put("detail", s.detail());
    n.set("head", head(s.head()));
    n.put("headAdvancedAt", s.headAdvancedAt() == null ? null : s.headAdvancedAt().toString());
    n.set("finalized", head(s.finalized()));
    n.put("reorgs", s.reorgs());
    ArrayNode endpoints = n.putArray("endpoints");
    for (EndpointStatus e : s.endpoints()) {
      ObjectNode o = endpoints.addObject();
      o.put("url", e.url());
      o.put("state", e.state().name());
      o.put("head", e.head());
      o.put("headAdvancedAt", e.headAdvancedAt() == null ? null : e.headAdvancedAt().toString());
      o.put("lastAnswerAt", e.lastAnswerAt() == null ? null : e.lastAnswerAt().toString());
      o.put("lastError", e.lastError());
      o.put("subscription", e.subscription().name());
      o.put("subscriptionDetail", e.subscriptionDetail());
      o.put("requests", e.requests());
      o.put("requestsPerMinute", e.requestsPerMinute());
    }
    n.put("clockOffsetMillis", s.clockOffset() == null ? null : s.clockOffset().toMillis());
    return n;
  }

  private static NetworkStatus network(JsonNode n) {
    List<EndpointStatus> endpoints = new ArrayList<>();
    for (JsonNode o : n.path("endpoints")) {
      endpoints.add(
          new EndpointStatus(
              text(o, "url"),
              named(EndpointState.class, text(o, "state"), EndpointState.FAILING),
              optLong(o, "head"),
              optInstant(o, "headAdvancedAt"),
              optInstant(o, "lastAnswerAt"),
              optText(o, "lastError"),
              named(SubscriptionState.class, text(o, "subscription"), SubscriptionState.NONE),
              optText(o, "subscriptionDetail"),
              o.path("requests").asLong(),
              o.path("requestsPerMinute").asDouble()));
    }
    Long offset = optLong(n, "clockOffsetMillis");
    return new NetworkStatus(
        text(n, "name"),
        n.path("chainId").asLong(),
        named(NetworkHealth.class, text(n, "health"), NetworkHealth.MONITOR_STALE),
        named(Reason.class, text(n, "reason"), Reason.MONITOR_STALE),
        Instant.parse(text(n, "since")),
        text(n, "detail"),
        head(n.path("head")),
        optInstant(n, "headAdvancedAt"),
        head(n.path("finalized")),
        n.path("reorgs").asLong(),
        endpoints,
        offset == null ? null : Duration.ofMillis(offset));
  }

  private static ObjectNode direction(DirectionStatus d) {
    ObjectNode n = JSON.createObjectNode();
    n.put("state", d.state().name());
    n.put("reason", d.reason().name());
    n.put("since", d.since().toString());
    n.put("detail", d.detail());
    n.put("head", d.head());
    return n;
  }

  private static DirectionStatus direction(JsonNode n) {
    return new DirectionStatus(
        named(BreakerState.class, text(n, "state"), BreakerState.SUSPENDED),
        named(Reason.class, text(n, "reason"), Reason.MONITOR_STALE),
        Instant.parse(text(n, "since")),
        text(n, "detail"),
        optLong(n, "head"),
        null);
  }

  private static @Nullable ObjectNode head(@Nullable BlockHead h) {
    if (h == null) {
      return null;
    }
    ObjectNode n = JSON.createObjectNode();
    n.put("number", h.number());
    n.put("hash", h.hash());
    n.put("parentHash", h.parentHash());
    n.put("timestamp", h.timestamp());
    return n;
  }

  private static @Nullable BlockHead head(JsonNode n) {
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    return new BlockHead(
        n.path("number").asLong(),
        text(n, "hash"),
        text(n, "parentHash"),
        n.path("timestamp").asLong());
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' missing");
    }
    return v.asText();
  }

  private static @Nullable String optText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static @Nullable Long optLong(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asLong();
  }

  private static @Nullable Instant optInstant(JsonNode n, String field) {
    String s = optText(n, field);
    return s == null ? null : Instant.parse(s);
  }

  private static <E extends Enum<E>> E named(Class<E> type, String name, E otherwise) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    return otherwise;
  }
}
