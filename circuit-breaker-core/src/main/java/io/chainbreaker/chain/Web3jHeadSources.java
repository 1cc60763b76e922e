package io.chainbreaker.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;
import org.jspecify.annotations.Nullable;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.RpcNamespace;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthChainId;
import org.web3j.protocol.core.methods.response.EthSyncing;
import org.web3j.protocol.exceptions.ClientConnectionException;
import org.web3j.protocol.http.HttpService;

/**
 * Opens web3j {@link HeadSource}s over HTTP JSON-RPC. All sources share one OkHttp connection pool;
 * every request is bounded by its network's request timeout and every answer by
 * {@code maxResponseBytes}, so a node that answers slowly forever or sends 50 MB cannot stall or
 * exhaust the monitor. {@link #close()} releases the pool.
 */
public final class Web3jHeadSources implements HeadSource.Factory, AutoCloseable {

  /** The largest answer read by default: 4 MiB, far above a block header with tx hashes. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 4L * 1024 * 1024;

  private final OkHttpClient client;
  private final java.util.concurrent.ScheduledExecutorService reconnects =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chain-breaker-ws-reconnect");
        t.setDaemon(true);
        return t;
      });

  /** Sources that read at most {@link #DEFAULT_MAX_RESPONSE_BYTES} per answer. */
  public Web3jHeadSources() {
    this(DEFAULT_MAX_RESPONSE_BYTES);
  }

  /** Sources that read at most {@code maxResponseBytes} per answer. */
  public Web3jHeadSources(long maxResponseBytes) {
    if (maxResponseBytes <= 0) {
      throw new IllegalArgumentException(
          "maxResponseBytes must be positive but was " + maxResponseBytes);
    }
    this.client =
        new OkHttpClient.Builder()
            .connectionPool(new ConnectionPool(32, 5, TimeUnit.MINUTES))
            .addInterceptor(new ResponseLimit(maxResponseBytes))
            .followRedirects(false)
            .build();
  }

  @Override
  public HeadSource open(NetworkConfig network, RpcUrl url) {
    Duration requestTimeout = network.requestTimeout();
    OkHttpClient timed =
        client
            .newBuilder()
            .callTimeout(requestTimeout)
            .connectTimeout(requestTimeout)
            .readTimeout(requestTimeout)
            .writeTimeout(requestTimeout)
            .build();
    HttpService service = new HttpService(url.withoutUserInfo(), timed, false);
    if (url.username() != null) {
      service.addHeader(
          "Authorization", Credentials.basic(url.username(), String.valueOf(url.password())));
    }
    return new Web3jHeadSource(service, url, requestTimeout, network.namespace());
  }

  /**
   * Subscribes to new heads over WebSocket (one OkHttp reader thread per connection; reconnects
   * with backoff from 1 s to 30 s, all on one shared thread).
   */
  @Override
  public HeadStream subscribe(NetworkConfig network, RpcUrl url, HeadStream.Listener listener) {
    OkHttpClient ws = client.newBuilder()
        .connectTimeout(network.requestTimeout())
        .readTimeout(Duration.ZERO)
        .callTimeout(Duration.ZERO)
        .pingInterval(Duration.ofSeconds(20))
        .build();
    WebSocketHeadStream stream = new WebSocketHeadStream(ws, url, listener, reconnects);
    stream.connect();
    return stream;
  }

  /** Closes idle connections of the shared pool. */
  @Override
  public void close() {
    reconnects.shutdownNow();
    client.connectionPool().evictAll();
    client.dispatcher().executorService().shutdown();
  }

  /** Cuts answers above a size, whether announced by Content-Length or not. */
  private static final class ResponseLimit implements Interceptor {
    private final long max;

    ResponseLimit(long max) {
      this.max = max;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
      Response response = chain.proceed(chain.request());
      ResponseBody body = response.body();
      if (body == null) {
        return response;
      }
      long announced = body.contentLength();
      if (announced > max) {
        response.close();
        throw new RpcException(
            "answer of " + announced + " bytes exceeds the limit of " + max + " bytes");
      }
      Source limited =
          new ForwardingSource(body.source()) {
            private long total;

            @Override
            public long read(Buffer sink, long byteCount) throws IOException {
              long read = super.read(sink, byteCount);
              if (read > 0) {
                total += read;
                if (total > max) {
                  throw new RpcException("answer exceeds the limit of " + max + " bytes");
                }
              }
              return read;
            }
          };
      return response
          .newBuilder()
          .body(ResponseBody.create(Okio.buffer(limited), body.contentType(), announced))
          .build();
    }
  }

