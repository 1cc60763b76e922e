package io.chainbreaker.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/** The WebSocket side of a {@link SimulatedEndpoint}: {@code eth_subscribe("newHeads")}. */
final class SimulatedWebSocket extends WebSocketServer {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Function<JsonNode, ObjectNode> calls;
  private final Function<SimulatedBlock, JsonNode> blockJson;
  private final Map<WebSocket, String> subscriptions = new ConcurrentHashMap<>();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong ids = new AtomicLong(0xabc);
  volatile boolean silent;
  volatile boolean garbage;

  SimulatedWebSocket(
      Function<JsonNode, ObjectNode> calls, Function<SimulatedBlock, JsonNode> blockJson) {
    super(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.calls = calls;
    this.blockJson = blockJson;
    setReuseAddr(true);
    setDaemon(true);
  }

  long connections() {
    return connections.get();
  }

  void push(SimulatedBlock block) {
    for (Map.Entry<WebSocket, String> e : subscriptions.entrySet()) {
      if (silent || !e.getKey().isOpen()) {
        continue;
      }
      if (garbage) {
        e.getKey().send("{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\",\"params\":{garbage");
        continue;
      }
      ObjectNode params = NODES.objectNode();
      params.put("subscription", e.getValue());
      params.set("result", blockJson.apply(block));
      ObjectNode note = NODES.objectNode();
      note.put("jsonrpc", "2.0");
      note.put("method", "eth_subscription");
      note.set("params", params);
      e.getKey().send(note.toString());
    }
  }

  /** Closes every connection, as a load balancer that drops them does. */
  void dropAll() {
    for (WebSocket ws : getConnections()) {
      ws.close(1001, "going away");
    }
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    connections.incrementAndGet();
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    subscriptions.remove(conn);
  }

  @Override
  public void onMessage(WebSocket conn, String message) {
    try {
      JsonNode call = JSON.readTree(message);
      String method = call.path("method").asText("");
      ObjectNode reply = NODES.objectNode();
      reply.put("jsonrpc", "2.0");
      reply.set("id", call.path("id"));
      if (method.equals("eth_subscribe")
          && call.path("params").path(0).asText().equals("newHeads")) {
        String id = "0x" + Long.toHexString(ids.incrementAndGet());
        subscriptions.put(conn, id);
        reply.put("result", id);
      } else if (method.equals("eth_unsubscribe")) {
        subscriptions.remove(conn);
        reply.put("result", true);
      } else {
        reply = calls.apply(call);
      }
      conn.send(reply.toString());
    } catch (Exception e) {
      conn.send(
          "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"parse error\"}}");
    }
  }

  @Override
  public void onError(WebSocket conn, Exception ex) {
    // A client that went away; nothing to do.
  }

  @Override
  public void onStart() {
    // Ready.
  }
}
