package io.chainbreaker.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP plumbing every built-in head source shares: one endpoint reached through the shared
 * non-blocking {@link HttpClient}, each exchange bounded in time (the network's request timeout,
 * over the whole exchange) and in size (read as it arrives), basic authentication from the URL's
 * user info, and every failure turned into a specific {@link RpcException} whose text never holds
 * the URL's secret parts. Counts its requests.
 */
final class HttpEndpoint {
  private final HttpClient client;
  private final long maxResponseBytes;
  final RpcUrl url;
  private final URI uri;
  private final HttpClient.Version version;
  private final @Nullable String authorization;
  final Duration timeout;

  /** A JSON-RPC error object, as Bitcoin Core and CometBFT send with HTTP 404 or 500. */
  private static final java.util.regex.Pattern JSON_RPC_ERROR =
      java.util.regex.Pattern.compile("\"error\"\\s*:\\s*\\{");

  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong ids = new AtomicLong();

  /** Calls sent, by JSON-RPC method (or path): what a provider bills, each call of a batch once. */
  private final ConcurrentHashMap<String, LongAdder> calls = new ConcurrentHashMap<>();

  HttpEndpoint(HttpClient client, long maxResponseBytes, RpcUrl url, Duration timeout) {
    this.client = client;
    this.maxResponseBytes = maxResponseBytes;
    this.url = url;
    this.uri = URI.create(url.withoutUserInfo());
    // Plain http would otherwise ask every server to upgrade to h2c; https negotiates by ALPN.
    this.version =
        "https".equalsIgnoreCase(uri.getScheme())
            ? HttpClient.Version.HTTP_2
            : HttpClient.Version.HTTP_1_1;
    this.authorization = Web3jHeadSources.basicAuthorization(url);
    this.timeout = timeout;
  }

  long requests() {
    return requests.get();
  }

  /** A copy of the calls sent so far by method. */
  Map<String, Long> calls() {
    Map<String, Long> copy = new TreeMap<>();
    calls.forEach((m, n) -> copy.put(m, n.sum()));
    return copy;
  }

  private void count(String method, int n) {
    calls.computeIfAbsent(method, m -> new LongAdder()).add(n);
  }

  /** {@code text} from a node, redacted and clipped to one short line. */
  String text(@Nullable String text) {
    return Web3jHeadSources.clip(url.redact(text));
  }

  /** Posts {@code json} to the endpoint's URL; the future holds the body of a 2xx answer. */
  CompletableFuture<byte[]> post(byte[] json, String what) {
    return exchange(uri, HttpRequest.BodyPublishers.ofByteArray(json), what);
  }

  /** Posts a JSON-RPC batch of {@code n} calls of {@code method}, billed as {@code n} calls. */
  CompletableFuture<byte[]> postBatch(byte[] json, String method, int n, String what) {
    count(method, n - 1);
    return exchange(uri, HttpRequest.BodyPublishers.ofByteArray(json), what, false, method);
  }

  /** Posts {@code json} to {@code path} under the endpoint's URL. */
  CompletableFuture<byte[]> post(String path, byte[] json, String what) {
    return exchange(under(path), HttpRequest.BodyPublishers.ofByteArray(json), what);
  }

  /**
   * Gets {@code path} under the endpoint's URL (e.g. {@code /status}) and reads the answer as JSON;
   * a 404 or 500 carrying a JSON-RPC error object is an answer, not a transport failure.
   */
  CompletableFuture<JsonNode> getJson(String path, String what) {
    return exchange(under(path), null, what, true).thenApply(body -> json(body, what));
  }

  /** Posts {@code body} as JSON to {@code path} and reads the answer as JSON. */
  CompletableFuture<JsonNode> postJson(String path, Object body, String what) {
    byte[] json;
    try {
      json = Web3jHeadSources.JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(new RpcException("cannot encode " + what));
    }
    return post(path, json, what).thenApply(answer -> json(answer, what));
  }

