package io.chainbreaker.chain;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainbreaker.RpcNamespace;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.web3j.protocol.ObjectMapperFactory;

/**
 * Opens {@link HeadSource}s that speak Ethereum (or Klaytn) JSON-RPC over HTTP, sent without
 * blocking through one shared JDK {@link HttpClient} and read with web3j's Jackson configuration as
 * a stream (only the fields the rules read are kept); and, by the network's {@link
 * io.chainbreaker.Protocol}, sources of the other families through the same client: Bitcoin Core
 * JSON-RPC, CometBFT RPC, Solana JSON-RPC, Tron HTTP, Aptos REST, Sui JSON-RPC, toncenter v2,
 * rippled JSON-RPC, Starknet JSON-RPC, Substrate JSON-RPC, NEAR JSON-RPC, algod REST, Stellar
 * Horizon and Blockfrost-compatible REST (see docs/chain-families.md for which rules apply to
 * each).
 *
 * <p>Threads: one selector thread of the HTTP client and a fixed pool of {@value #THREADS} threads
 * that parse answers, whatever the number of networks and endpoints; none of them ever waits on a
 * node. A request in flight holds a connection, not a thread, so a provider that hangs holds only
 * its own endpoints' requests until their deadline ({@link SourceSettings#requestTimeout()}): there
 * is no shared pool or per-host cap that it could exhaust. Every answer is bounded by {@code
 * maxResponseBytes}, read as it arrives, so a node that sends 50 MB is cut at the limit. {@link
 * #close()} releases the client and its threads.
 */
public final class Web3jHeadSources implements HeadSource.Factory, AutoCloseable {

  private static final java.util.regex.Pattern FEED =
      java.util.regex.Pattern.compile("0x[0-9a-fA-F]{40}");

  /** The selector of Chainlink's {@code latestRoundData()}. */
  static final String LATEST_ROUND_DATA = "0xfeaf968c";

  /** The largest answer read by default: 4 MiB, far above a block header with tx hashes. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 4L * 1024 * 1024;

  /** Threads that complete requests and parse answers. */
  static final int THREADS = 2;

  static final ObjectMapper JSON = ObjectMapperFactory.getObjectMapper();
  private static final Pattern HASH = Pattern.compile("0x[0-9a-fA-F]{64}");

  /** 9999-12-31T23:59:59Z: a block time beyond it is not a time. */
  static final long MAX_TIMESTAMP = 253_402_300_799L;

  private final long maxResponseBytes;
  private final ExecutorService executor;
  private final HttpClient client;
  private final ScheduledExecutorService reconnects;

  /** Sources that read at most {@link #DEFAULT_MAX_RESPONSE_BYTES} per answer. */
  public Web3jHeadSources() {
    this(DEFAULT_MAX_RESPONSE_BYTES);
  }

  /** Sources that read at most {@code maxResponseBytes} per answer (and per WebSocket message). */
  public Web3jHeadSources(long maxResponseBytes) {
    if (maxResponseBytes <= 0) {
      throw new IllegalArgumentException(
          "maxResponseBytes must be positive but was " + maxResponseBytes);
    }
    this.maxResponseBytes = maxResponseBytes;
    this.executor = Executors.newFixedThreadPool(THREADS, daemon("chain-breaker-http"));
    this.client =
        HttpClient.newBuilder()
            .executor(executor)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.reconnects = Executors.newSingleThreadScheduledExecutor(daemon("chain-breaker-ws"));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public HeadSource open(SourceSettings settings, RpcUrl url) {
    HttpEndpoint http = new HttpEndpoint(client, maxResponseBytes, url, settings.requestTimeout());
    return switch (settings.protocol()) {
      case EVM -> new Web3jHeadSource(http, settings.namespace());
      case BITCOIN -> new BitcoinHeadSource(http);
      case COMETBFT -> new CometBftHeadSource(http);
      case SOLANA -> new SolanaHeadSource(http);
      case TRON -> new TronHeadSource(http);
      case APTOS -> new AptosHeadSource(http);
      case SUI -> new SuiHeadSource(http);
      case TON -> new TonHeadSource(http);
      case XRPL -> new XrplHeadSource(http);
      case STARKNET -> new StarknetHeadSource(http);
      case SUBSTRATE -> new SubstrateHeadSource(http);
      case NEAR -> new NearHeadSource(http);
      case ALGORAND -> new AlgorandHeadSource(http);
      case STELLAR -> new StellarHeadSource(http);
      case CARDANO -> new CardanoHeadSource(http);
    };
  }

  /**
   * Subscribes to new heads over WebSocket ({@code eth_subscribe("newHeads")}) through the same
   * client: no thread per connection; reconnects with backoff from 1 s to 30 s on one shared
   * thread; every message bounded by {@code maxResponseBytes} as it arrives.
   */
  @Override
  public HeadStream subscribe(SourceSettings settings, RpcUrl url, HeadStream.Listener listener) {
    WebSocketHeadStream stream =
        new WebSocketHeadStream(
            client, url, settings.requestTimeout(), maxResponseBytes, listener, reconnects);
    stream.connect();
    return stream;
  }

  /** Stops the client's threads; requests in flight fail. */
  @Override
  public void close() {
    reconnects.shutdownNow();
    executor.shutdownNow();
  }

  /** {@code s} on one line and at most 160 characters, for messages about a node's answer. */
  static String clip(@Nullable String s) {
    if (s == null) {
      return "";
    }
    String oneLine = s.replaceAll("[\\s\\p{Cntrl}]+", " ");
    return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 160) + "...";
  }

