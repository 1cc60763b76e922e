package io.chainbreaker.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.jspecify.annotations.Nullable;
import org.web3j.protocol.ObjectMapperFactory;
import org.web3j.protocol.websocket.events.NewHead;
import org.web3j.protocol.websocket.events.NewHeadsNotification;

/**
 * {@code eth_subscribe("newHeads")} over OkHttp's WebSocket, with web3j's message types.
 *
 * <p>Not web3j's {@code WebSocketService}: its client logs the full server URI at ERROR on every
 * malformed message and failed connection, which would put the key of a {@code wss://host/KEY}
 * URL in the application's logs, and it starts a scheduler thread per connection. Here every
 * message about the endpoint goes through {@link RpcUrl#redact}, and reconnects share one thread.
 */
final class WebSocketHeadStream extends WebSocketListener implements HeadStream {

  private static final ObjectMapper JSON = ObjectMapperFactory.getObjectMapper();
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final OkHttpClient client;
  private final RpcUrl url;
  private final Listener listener;
  private final ScheduledExecutorService reconnects;
  private volatile boolean closed;
  private @Nullable WebSocket socket; // guarded by this
  private volatile @Nullable String subscription;
  private volatile boolean reportedGarbage;
  private Duration backoff = Duration.ofSeconds(1); // guarded by this

  WebSocketHeadStream(OkHttpClient client, RpcUrl url, Listener listener,
      ScheduledExecutorService reconnects) {
    this.client = client;
    this.url = url;
    this.listener = listener;
    this.reconnects = reconnects;
  }

  synchronized void connect() {
    if (closed) {
      return;
    }
    subscription = null;
    reportedGarbage = false;
    Request.Builder request = new Request.Builder().url(url.withoutUserInfo()
        .replaceFirst("^ws", "http"));
    if (url.username() != null) {
      request.header("Authorization",
          okhttp3.Credentials.basic(url.username(), String.valueOf(url.password())));
    }
    socket = client.newWebSocket(request.build(), this);
  }

  @Override
  public synchronized void resubscribe() {
    WebSocket s = socket;
    socket = null;
    if (s != null) {
      s.cancel();
    }
    connect();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (socket != null) {
      socket.close(1000, "closing");
      socket = null;
    }
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    webSocket.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\","
        + "\"params\":[\"newHeads\"]}");
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    if (!current(webSocket)) {
      return;
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (node.has("id") && subscription == null) {
        if (node.hasNonNull("error")) {
          listener.onProblem("eth_subscribe(newHeads) was refused: "
              + Web3jHeadSources.clip(url.redact(node.path("error").path("message").asText())));
          webSocket.close(1000, "subscription refused");
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
        NewHead h = JSON.treeToValue(node, NewHeadsNotification.class).getParams().getResult();
        if (h == null || h.getHash() == null || h.getParentHash() == null) {
          throw new RpcException("a newHeads notification without a block");
        }
        listener.onHead(new BlockHead(
            Web3jHeadSources.Web3jHeadSource.quantity("block number", h.getNumber()),
            h.getHash(), h.getParentHash(),
            Web3jHeadSources.Web3jHeadSource.quantity("block timestamp", h.getTimestamp())));
      }
    } catch (Exception e) {
      if (!reportedGarbage) {
        reportedGarbage = true; // once per connection: a broken server sends many
        listener.onProblem("malformed WebSocket message: " + Web3jHeadSources.clip(url.redact(
            e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
      }
    }
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    webSocket.close(1000, null);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    lost(webSocket, "connection closed (" + code + ")");
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, @Nullable Response response) {
    String why = response != null ? "HTTP " + response.code()
        : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
    lost(webSocket, "connection failed: " + Web3jHeadSources.clip(url.redact(why)));
  }

  private void lost(WebSocket webSocket, String why) {
    Duration wait;
    synchronized (this) {
      if (closed || socket != webSocket) {
        return; // closed on purpose, or already replaced
      }
      socket = null;
      wait = backoff;
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
          : backoff.multipliedBy(2);
    }
    listener.onProblem(why + "; reconnecting in " + wait);
    try {
      reconnects.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The factory is closed.
    }
  }

  private synchronized boolean current(WebSocket webSocket) {
    return socket == webSocket;
  }

}