  /**
   * One JSON-RPC call ({@code version} "1.0" as Bitcoin Core speaks it, or "2.0"); the future holds
   * the {@code result}, which may be JSON null. An {@code error} object fails it. {@code params} is
   * a list (by position) or a map (by name, as NEAR's {@code block} takes them).
   */
  CompletableFuture<JsonNode> call(String version, String method, Object params) {
    ObjectNode request = Web3jHeadSources.JSON.createObjectNode();
    request.put("jsonrpc", version);
    request.put("id", ids.incrementAndGet());
    request.put("method", method);
    request.set("params", Web3jHeadSources.JSON.valueToTree(params));
    byte[] json;
    try {
      json = Web3jHeadSources.JSON.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(new RpcException("cannot encode " + method));
    }
    return exchange(uri, HttpRequest.BodyPublishers.ofByteArray(json), method, true)
        .thenApply(
            body -> {
              JsonNode answer = json(body, method);
              JsonNode error = answer.path("error");
              if (!error.isMissingNode() && !error.isNull()) {
                throw new CompletionException(
                    new RpcException(
                        method
                            + " returned JSON-RPC error "
                            + text(error.path("code").asText())
                            + ": "
                            + text(error.path("message").asText())));
              }
              if (!answer.has("result")) {
                throw new CompletionException(
                    new RpcException("malformed JSON-RPC answer to " + method + ": no result"));
              }
              return answer.get("result");
            });
  }

  /** A failure of an answer (not of transport), to throw from a future stage. */
  static CompletionException failure(String message) {
    return new CompletionException(new RpcException(message));
  }

  /**
   * A non-negative whole number that a node wrote as a JSON number or a decimal string (as
   * CometBFT, Aptos and Sui write 64-bit numbers), or a failure naming {@code what}.
   */
  long number(JsonNode node, String what) {
    if (node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
      return node.asLong();
    }
    if (node.isTextual() && node.textValue().matches("[0-9]{1,19}")) {
      try {
        return Long.parseLong(node.textValue());
      } catch (NumberFormatException e) {
        // out of range: refused below
      }
    }
    throw failure(
        what
            + " is not a number: '"
            + text(node.isMissingNode() ? "missing" : node.toString())
            + "'");
  }

  /** A block time in seconds, checked to be in range. */
  static long seconds(long value, String what) {
    if (value < 0 || value > Web3jHeadSources.MAX_TIMESTAMP) {
      throw failure(what + " is out of range: " + value);
    }
    return value;
  }

  /** {@code body} as a JSON object or array, else a clear failure naming {@code what}. */
  JsonNode json(byte[] body, String what) {
    JsonNode node;
    try {
      node = Web3jHeadSources.JSON.readTree(body);
    } catch (IOException e) {
      throw new CompletionException(translate(what, e));
    }
    if (node == null || !node.isContainerNode()) {
      throw new CompletionException(
          new RpcException(
              "malformed answer to "
                  + what
                  + ": not a JSON object: '"
                  + text(new String(body, StandardCharsets.UTF_8))
                  + "'"));
    }
    return node;
  }

  /**
   * {@code path} (which may carry its own query) under the endpoint's URL; a query of the URL
   * itself (e.g. toncenter's {@code ?api_key=}) stays at the end, after the path's.
   */
  private URI under(String path) {
    String base = uri.toString();
    String query = uri.getRawQuery();
    if (query != null) {
      base = base.substring(0, base.indexOf('?'));
    }
    String joined = base.endsWith("/") ? base + path.substring(1) : base + path;
    if (query != null) {
      joined += (path.contains("?") ? "&" : "?") + query;
    }
    return URI.create(joined);
  }

  private CompletableFuture<byte[]> exchange(
      URI target, HttpRequest.@Nullable BodyPublisher body, String what) {
    return exchange(target, body, what, false, what);
  }

  private CompletableFuture<byte[]> exchange(
      URI target, HttpRequest.@Nullable BodyPublisher body, String what, boolean errorBodies) {
    return exchange(target, body, what, errorBodies, what);
  }