  /** The basic-authentication header value for the URL's user info, or null. */
  static @Nullable String basicAuthorization(RpcUrl url) {
    if (url.username() == null) {
      return null;
    }
    String pair = url.username() + ":" + (url.password() == null ? "" : url.password());
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  /** A block header from a node, checked: numbers in range, hashes of the right form. */
  static BlockHead header(
      long number, @Nullable String hash, @Nullable String parentHash, long timestamp)
      throws RpcException {
    if (hash == null || parentHash == null) {
      throw new RpcException("block #" + number + " came without hash or parentHash");
    }
    if (!HASH.matcher(hash).matches()) {
      throw new RpcException("block #" + number + " has a malformed hash '" + clip(hash) + "'");
    }
    if (!HASH.matcher(parentHash).matches()) {
      throw new RpcException(
          "block #" + number + " has a malformed parentHash '" + clip(parentHash) + "'");
    }
    if (timestamp > MAX_TIMESTAMP) {
      throw new RpcException("block #" + number + " has a timestamp out of range: " + timestamp);
    }
    return new BlockHead(number, hash, parentHash, timestamp);
  }

  /** Parses a JSON-RPC hex quantity such as {@code 0x16e3a4b}, refusing anything else. */
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

  /**
   * Decodes the answer of {@code latestRoundData()}: five 32-byte words (roundId, answer,
   * startedAt, updatedAt, answeredInRound). Refuses an empty result (no contract there), a wrong
   * length, an answer other than 0 or 1, a round that never started, and times out of range.
   */
  static SequencerStatus latestRoundData(String feed, @Nullable String raw) throws RpcException {
    String what = "latestRoundData() of the sequencer uptime feed " + feed;
    if (raw == null || raw.equals("0x") || raw.isEmpty()) {
      throw new RpcException(what + " returned nothing: is a feed deployed at that address?");
    }
    if (!raw.startsWith("0x") || raw.length() != 2 + 5 * 64) {
      throw new RpcException(
          what + " is not five 32-byte words: '" + clip(raw) + "' (" + raw.length() + " chars)");
    }
    BigInteger[] words = new BigInteger[5];
    for (int i = 0; i < 5; i++) {
      String word = raw.substring(2 + i * 64, 2 + (i + 1) * 64);
      if (!word.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new RpcException(what + " is not hex: '" + clip(raw) + "'");
      }
      words[i] = new BigInteger(word, 16);
    }
    BigInteger answer = words[1];
    if (!answer.equals(BigInteger.ZERO) && !answer.equals(BigInteger.ONE)) {
      throw new RpcException(
          what + " answered " + clip(answer.toString()) + ": neither 0 (up) nor 1 (down)");
    }
    long startedAt = feedTime(what, "startedAt", words[2]);
    long updatedAt = feedTime(what, "updatedAt", words[3]);
    if (startedAt == 0) {
      throw new RpcException(what + " has startedAt 0: the feed's round never started");
    }
    return new SequencerStatus(
        answer.equals(BigInteger.ONE), startedAt, updatedAt, words[0].toString());
  }

  private static long feedTime(String what, String field, BigInteger value) throws RpcException {
    if (value.compareTo(BigInteger.valueOf(MAX_TIMESTAMP)) > 0) {
      throw new RpcException(what + " has " + field + " out of range: " + clip(value.toString()));
    }
    return value.longValueExact();
  }

  /**
   * One endpoint, spoken to in Ethereum JSON-RPC. Requests are written as text (their shape is
   * fixed); answers are read with a streaming parser that keeps only the fields the rules read
   * ({@link JsonRpcAnswer}), not bound to web3j's {@code EthBlock}: a block's transactions and
   * other fields are skipped unbuilt.
   */
  static final class Web3jHeadSource implements HeadSource {
    private final HttpEndpoint http;
    private final RpcUrl url;
    private final String getBlockByNumber;
    private final String getBlockByHash;
    private final String blockNumberMethod;
    private final String chainIdMethod;
    private final String syncingMethod;
    private final String callMethod;
    private final AtomicLong ids = new AtomicLong();

    Web3jHeadSource(HttpEndpoint http, RpcNamespace namespace) {
      this.http = http;
      this.url = http.url;
      boolean klay = namespace == RpcNamespace.KLAY;
      this.getBlockByNumber = klay ? "klay_getBlockByNumber" : "eth_getBlockByNumber";
      this.getBlockByHash = klay ? "klay_getBlockByHash" : "eth_getBlockByHash";
      this.blockNumberMethod = klay ? "klay_blockNumber" : "eth_blockNumber";
      this.chainIdMethod = klay ? "klay_chainID" : "eth_chainId";
      this.syncingMethod = klay ? "klay_syncing" : "eth_syncing";
      this.callMethod = klay ? "klay_call" : "eth_call";
    }

    @Override
    public CompletableFuture<SequencerStatus> sequencerStatus(String feedAddress) {
      if (!FEED.matcher(feedAddress).matches()) {
        return CompletableFuture.failedFuture(
            new RpcException("not a contract address: '" + clip(feedAddress) + "'"));
      }
      return send(
              callMethod,
              "{\"to\":\"" + feedAddress + "\",\"data\":\"" + LATEST_ROUND_DATA + "\"},\"latest\"")
          .thenApply(answer -> unchecked(() -> latestRoundData(feedAddress, answer.resultText)));
    }

    @Override
    public long requestCount() {
      return http.requests();
    }

    @Override
    public Map<String, Long> callsByMethod() {
      return http.calls();
    }

    /**
     * One request as JSON text; {@code params} is already JSON (only tags, hex numbers, hashes
     * checked by the caller, and booleans go there).
     */
    private static String request(long id, String method, String params) {
      return "{\"jsonrpc\":\"2.0\",\"method\":\""
          + method
          + "\",\"params\":["
          + params
          + "],\"id\":"
          + id
          + "}";
    }

    @Override
    public CompletableFuture<Heads> heads(boolean withFinalized) {
      if (!withFinalized) {
        return send(getBlockByNumber, "\"latest\",false")
            .thenApply(
                answer -> new Heads(head(answer, getBlockByNumber + "(latest)"), null, null));
      }
      long latestId = ids.incrementAndGet();
      long finalizedId = ids.incrementAndGet();
      String what = getBlockByNumber + " batch";
      byte[] json =
          ("["
                  + request(latestId, getBlockByNumber, "\"latest\",false")
                  + ","
                  + request(finalizedId, getBlockByNumber, "\"finalized\",false")
                  + "]")
              .getBytes(StandardCharsets.UTF_8);
      return http.postBatch(json, getBlockByNumber, 2, what)
          .thenApply(body -> batchHeads(body, latestId, finalizedId, what));
    }

    /** Latest and finalized from one JSON-RPC batch, matched by id: nodes may reorder answers. */
    private Heads batchHeads(byte[] body, long latestId, long finalizedId, String what) {
      JsonRpcAnswer latestAnswer = null;
      JsonRpcAnswer finalizedAnswer = null;
      try (JsonParser p = JSON.getFactory().createParser(body)) {
        JsonToken first = p.nextToken();
        if (first == JsonToken.START_OBJECT) {
          JsonRpcAnswer single = JsonRpcAnswer.read(p);
          if (single.hasError) {
            throw new CompletionException(
                new RpcException(
                    what + " was refused: " + rpcError(single.errorCode, single.errorMessage)));
          }
        }
        if (first != JsonToken.START_ARRAY) {
          throw new CompletionException(
              new RpcException("malformed JSON-RPC batch answer: not an array"));
        }
        int count = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          if (++count > 2) {
            throw new CompletionException(
                new RpcException("malformed JSON-RPC batch answer: more answers than requests"));
          }
          if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            continue;
          }
          JsonRpcAnswer answer = JsonRpcAnswer.read(p);
          if (answer.id == latestId) {
            latestAnswer = answer;
          } else if (answer.id == finalizedId) {
            finalizedAnswer = answer;
          }
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof CompletionException c) {
          throw c;
        }
        throw new CompletionException(translate(what, e));
      }
      if (latestAnswer == null) {
        throw new CompletionException(
            new RpcException("the batch answer for " + getBlockByNumber + "(latest) is missing"));
      }
      if (latestAnswer.hasError) {
        throw new CompletionException(
            new RpcException(
                getBlockByNumber
                    + " returned "
                    + rpcError(latestAnswer.errorCode, latestAnswer.errorMessage)));
      }
      BlockHead head = head(latestAnswer, getBlockByNumber + "(latest)");
      if (finalizedAnswer == null) {
        return new Heads(head, null, "the batch answer for the finalized block is missing");
      }
      if (finalizedAnswer.hasError) {
        return new Heads(
            head,
            null,
            "the finalized tag was refused: "
                + rpcError(finalizedAnswer.errorCode, finalizedAnswer.errorMessage));
      }
      if (!finalizedAnswer.resultObject) {
        return new Heads(head, null, "the finalized block is null");
      }
      return new Heads(head, head(finalizedAnswer, getBlockByNumber + "(finalized)"), null);
    }

