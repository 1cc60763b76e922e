package io.chainbreaker.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.web3j.protocol.websocket.events.NewHead;
import org.web3j.protocol.websocket.events.NewHeadsNotification;

/**
 * {@code eth_subscribe("newHeads")} over the JDK's non-blocking {@link WebSocket}, with web3j's
 * message types.
 *
 * <p>No thread of its own: messages arrive on the HTTP client's small pool. Every message is
 * bounded as it arrives ({@code maxMessageBytes}, counted in characters received), so a server that
 * announces a frame of 1.5 GB is cut off after the limit instead of filling the heap. Every message
 * about the endpoint goes through {@link RpcUrl#redact}; reconnects share one thread.
 */
final class WebSocketHeadStream implements HeadStream, WebSocket.Listener {

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final HttpClient client;
  private final RpcUrl url;
  private final Duration connectTimeout;
  private final long maxMessageBytes;
  private final Listener listener;
  private final ScheduledExecutorService reconnects;
  private volatile boolean closed;
  private @Nullable WebSocket socket; // guarded by this
  private long generation; // guarded by this
  private volatile @Nullable String subscription;
  private volatile boolean reportedGarbage;
  private Duration backoff = Duration.ofSeconds(1); // guarded by this
  // Confined to the listener callbacks, which the JDK calls one at a time per socket.
  private final StringBuilder message = new StringBuilder();
  private boolean discarding;

  WebSocketHeadStream(
      HttpClient client,
      RpcUrl url,
      Duration connectTimeout,
      long maxMessageBytes,
      Listener listener,
      ScheduledExecutorService reconnects) {
    this.client = client;
    this.url = url;
    this.connectTimeout = connectTimeout;
    this.maxMessageBytes = maxMessageBytes;
    this.listener = listener;
    this.reconnects = reconnects;
  }

  synchronized void connect() {
    if (closed) {
      return;
    }
    long mine = ++generation;
    subscription = null;
    reportedGarbage = false;
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(connectTimeout);
    String authorization = Web3jHeadSources.basicAuthorization(url);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    var unused =
        builder
            .buildAsync(URI.create(url.withoutUserInfo()), this)
            .whenComplete(
                (ws, failure) -> {
                  if (failure != null) {
                    lost(mine, "connection failed: " + describe(failure));
                  }
                });
  }

  private String describe(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null
        && (t instanceof java.util.concurrent.CompletionException || t.getMessage() == null)) {
      t = t.getCause();
    }
    String why =
        t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
    return Web3jHeadSources.clip(url.redact(why));
  }

  @Override
  public synchronized void resubscribe() {
    WebSocket s = socket;
    socket = null;
    if (s != null) {
      s.abort();
    }
    connect();
  }

  @Override
  public synchronized void close() {
    closed = true;
    WebSocket s = socket;
    socket = null;
    if (s != null) {
      var unused =
          s.sendClose(WebSocket.NORMAL_CLOSURE, "closing").whenComplete((w, e) -> s.abort());
    }
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    synchronized (this) {
      if (closed) {
        webSocket.abort();
        return;
      }
      socket = webSocket;
    }
    message.setLength(0);
    discarding = false;
    var unused =
        webSocket.sendText(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\","
                + "\"params\":[\"newHeads\"]}",
            true);
    webSocket.request(1);
  }

  @Override
  public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    webSocket.request(1);
    if (!discarding) {
      if (message.length() + (long) data.length() > maxMessageBytes) {
        message.setLength(0);
        discarding = true;
        garbage(
            "a message exceeds the limit of "
                + maxMessageBytes
                + " bytes; connection"
                + " dropped");
        webSocket.abort();
        lostNow(webSocket, "message over the limit of " + maxMessageBytes + " bytes");
        return null;
      }
      message.append(data);
    }
    if (last) {
      if (!discarding) {
        String text = message.toString();
        message.setLength(0);
        handle(webSocket, text);
      }
      discarding = false;
    }
    return null;
  }

  @Override
  public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    webSocket.request(1);
    if (last) {
      garbage("a binary message where JSON text was expected");
    }
    return null;
  }

  private void handle(WebSocket webSocket, String text) {
    if (!current(webSocket)) {
      return;
    }
    try {
      JsonNode node = Web3jHeadSources.JSON.readTree(text);
      if (node.has("id") && subscription == null) {
        if (node.hasNonNull("error")) {
          listener.onProblem(
              "eth_subscribe(newHeads) was refused: "
                  + Web3jHeadSources.clip(url.redact(node.path("error").path("message").asText())));
          var unused = webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "subscription refused");
          return;
        }
        subscription = node.path("result").asText();
        synchronized (this) {
          backoff = Duration.ofSeconds(1);
        }
        listener.onSubscribed();
        return;
      }
      if ("eth_subscription".equals(node.path("method").asText())
          && node.path("params").path("subscription").asText().equals(subscription)) {
        NewHead h =
            Web3jHeadSources.JSON
                .treeToValue(node, NewHeadsNotification.class)
                .getParams()
                .getResult();
        if (h == null) {
          throw new RpcException("a newHeads notification without a block");
        }
        listener.onHead(
            Web3jHeadSources.header(
                Web3jHeadSources.quantity("block number", h.getNumber()), h.getHash(),
                h.getParentHash(), Web3jHeadSources.quantity("block timestamp", h.getTimestamp())));
      }
    } catch (Exception e) {
      garbage(
          "malformed WebSocket message: "
              + Web3jHeadSources.clip(
                  url.redact(
                      e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
    }
  }

  /** Reports a broken message once per connection: a broken server sends many. */
  private void garbage(String problem) {
    if (!reportedGarbage) {
      reportedGarbage = true;
      listener.onProblem(problem);
    }
  }

  @Override
  public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    lostNow(webSocket, "connection closed (" + statusCode + ")");
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    lostNow(webSocket, "connection failed: " + describe(error));
  }

  private void lostNow(WebSocket webSocket, String why) {
    long mine;
    synchronized (this) {
      if (socket != webSocket) {
        return; // closed on purpose, or already replaced
      }
      socket = null;
      mine = generation;
    }
    lost(mine, why);
  }

  private void lost(long mine, String why) {
    Duration wait;
    synchronized (this) {
      if (closed || mine != generation) {
        return;
      }
      generation++; // a late callback of this connection is ignored
      wait = backoff;
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
    listener.onProblem(why + "; reconnecting in " + wait);
    try {
      var unused = reconnects.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The factory is closed.
    }
  }

  private synchronized boolean current(WebSocket webSocket) {
    return socket == webSocket;
  }
}