  /** {@code s} on one line and at most 160 characters, for messages about a node's answer. */
  static String clip(@Nullable String s) {
    if (s == null) {
      return "";
    }
    String oneLine = s.replaceAll("\\s+", " ");
    return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 160) + "...";
  }

  /** One endpoint, spoken to with web3j's JSON-RPC request objects. */
  static final class Web3jHeadSource implements HeadSource {
    private static final Pattern HTTP_STATUS = Pattern.compile("Invalid response received: (\\d+);");

    private final HttpService service;
    private final RpcUrl url;
    private final Duration timeout;
    private final String getBlockByNumber;
    private final String getBlockByHash;
    private final String chainIdMethod;
    private final String syncingMethod;

    Web3jHeadSource(HttpService service, RpcUrl url, Duration timeout, RpcNamespace namespace) {
      this.service = service;
      this.url = url;
      this.timeout = timeout;
      boolean klay = namespace == RpcNamespace.KLAY;
      this.getBlockByNumber = klay ? "klay_getBlockByNumber" : "eth_getBlockByNumber";
      this.getBlockByHash = klay ? "klay_getBlockByHash" : "eth_getBlockByHash";
      this.chainIdMethod = klay ? "klay_chainID" : "eth_chainId";
      this.syncingMethod = klay ? "klay_syncing" : "eth_syncing";
    }

    private Request<?, EthBlock> blockRequest(String tag) {
      return new Request<>(getBlockByNumber, List.of(tag, false), service, EthBlock.class);
    }

    @Override
    public BlockHead latest() throws IOException {
      EthBlock answer = send(blockRequest("latest"));
      return head(answer.getBlock(), getBlockByNumber + "(latest)");
    }

    /** Latest and finalized in one JSON-RPC batch, matched by id: nodes may reorder answers. */
    @Override
    public Heads heads(boolean withFinalized) throws IOException {
      if (!withFinalized) {
        return new Heads(latest(), null, null);
      }
      Request<?, EthBlock> latest = blockRequest("latest");
      Request<?, EthBlock> finalized = blockRequest("finalized");
      BatchResponse answers;
      try {
        answers = new BatchRequest(service).add(latest).add(finalized).send();
      } catch (ClassCastException e) {
        throw new RpcException("malformed JSON-RPC batch answer: not an array");
      } catch (IndexOutOfBoundsException e) {
        throw new RpcException("malformed JSON-RPC batch answer: more answers than requests");
      } catch (IOException | RuntimeException e) {
        throw translate(getBlockByNumber + " batch", e);
      }
      if (answers == null) {
        throw new RpcException(getBlockByNumber + " batch returned an empty answer");
      }
      EthBlock latestAnswer = null;
      EthBlock finalizedAnswer = null;
      for (org.web3j.protocol.core.Response<?> r : answers.getResponses()) {
        if (r.getId() == latest.getId()) {
          latestAnswer = (EthBlock) r;
        } else if (r.getId() == finalized.getId()) {
          finalizedAnswer = (EthBlock) r;
        }
      }
      if (latestAnswer == null) {
        throw new RpcException("the batch answer for " + getBlockByNumber + "(latest) is missing");
      }
      if (latestAnswer.hasError()) {
        throw new RpcException(getBlockByNumber + " returned JSON-RPC error "
            + latestAnswer.getError().getCode() + ": "
            + clip(url.redact(latestAnswer.getError().getMessage())));
      }
      BlockHead head = head(latestAnswer.getBlock(), getBlockByNumber + "(latest)");
      if (finalizedAnswer == null) {
        return new Heads(head, null, "the batch answer for the finalized block is missing");
      }
      if (finalizedAnswer.hasError()) {
        return new Heads(head, null, "the finalized tag was refused: JSON-RPC error "
            + finalizedAnswer.getError().getCode() + ": "
            + clip(url.redact(finalizedAnswer.getError().getMessage())));
      }
      if (finalizedAnswer.getBlock() == null) {
        return new Heads(head, null, "the finalized block is null");
      }
      return new Heads(head, head(finalizedAnswer.getBlock(), getBlockByNumber + "(finalized)"),
          null);
    }

    @Override
    public BlockHead blockByNumber(long number) throws IOException {
      EthBlock answer = send(blockRequest("0x" + Long.toHexString(number)));
      return answer.getBlock() == null ? null : head(answer.getBlock(), getBlockByNumber);
    }

    @Override
    public BlockHead blockByHash(String hash) throws IOException {
      EthBlock answer = send(new Request<>(getBlockByHash, List.of(hash, false), service,
          EthBlock.class));
      return answer.getBlock() == null ? null : head(answer.getBlock(), getBlockByHash);
    }

    private static BlockHead head(EthBlock.Block block, String what) throws RpcException {
      if (block == null) {
        throw new RpcException(what + " returned a null block");
      }
      long number = quantity("block number", block.getNumberRaw());
      long timestamp = quantity("block timestamp", block.getTimestampRaw());
      String hash = block.getHash();
      if (hash == null || block.getParentHash() == null) {
        throw new RpcException("block #" + number + " came without hash or parentHash");
      }
      return new BlockHead(number, hash, block.getParentHash(), timestamp);
    }

    @Override
    public long chainId() throws IOException {
      EthChainId answer =
          send(new Request<>(chainIdMethod, List.of(), service, EthChainId.class));
      return quantity("chain id", answer.getResult());
    }

    @Override
    public boolean syncing() throws IOException {
      EthSyncing answer = send(new Request<>(syncingMethod, List.of(), service, EthSyncing.class));
      if (answer.getResult() == null) {
        throw new RpcException(syncingMethod + " returned no result");
      }
      return answer.isSyncing();
    }

    @Override
    public void close() {
      // The shared OkHttp client is closed by the factory.
    }

    private <T extends org.web3j.protocol.core.Response<?>> T send(Request<?, T> request)
        throws IOException {
      T answer;
      try {
        answer = request.send();
      } catch (IOException | RuntimeException e) {
        throw translate(request.getMethod(), e);
      }
      if (answer == null) {
        throw new RpcException(request.getMethod() + " returned an empty answer");
      }
      if (answer.hasError()) {
        throw new RpcException(
            request.getMethod() + " returned JSON-RPC error " + answer.getError().getCode() + ": "
                + clip(url.redact(answer.getError().getMessage())));
      }
      return answer;
    }

    /** A failure of {@code method} as a specific, redacted {@link RpcException}. */
    private RpcException translate(String method, Exception e) {
      if (e instanceof RpcException) {
        return new RpcException(url.redact(e.getMessage()));
      } else if (e instanceof ClientConnectionException) {
        return new RpcException(describeHttpError(e.getMessage()));
      } else if (e instanceof JsonProcessingException j) {
        return new RpcException("malformed JSON-RPC answer to " + method + ": "
            + clip(url.redact(j.getOriginalMessage())));
      } else if (e instanceof InterruptedIOException) {
        // SocketTimeoutException included: OkHttp's call timeout is an InterruptedIOException.
        return new RpcException(method + " timed out after " + timeout);
      } else if (e instanceof ConnectException) {
        return new RpcException("connection refused");
      } else if (e instanceof UnknownHostException) {
        return new RpcException("unknown host " + url.uri().getHost());
      } else if (e instanceof IOException) {
        return new RpcException("I/O error on " + method + ": " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : " " + clip(url.redact(e.getMessage()))));
      }
      // web3j's deserializers throw unchecked exceptions on some malformed answers.
      return new RpcException("malformed answer to " + method + ": " + e.getClass().getSimpleName()
          + " " + clip(url.redact(e.getMessage())));
    }

    private String describeHttpError(@Nullable String message) {
      String text = message == null ? "" : message;
      Matcher m = HTTP_STATUS.matcher(text);
      if (m.find()) {
        String body = text.substring(m.end()).trim();
        return "HTTP " + m.group(1) + (body.isEmpty() ? "" : ": " + clip(url.redact(body)));
      }
      return "HTTP error: " + clip(url.redact(text));
    }

    static long quantity(String what, @Nullable String raw) throws RpcException {
      if (raw == null) {
        throw new RpcException(what + " is missing");
      }
      if (!raw.startsWith("0x") || raw.length() < 3 || raw.length() > 18) {
        throw new RpcException(what + " is not a hex quantity: '" + clip(raw) + "'");
      }
      long value = 0;
      for (int i = 2; i < raw.length(); i++) {
        int digit = Character.digit(raw.charAt(i), 16);
        if (digit < 0) {
          throw new RpcException(what + " is not a hex quantity: '" + clip(raw) + "'");
        }
        value = (value << 4) | digit;
      }
      if (value < 0) {
        throw new RpcException(what + " is out of range: '" + raw + "'");
      }
      return value;
    }


  }
}