    /** {@code JSON-RPC error CODE: message}, the node's text clipped and redacted. */
    private String rpcError(@Nullable String code, @Nullable String message) {
      return "JSON-RPC error " + clip(url.redact(code)) + ": " + clip(url.redact(message));
    }

    @Override
    public CompletableFuture<Long> headNumber() {
      return send(blockNumberMethod, "")
          .thenApply(answer -> unchecked(() -> quantity("block number", answer.resultText)));
    }

    @Override
    public CompletableFuture<@Nullable BlockHead> blockByNumber(long number) {
      return send(getBlockByNumber, "\"0x" + Long.toHexString(number) + "\",false")
          .thenApply(answer -> answer.resultObject ? head(answer, getBlockByNumber) : null);
    }

    @Override
    public CompletableFuture<@Nullable BlockHead> blockByHash(String hash) {
      if (!HASH.matcher(hash).matches()) {
        return CompletableFuture.failedFuture(
            new RpcException("not a block hash: '" + clip(hash) + "'"));
      }
      return send(getBlockByHash, "\"" + hash + "\",false")
          .thenApply(answer -> answer.resultObject ? head(answer, getBlockByHash) : null);
    }

    private BlockHead head(JsonRpcAnswer block, String what) {
      return unchecked(
          () -> {
            if (!block.resultObject) {
              throw new RpcException(what + " returned a null block");
            }
            long number = quantity("block number", block.number);
            long timestamp = quantity("block timestamp", block.timestamp);
            return header(number, block.hash, block.parentHash, timestamp);
          });
    }