  /**
   * One exchange; the future holds the body of a 2xx answer (or, if {@code errorBodies}, of a 404
   * or 500 answer carrying a JSON-RPC error object: Bitcoin Core and CometBFT answer errors so).
   * Bounded twice in time: the client's own request timeout, and a deadline of the same length over
   * the whole exchange (the client's covers only the wait for the status line), after which the
   * exchange is cancelled and its connection dropped.
   */
  private CompletableFuture<byte[]> exchange(
      URI target,
      HttpRequest.@Nullable BodyPublisher body,
      String what,
      boolean errorBodies,
      String method) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(target).version(version).timeout(timeout);
    if (body != null) {
      builder.header("Content-Type", "application/json").POST(body);
    } else {
      builder.header("Accept", "application/json").GET();
    }
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    requests.incrementAndGet();
    count(method, 1);
    CompletableFuture<HttpResponse<byte[]>> exchange;
    try {
      exchange =
          client.sendAsync(
              builder.build(),
              info ->
                  new LimitedBody(
                      maxResponseBytes,
                      info.headers().firstValueAsLong("Content-Length").orElse(-1)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(translate(what, e));
    }
    CompletableFuture<HttpResponse<byte[]>> bounded =
        exchange.copy().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    return bounded.handle(
        (response, failure) -> {
          if (failure != null) {
            exchange.cancel(true);
            throw new CompletionException(translate(what, failure));
          }
          int status = response.statusCode();
          if (status < 200 || status > 299) {
            String text = new String(response.body(), StandardCharsets.UTF_8).trim();
            if (errorBodies
                && (status == 404 || status == 500)
                && text.startsWith("{")
                && JSON_RPC_ERROR.matcher(text).find()) {
              return response.body();
            }
            throw new CompletionException(
                new RpcException(
                    "HTTP " + status + (text.isEmpty() ? "" : ": " + text(text)), true));
          }
          return response.body();
        });
  }

  /** A failure of {@code what} as a specific, redacted {@link RpcException}. */
  RpcException translate(String what, Throwable failure) {
    Throwable e = failure;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof RpcException r) {
      return new RpcException(url.redact(r.getMessage()), r.transport());
    } else if (e instanceof HttpTimeoutException || e instanceof TimeoutException) {
      return new RpcException(what + " timed out after " + timeout, true);
    } else if (e instanceof JsonProcessingException j) {
      return new RpcException(
          "malformed JSON-RPC answer to " + what + ": " + text(j.getOriginalMessage()));
    } else if (causedBy(e, UnresolvedAddressException.class)) {
      return new RpcException("unknown host " + uri.getHost(), true);
    } else if (e instanceof ConnectException) {
      return new RpcException("connection refused", true);
    } else if (e instanceof IOException) {
      return new RpcException(
          "I/O error on "
              + what
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + text(e.getMessage())),
          true);
    }
    return new RpcException(
        "malformed answer to "
            + what
            + ": "
            + e.getClass().getSimpleName()
            + " "
            + text(e.getMessage()));
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads an answer as it arrives and fails it the moment it passes the limit, whether announced by
   * Content-Length or not; the connection is then dropped, not drained.
   */
  static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long max;
    private final long announced;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    /** The body when its length was announced: filled in place, never copied again. */
    private final byte @Nullable [] sized;

    /** Otherwise the body as it grows. */
    private final @Nullable ByteArrayOutputStream out;

    private Flow.@Nullable Subscription subscription;
    private long total;

    LimitedBody(long max, long announced) {
      this.max = max;
      this.announced = announced;
      boolean fits = announced >= 0 && announced <= max;
      this.sized = fits ? new byte[(int) announced] : null;
      this.out = fits ? null : new ByteArrayOutputStream();
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (announced > max) {
        s.cancel();
        result.completeExceptionally(
            new RpcException(
                "answer of " + announced + " bytes exceeds the limit of " + max + " bytes"));
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : buffers) {
        int n = b.remaining();
        long at = total;
        total += n;
        byte[] into = sized;
        if (total > max || (into != null && total > into.length)) {
          if (subscription != null) {
            subscription.cancel();
          }
          result.completeExceptionally(
              new RpcException(
                  into != null && total <= max
                      ? "answer longer than its Content-Length of " + into.length + " bytes"
                      : "answer exceeds the limit of " + max + " bytes"));
          return;
        }
        if (into != null) {
          b.get(into, (int) at, n);
        } else if (b.hasArray()) {
          Objects.requireNonNull(out, "unsized")
              .write(b.array(), b.arrayOffset() + b.position(), n);
          b.position(b.limit());
        } else {
          byte[] chunk = new byte[n];
          b.get(chunk);
          Objects.requireNonNull(out, "unsized").write(chunk, 0, n);
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      byte[] into = sized;
      if (into != null && total != into.length) {
        result.completeExceptionally(
            new RpcException(
                "answer of "
                    + total
                    + " bytes is shorter than its Content-Length of "
                    + into.length));
        return;
      }
      result.complete(into != null ? into : Objects.requireNonNull(out, "unsized").toByteArray());
    }
  }
}
