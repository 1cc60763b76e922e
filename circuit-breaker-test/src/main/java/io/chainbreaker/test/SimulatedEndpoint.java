package io.chainbreaker.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP JSON-RPC endpoint of a {@link SimulatedChain}, on a loopback port of its own.
 *
 * <p>Serves {@code eth_chainId}, {@code net_version}, {@code eth_blockNumber}, {@code
 * eth_getBlockByNumber} (number, {@code latest}, {@code safe}, {@code finalized}, {@code earliest},
 * {@code pending}), {@code eth_getBlockByHash}, {@code eth_syncing}, {@code eth_call} of a
 * sequencer uptime feed ({@link SimulatedChain#sequencerFeed}) and batches of them; and the same
 * chain through the APIs of other families: Bitcoin Core JSON-RPC, CometBFT ({@code /status},
 * {@code /block}), Solana JSON-RPC, Tron ({@code /wallet/getnowblock}), Aptos ({@code /v1}), Sui
 * JSON-RPC, toncenter v2, rippled JSON-RPC, Starknet, Substrate and NEAR JSON-RPC, algod, Stellar
 * Horizon ({@code GET} of the endpoint's root) and Blockfrost, each identified by {@link
 * SimulatedChain#identity(String)}. Faults set on it apply to every request, whatever the family,
 * until {@link #healthy()} clears them.
 */
public final class SimulatedEndpoint implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final SimulatedChain chain;
  private final HttpServer server;
  private final @Nullable ExecutorService executor;
  private final AtomicLong requests = new AtomicLong();
  private volatile @Nullable String lastAuthorization;
  private volatile @Nullable String lastPath;

  private volatile int httpStatus;
  private volatile Duration delay = Duration.ZERO;
  private volatile @Nullable String rawBody;
  private volatile long hugeBodyBytes;
  private volatile @Nullable Long chainIdOverride;
  private volatile boolean syncing;
  private volatile int lag;
  private volatile boolean nullBlocks;
  private volatile @Nullable String rpcErrorMessage;
  private volatile boolean reset;
  private volatile boolean rejectFinalized;
  private volatile boolean reverseBatches;
  private volatile boolean dropLastBatchAnswer;
  private volatile boolean klaytnNamespaceOnly;
  private final java.util.Map<String, String> scripted =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile CountDownLatch hang = new CountDownLatch(0);
  private volatile @Nullable SimulatedWebSocket webSocket;

  private final @Nullable SimulatedProvider provider;
  private final String path;
  private com.sun.net.httpserver.@Nullable HttpContext context;

  /** An endpoint at {@code path} of a provider's server, sharing its latency and faults. */
  SimulatedEndpoint(
      SimulatedChain chain, SimulatedProvider provider, HttpServer server, String path) {
    this.chain = chain;
    this.provider = provider;
    this.path = path;
    this.executor = null;
    this.server = server;
    this.context = server.createContext(path, this::handle);
  }

  SimulatedEndpoint(SimulatedChain chain, int index, int port) {
    this.chain = chain;
    this.provider = null;
    this.path = "/";
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "simulated-endpoint-" + chain.chainId() + "-" + index);
              t.setDaemon(true);
              return t;
            });
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot bind loopback port " + port + " for a simulated endpoint: " + e.getMessage(), e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The endpoint's URL, e.g. {@code http://127.0.0.1:43121/}. */
  public String url() {
    InetSocketAddress address = server.getAddress();
    return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + path;
  }

  /** How many HTTP requests this endpoint has received. */
  public long requestCount() {
    return requests.get();
  }

  /** The Authorization header of the last request, or null. */
  public @Nullable String lastAuthorization() {
    return lastAuthorization;
  }

  /** The path and query of the last request, or null. */
  public @Nullable String lastPath() {
    return lastPath;
  }

  /** Clears every fault: the endpoint answers correctly and at once. */
  public SimulatedEndpoint healthy() {
    httpStatus = 0;
    delay = Duration.ZERO;
    rawBody = null;
    hugeBodyBytes = 0;
    chainIdOverride = null;
    syncing = false;
    lag = 0;
    nullBlocks = false;
    rpcErrorMessage = null;
    reset = false;
    rejectFinalized = false;
    reverseBatches = false;
    dropLastBatchAnswer = false;
    scripted.clear();
    hang.countDown();
    return this;
  }

  /**
   * Answers the JSON-RPC method {@code method} with this {@code result} (any JSON: a hostile value,
   * a wrong type), or a REST request whose path ends with {@code method} (e.g. {@code
   * /getMasterchainInfo}, {@code /blocks/latest}) with this body, while every other call is
   * answered as usual: to test what a source makes of one bad field.
   */
  public SimulatedEndpoint respondTo(String method, String json) {
    scripted.put(Objects.requireNonNull(method, "method"), Objects.requireNonNull(json, "json"));
    return this;
  }

  /** Answers every request with this HTTP status (e.g. 429, 500, 502) and a short body. */
  public SimulatedEndpoint respondWithStatus(int status) {
    this.httpStatus = status;
    return this;
  }

  /** Waits this long before answering each request. */
  public SimulatedEndpoint delay(Duration delay) {
    this.delay = delay;
    return this;
  }

  /** Answers every request with HTTP 200 and exactly this body, e.g. malformed JSON. */
  public SimulatedEndpoint respondWithBody(String body) {
    this.rawBody = body;
    return this;
  }

  /**
   * Answers every request with HTTP 200 and a syntactically valid body of about this many bytes.
   */
  public SimulatedEndpoint respondWithHugeBody(long bytes) {
    this.hugeBodyBytes = bytes;
    return this;
  }

  /** Reports this chain id instead of the chain's. */
  public SimulatedEndpoint reportChainId(long chainId) {
    this.chainIdOverride = chainId;
    return this;
  }

  /** Reports {@code eth_syncing} as in progress. */
  public SimulatedEndpoint syncing(boolean syncing) {
    this.syncing = syncing;
    return this;
  }

  /** Serves a head that trails the chain's by this many blocks. */
  public SimulatedEndpoint lag(int blocks) {
    if (blocks < 0) {
      throw new IllegalArgumentException("lag must not be negative but was " + blocks);
    }
    this.lag = blocks;
    return this;
  }

  /** Answers block queries with a null result. */
  public SimulatedEndpoint nullBlocks(boolean nullBlocks) {
    this.nullBlocks = nullBlocks;
    return this;
  }

  /** Answers every call with a JSON-RPC error object carrying this message. */
  public SimulatedEndpoint rpcError(String message) {
    this.rpcErrorMessage = message;
    return this;
  }

  /** Closes each connection without an answer, as a connection reset. */
  public SimulatedEndpoint resetConnections() {
    this.reset = true;
    return this;
  }

  /** Answers the {@code finalized} tag with a JSON-RPC error, as nodes without finality do. */
  public SimulatedEndpoint rejectFinalized(boolean reject) {
    this.rejectFinalized = reject;
    return this;
  }

  /** Answers batches in reverse order (JSON-RPC allows any order; clients must match by id). */
  public SimulatedEndpoint reverseBatches(boolean reverse) {
    this.reverseBatches = reverse;
    return this;
  }

  /** Leaves the last answer out of every batch. */
  public SimulatedEndpoint dropLastBatchAnswer(boolean drop) {
    this.dropLastBatchAnswer = drop;
    return this;
  }

  /**
   * Serves only the {@code klay_} namespace of Klaytn nodes before v1.10 ({@code klay_chainID},
   * {@code klay_blockNumber}, {@code klay_getBlockByNumber}, {@code klay_getBlockByHash}, {@code
   * klay_syncing}); {@code eth_} methods are then unknown.
   */
  public SimulatedEndpoint klaytnNamespaceOnly(boolean only) {
    this.klaytnNamespaceOnly = only;
    return this;
  }

  /**
   * Starts, on first use, this endpoint's WebSocket side on another loopback port, serving {@code
   * eth_subscribe("newHeads")} (a notification per new block) and the same calls as over HTTP;
   * returns its URL, e.g. {@code ws://127.0.0.1:43122/}.
   */
  public synchronized String webSocketUrl() {
    if (webSocket == null) {
      SimulatedWebSocket ws = new SimulatedWebSocket(this::answer, this::blockJson);
      ws.start();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (ws.getPort() <= 0 && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(
            1_000_000); // the server binds on its thread
      }
      chain.onBlock(ws::push);
      webSocket = ws;
    }
    return "ws://"
        + webSocket.getAddress().getAddress().getHostAddress()
        + ":"
        + webSocket.getPort()
        + "/";
  }

  /** How many WebSocket connections were opened to this endpoint. */
  public long webSocketConnections() {
    SimulatedWebSocket ws = webSocket;
    return ws == null ? 0 : ws.connections();
  }

  /** Accepts subscriptions but never sends a notification. */
  public SimulatedEndpoint webSocketSilent(boolean silent) {
    webSocketOrFail().silent = silent;
    return this;
  }

  /** Sends malformed notifications instead of new heads. */
  public SimulatedEndpoint webSocketGarbage(boolean garbage) {
    webSocketOrFail().garbage = garbage;
    return this;
  }

  /** Closes every open WebSocket connection now. */
  public SimulatedEndpoint dropWebSockets() {
    webSocketOrFail().dropAll();
    return this;
  }

  private SimulatedWebSocket webSocketOrFail() {
    webSocketUrl();
    return Objects.requireNonNull(webSocket, "webSocketUrl() starts it");
  }

  /** Never answers, until {@link #healthy()} or {@link #close()}. */
  public SimulatedEndpoint hang() {
    this.hang = new CountDownLatch(1);
    return this;
  }

  @Override
  public void close() {
    hang.countDown();
    if (provider != null) {
      synchronized (this) {
        if (context != null) {
          server.removeContext(context); // its own context, even if another now serves the path
          context = null;
        }
      }
    } else {
      server.stop(0);
    }
    if (executor != null) {
      executor.shutdownNow();
    }
    SimulatedWebSocket ws = webSocket;
    if (ws != null) {
      try {
        ws.stop(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    SimulatedProvider p = provider;
    if (p != null) {
      p.answerLater(exchange, () -> serve(exchange));
      return;
    }
    serve(exchange);
  }

  /** What the family APIs read of this endpoint: its chain as it serves it, faults included. */
  interface View {
    SimulatedChain chain();

    SimulatedBlock head();

    @Nullable SimulatedBlock servable(@Nullable SimulatedBlock block);

    long chainId();

    boolean syncing();

    boolean nullBlocks();

    /** The chain's finalized block, never above the head this endpoint serves. */
    SimulatedBlock finalized();
  }

  private final View view =
      new View() {
        @Override
        public SimulatedChain chain() {
          return chain;
        }

        @Override
        public SimulatedBlock head() {
          return servedHead();
        }

        @Override
        public @Nullable SimulatedBlock servable(@Nullable SimulatedBlock block) {
          return SimulatedEndpoint.this.servable(block);
        }

        @Override
        public long chainId() {
          Long override = chainIdOverride;
          return override != null ? override : chain.chainId();
        }

        @Override
        public boolean syncing() {
          return syncing;
        }

        @Override
        public boolean nullBlocks() {
          return nullBlocks;
        }

        @Override
        public SimulatedBlock finalized() {
          SimulatedBlock finalized = chain.finalized();
          return finalized.number() > servedHead().number() ? servedHead() : finalized;
        }
      };

  private void serve(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    lastAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
    lastPath = exchange.getRequestURI().toString();
    try (exchange) {
      byte[] request = exchange.getRequestBody().readAllBytes();
      awaitFaults();
      if (reset) {
        // Closing without a status line: the client sees the connection end mid-exchange.
        exchange.getResponseBody().close();
        return;
      }
      if (httpStatus != 0) {
        send(exchange, httpStatus, "{\"error\":\"simulated HTTP " + httpStatus + "\"}");
        return;
      }
      String raw = rawBody;
      if (raw != null) {
        send(exchange, 200, raw);
        return;
      }
      if (hugeBodyBytes > 0) {
        sendHuge(exchange, hugeBodyBytes);
        return;
      }
      String restPath = exchange.getRequestURI().getPath();
      if (restPath.endsWith("/status")
          || restPath.endsWith("/block")
          || restPath.endsWith("/block_by_hash")
          || restPath.contains("/wallet/")
          || restPath.endsWith("/v1")
          || restPath.endsWith("/v1/")
          || restPath.endsWith("/getMasterchainInfo")
          || restPath.endsWith("/getBlockHeader")
          || restPath.contains("/v2/status")
          || restPath.contains("/v2/blocks/")
          || restPath.endsWith("/versions")
          || restPath.contains("/blocks/")
          || restPath.endsWith("/genesis")) {
        serveRest(exchange, restPath, request);
        return;
      }
      if ("GET".equals(exchange.getRequestMethod())
          && (restPath.equals(path) || restPath.equals(path + "/"))) {
        serveRest(exchange, "/", request); // Horizon's root resource
        return;
      }
      JsonNode parsed;
      try {
        parsed = JSON.readTree(request);
      } catch (IOException e) {
        send(exchange, 200, error(NODES.nullNode(), -32700, "parse error").toString());
        return;
      }
      if (parsed.path("jsonrpc").asText("").equals("1.0")) {
        // Bitcoin Core answers a JSON-RPC error with HTTP 500 (404 for an unknown method).
        ObjectNode answer = answer(parsed);
        int status =
            !answer.has("error")
                ? 200
                : answer.path("error").path("code").asInt() == -32601 ? 404 : 500;
        send(exchange, status, JSON.writeValueAsString(answer));
        return;
      }
      JsonNode answer;
      if (parsed.isArray()) {
        java.util.List<ObjectNode> list = new java.util.ArrayList<>();
        parsed.forEach(call -> list.add(answer(call)));
        if (reverseBatches) {
          java.util.Collections.reverse(list);
        }
        if (dropLastBatchAnswer && !list.isEmpty()) {
          list.remove(list.size() - 1);
        }
        ArrayNode answers = NODES.arrayNode();
        list.forEach(answers::add);
        answer = answers;
      } else {
        answer = answer(parsed);
      }
      send(exchange, 200, JSON.writeValueAsString(answer));
    }
  }

  private void serveRest(HttpExchange exchange, String path, byte[] request) throws IOException {
    for (java.util.Map.Entry<String, String> e : scripted.entrySet()) {
      if (e.getKey().startsWith("/") && path.endsWith(e.getKey())) {
        send(exchange, 200, e.getValue());
        return;
      }
    }
    String message = rpcErrorMessage;
    if (message != null) {
      send(exchange, 200, error(NODES.numberNode(-1), -32603, message).toString());
      return;
    }
    JsonNode body;
    try {
      body = request.length == 0 ? NODES.objectNode() : JSON.readTree(request);
    } catch (IOException e) {
      send(exchange, 400, "{\"Error\":\"malformed request body\"}");
      return;
    }
    ObjectNode answer;
    try {
      answer = FamilyApis.rest(view, path, exchange.getRequestURI().getRawQuery(), body);
    } catch (NumberFormatException e) {
      send(exchange, 400, "{\"error\":\"malformed query\"}");
      return;
    }
    if (answer == null) {
      send(exchange, 404, "{\"error\":\"not found\"}");
      return;
    }
    // Blockfrost answers "not found" with its status code in the body and on the status line.
    int status = answer.path("status_code").isInt() ? answer.path("status_code").asInt() : 200;
    send(exchange, status, JSON.writeValueAsString(answer));
  }

  private void awaitFaults() {
    try {
      hang.await();
      long millis = delay.toMillis();
      if (millis > 0) {
        Thread.sleep(millis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ObjectNode answer(JsonNode call) {
    JsonNode id = call.path("id");
    String method = call.path("method").asText("");
    JsonNode params = call.path("params");
    String message = rpcErrorMessage;
    if (message != null) {
      return error(id, -32000, message);
    }
    if (klaytnNamespaceOnly) {
      if (method.startsWith("eth_")) {
        return error(id, -32601, "the method " + method + " does not exist/is not available");
      }
      method = method.equals("klay_chainID") ? "eth_chainId" : method.replace("klay_", "eth_");
    }
    if (rejectFinalized
        && method.equals("eth_getBlockByNumber")
        && params.path(0).asText("").equals("finalized")) {
      return error(id, -32602, "invalid block tag finalized");
    }
    String script = scripted.get(method);
    if (script != null) {
      ObjectNode ok = NODES.objectNode();
      ok.put("jsonrpc", "2.0");
      ok.set("id", id);
      try {
        ok.set("result", JSON.readTree(script));
      } catch (IOException e) {
        throw new IllegalArgumentException("respondTo(" + method + ") is not JSON: " + script, e);
      }
      return ok;
    }
    JsonNode result;
    switch (method) {
      case "eth_chainId":
        result = NODES.textNode(hex(chainIdOverride != null ? chainIdOverride : chain.chainId()));
        break;
      case "net_version":
        result =
            NODES.textNode(
                Long.toString(chainIdOverride != null ? chainIdOverride : chain.chainId()));
        break;
      case "eth_blockNumber":
        result = NODES.textNode(hex(servedHead().number()));
        break;
      case "eth_syncing":
        result = syncing ? syncingObject() : NODES.booleanNode(false);
        break;
      case "eth_getBlockByNumber":
        result = blockJson(byTag(params.path(0).asText("latest")));
        break;
      case "eth_getBlockByHash":
        result = blockJson(servable(chain.blockByHash(params.path(0).asText(""))));
        break;
      case "eth_call":
        result =
            NODES.textNode(
                chain.call(
                    params.path(0).path("to").asText(""),
                    params.path(0).path("data").asText(params.path(0).path("input").asText(""))));
        break;
      default:
        try {
          result = FamilyApis.call(view, method, params);
        } catch (FamilyApis.RpcFault fault) {
          return error(
              id, fault.code, Objects.requireNonNull(fault.getMessage(), "RpcFault has one"));
        }
        if (result == null) {
          return error(id, -32601, "the method " + method + " does not exist/is not available");
        }
    }
    ObjectNode ok = NODES.objectNode();
    ok.put("jsonrpc", "2.0");
    ok.set("id", id);
    ok.set("result", result);
    return ok;
  }

  private SimulatedBlock servedHead() {
    SimulatedBlock head = chain.head();
    if (lag == 0) {
      return head;
    }
    SimulatedBlock lagged = chain.block(head.number() - lag);
    return lagged != null ? lagged : chain.oldest();
  }

  private @Nullable SimulatedBlock servable(@Nullable SimulatedBlock block) {
    return block == null || block.number() > servedHead().number() ? null : block;
  }

  private @Nullable SimulatedBlock byTag(String tag) {
    switch (tag) {
      case "latest":
      case "pending":
      case "safe":
        return servedHead();
      case "finalized":
        SimulatedBlock finalized = chain.finalized();
        return finalized.number() > servedHead().number() ? servedHead() : finalized;
      case "earliest":
        return chain.block(0) != null ? chain.block(0) : servable(chain.block(1));
      default:
        try {
          return servable(chain.block(Long.decode(tag)));
        } catch (NumberFormatException e) {
          return null;
        }
    }
  }

  private JsonNode blockJson(@Nullable SimulatedBlock block) {
    if (block == null || nullBlocks) {
      return NODES.nullNode();
    }
    ObjectNode json = NODES.objectNode();
    json.put("number", hex(block.number()));
    json.put("hash", block.hash());
    json.put("parentHash", block.parentHash());
    json.put("timestamp", hex(block.timestamp()));
    json.put("nonce", "0x0000000000000000");
    json.put("miner", "0x0000000000000000000000000000000000000000");
    json.put("difficulty", "0x0");
    json.put("gasLimit", "0x1c9c380");
    json.put("gasUsed", "0x0");
    json.put("size", "0x220");
    json.put("extraData", "0x");
    json.put("logsBloom", "0x" + "0".repeat(512));
    json.put("transactionsRoot", "0x" + "0".repeat(64));
    json.put("stateRoot", "0x" + "0".repeat(64));
    json.put("receiptsRoot", "0x" + "0".repeat(64));
    json.put("sha3Uncles", "0x" + "0".repeat(64));
    json.set("transactions", NODES.arrayNode());
    json.set("uncles", NODES.arrayNode());
    return json;
  }

  private ObjectNode syncingObject() {
    ObjectNode json = NODES.objectNode();
    long head = servedHead().number();
    json.put("startingBlock", "0x0");
    json.put("currentBlock", hex(head));
    json.put("highestBlock", hex(head + 1000));
    return json;
  }

  private static ObjectNode error(JsonNode id, int code, String message) {
    ObjectNode json = NODES.objectNode();
    json.put("jsonrpc", "2.0");
    json.set("id", id);
    ObjectNode error = json.putObject("error");
    error.put("code", code);
    error.put("message", message);
    return json;
  }

  private static String hex(long value) {
    return "0x" + Long.toHexString(value);
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sendHuge(HttpExchange exchange, long bytes) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    // Chunked, with no length announced: the client must bound what it reads itself.
    exchange.sendResponseHeaders(200, 0);
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'a');
    try (OutputStream out = exchange.getResponseBody()) {
      out.write("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"".getBytes(StandardCharsets.US_ASCII));
      for (long written = 0; written < bytes; written += chunk.length) {
        out.write(chunk);
      }
      out.write("\"}".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // The client hung up once it had read enough: that is the expected ending.
    }
  }
}