    @Override
    public CompletableFuture<Long> chainId() {
      return send(chainIdMethod, "")
          .thenApply(answer -> unchecked(() -> quantity("chain id", answer.resultText)));
    }

    @Override
    public CompletableFuture<Boolean> syncing() {
      return send(syncingMethod, "")
          .thenApply(
              answer ->
                  unchecked(
                      () -> {
                        // false when synced; an object of progress (or true) while syncing.
                        if (answer.resultBoolean != null) {
                          return answer.resultBoolean;
                        }
                        if (answer.resultObject) {
                          return true;
                        }
                        throw new RpcException(syncingMethod + " returned no result");
                      }));
    }

    /** Sends one request and reads its answer; a JSON-RPC error object fails the future. */
    private CompletableFuture<JsonRpcAnswer> send(String method, String params) {
      byte[] json = request(ids.incrementAndGet(), method, params).getBytes(StandardCharsets.UTF_8);
      return http.post(json, method)
          .thenApply(
              body -> {
                JsonRpcAnswer answer;
                try (JsonParser p = JSON.getFactory().createParser(body)) {
                  JsonToken first = p.nextToken();
                  if (first == null || first == JsonToken.VALUE_NULL) {
                    throw new CompletionException(
                        new RpcException(method + " returned an empty answer"));
                  }
                  if (first != JsonToken.START_OBJECT) {
                    throw new CompletionException(
                        new RpcException(
                            "malformed JSON-RPC answer to " + method + ": not a JSON object"));
                  }
                  answer = JsonRpcAnswer.read(p);
                } catch (IOException | RuntimeException e) {
                  if (e instanceof CompletionException c) {
                    throw c;
                  }
                  throw new CompletionException(translate(method, e));
                }
                if (answer.hasError) {
                  throw new CompletionException(
                      new RpcException(
                          method + " returned " + rpcError(answer.errorCode, answer.errorMessage)));
                }
                return answer;
              });
    }

    private RpcException translate(String method, Throwable failure) {
      return http.translate(method, failure);
    }
  }

  /** A value computed by code that may throw an {@link RpcException}. */
  @FunctionalInterface
  interface RpcSupplier<T> {
    T get() throws RpcException;
  }

  /** Runs {@code s}, wrapping its {@link RpcException} so it can fail a future stage. */
  static <T> T unchecked(RpcSupplier<T> s) {
    try {
      return s.get();
    } catch (RpcException e) {
      throw new CompletionException(e);
    }
  }
}
