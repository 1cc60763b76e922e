package io.chainbreaker.test;

import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.RpcException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A {@link HeadSource} whose answers a test scripts: one endpoint of a chain that mines only when
 * told to, and fails, times out, lags or lies on demand. With {@link VirtualTime} every deadline of
 * the engine is exact, so rule tests need no sleeping; to test HTTP behaviour use {@link
 * SimulatedChain} instead. {@link ChainBreakerRig} gives an engine one per endpoint.
 *
 * <p>Each setter is named after the question whose answer it scripts ({@link #chainId(long)} sets
 * what {@link #chainId()} answers). Its chain is one line of blocks: block n has hash {@code
 * 0x<n>}, or {@code 0x<n>:<fork>} from the height a {@link #reorg(int)} replaced onwards, and its
 * parent is block n-1 on the same branch. Answers complete at once, on the calling thread.
 *
 * <pre>{@code
 * ScriptedHeadSource node = new ScriptedHeadSource(8217, 24_002_300, time.clock());
 * node.mine(1);                        // a new head stamped with the clock's time
 * node.fail("HTTP 502");               // every request fails until heal()
 * node.timeOut();                      // every request times out until heal()
 * node.heal();
 * }</pre>
 *
 * <p>Safe to script from the test thread while the engine asks from another.
 */
public final class ScriptedHeadSource implements HeadSource {
  private final Clock clock;
  private volatile long chainId;
  private volatile @Nullable String identity;
  private volatile boolean linksBlocks = true;
  private volatile long number;
  private volatile long timestamp;
  private volatile boolean syncing;
  private volatile boolean refusesSyncing;
  private volatile @Nullable Failure failure;
  private volatile long finalityLag = 2;
  private volatile boolean refusesFinalizedTag;
  private volatile @Nullable Long frozenFinalized;
  private volatile boolean forgetsParents;
  private volatile long clockLagSeconds;
  private volatile int fork;
  private volatile long forkFrom = Long.MAX_VALUE;
  private final AtomicInteger headRequests = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();

  /**
   * An endpoint of chain {@code chainId} whose head is block {@code number}, stamped now.
   *
   * @param chainId what {@link #chainId()} answers
   * @param number the number of the latest block
   * @param clock stamps mined blocks; pass {@link VirtualTime#clock()}
   */
  public ScriptedHeadSource(long chainId, long number, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.chainId = chainId;
    this.number = number;
    this.timestamp = clock.instant().getEpochSecond();
  }

  /** Mines {@code count} blocks, the newest stamped with the clock's time less the clock lag. */
  public synchronized ScriptedHeadSource mine(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative but was " + count);
    }
    number += count;
    timestamp = clock.instant().getEpochSecond() - clockLagSeconds;
    return this;
  }

  /** Replaces the newest {@code depth} blocks with another branch of the same height. */
  public synchronized ScriptedHeadSource reorg(int depth) {
    fork++;
    forkFrom = number - depth + 1;
    return this;
  }

  /**
   * From now on every request fails with {@code message}, as an answer that could not be used
   * (malformed, an error object, a refused call), until {@link #heal()}.
   */
  public ScriptedHeadSource fail(String message) {
    failure = new Failure(Objects.requireNonNull(message, "message"), false);
    return this;
  }

  /**
   * From now on every request fails as one that got no answer in time (a transport failure, like a
   * refused connection or an HTTP error status), until {@link #heal()}.
   */
  public ScriptedHeadSource timeOut() {
    failure = new Failure("request timed out", true);
    return this;
  }

  /** Answers normally again after {@link #fail(String)} or {@link #timeOut()}. */
  public ScriptedHeadSource heal() {
    failure = null;
    return this;
  }

  /** Sets the number of the latest block, without changing its timestamp. */
  public ScriptedHeadSource number(long number) {
    this.number = number;
    return this;
  }

  /** The number of the latest block. */
  public long number() {
    return number;
  }

  /** Sets the latest block's timestamp, in epoch seconds (e.g. to start during a halt). */
  public ScriptedHeadSource timestamp(long epochSeconds) {
    this.timestamp = epochSeconds;
    return this;
  }

  /** The latest block's timestamp, in epoch seconds. */
  public long timestamp() {
    return timestamp;
  }

  /** Sets how far block timestamps of blocks mined from now on run behind the clock. */
  public ScriptedHeadSource clockLag(Duration lag) {
    this.clockLagSeconds = lag.toSeconds();
    return this;
  }

  /** Sets the chain id this endpoint answers (another chain's endpoint answers another one). */
  public ScriptedHeadSource chainId(long chainId) {
    this.chainId = chainId;
    return this;
  }

  /** Sets the identity this endpoint answers, for a network of a family without chain ids. */
  public ScriptedHeadSource identity(String identity) {
    this.identity = Objects.requireNonNull(identity, "identity");
    return this;
  }

  /** Sets whether heads carry linked hashes (false: a family read by height alone). */
  public ScriptedHeadSource linksBlocks(boolean links) {
    this.linksBlocks = links;
    return this;
  }

  /** Sets whether the endpoint says it is still syncing. */
  public ScriptedHeadSource syncing(boolean syncing) {
    this.syncing = syncing;
    return this;
  }

  /** Sets whether the endpoint refuses the syncing question as an unknown method. */
  public ScriptedHeadSource refusesSyncing(boolean refuses) {
    this.refusesSyncing = refuses;
    return this;
  }

  /** Sets how many blocks the finalized block trails the head by; default 2. */
  public ScriptedHeadSource finalityLag(long blocks) {
    if (blocks < 0) {
      throw new IllegalArgumentException("finalityLag must not be negative but was " + blocks);
    }
    this.finalityLag = blocks;
    return this;
  }

  /** Sets whether the endpoint refuses the {@code finalized} block tag. */
  public ScriptedHeadSource refusesFinalizedTag(boolean refuses) {
    this.refusesFinalizedTag = refuses;
    return this;
  }

  /** Keeps the finalized block at {@code number} whatever the head does (a finality stall). */
  public ScriptedHeadSource freezeFinalized(long number) {
    this.frozenFinalized = number;
    return this;
  }

  /** Lets the finalized block trail the head again after {@link #freezeFinalized(long)}. */
  public ScriptedHeadSource thawFinalized() {
    this.frozenFinalized = null;
    return this;
  }

  /** Sets whether blocks by hash are unknown to the node, so parents never link. */
  public ScriptedHeadSource forgetsParents(boolean forgets) {
    this.forgetsParents = forgets;
    return this;
  }

  /** How many times the head was asked for, by number or whole header. */
  public int headRequests() {
    return headRequests.get();
  }

  private String hash(long n) {
    return n >= forkFrom ? "0x" + Long.toHexString(n) + ":" + fork : "0x" + Long.toHexString(n);
  }

  private BlockHead block(long n) {
    return new BlockHead(n, hash(n), hash(n - 1), timestamp);
  }

  @Override
  public CompletableFuture<Heads> heads(boolean withFinalized) {
    count("eth_getBlockByNumber", withFinalized ? 2 : 1);
    return answer(
        () -> {
          headRequests.incrementAndGet();
          BlockHead latest = block(number);
          if (!withFinalized) {
            return new Heads(latest, null, null);
          }
          if (refusesFinalizedTag) {
            return new Heads(latest, null, "the finalized tag was refused: JSON-RPC error -32602");
          }
          Long frozen = frozenFinalized;
          return new Heads(latest, block(frozen != null ? frozen : number - finalityLag), null);
        });
  }

  @Override
  public CompletableFuture<Long> headNumber() {
    count("eth_blockNumber", 1);
    return answer(
        () -> {
          headRequests.incrementAndGet();
          return number;
        });
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByNumber(long n) {
    count("eth_getBlockByNumber", 1);
    return answer(() -> n > number ? null : block(n));
  }

  @Override
  public CompletableFuture<@Nullable BlockHead> blockByHash(String hash) {
    count("eth_getBlockByHash", 1);
    return answer(
        () -> {
          if (forgetsParents) {
            return null;
          }
          long n = Long.decode(hash.split(":", -1)[0]);
          return n <= number && hash(n).equals(hash) ? block(n) : null;
        });
  }

  @Override
  public CompletableFuture<Long> chainId() {
    count("eth_chainId", 1);
    return answer(() -> chainId);
  }

  @Override
  public CompletableFuture<String> identity() {
    String id = identity;
    if (id == null) {
      return HeadSource.super.identity();
    }
    count("eth_chainId", 1);
    return answer(() -> id);
  }

  @Override
  public boolean linksBlocks() {
    return linksBlocks;
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    count("eth_syncing", 1);
    return answer(
        () -> {
          if (refusesSyncing) {
            throw new RpcException("eth_syncing returned JSON-RPC error -32601: method not found");
          }
          return syncing;
        });
  }

  @Override
  public long requestCount() {
    return requests.get();
  }

  private final java.util.concurrent.ConcurrentHashMap<
          String, java.util.concurrent.atomic.LongAdder>
      calls = new java.util.concurrent.ConcurrentHashMap<>();

  private void count(String method, int n) {
    calls.computeIfAbsent(method, m -> new java.util.concurrent.atomic.LongAdder()).add(n);
  }

  /** Calls by the Ethereum JSON-RPC method each would be, each call of a batch counted. */
  @Override
  public java.util.Map<String, Long> callsByMethod() {
    java.util.Map<String, Long> copy = new java.util.TreeMap<>();
    calls.forEach((m, n) -> copy.put(m, n.sum()));
    return copy;
  }

  /** How many times {@code method} was called (e.g. {@code eth_syncing}). */
  public long calls(String method) {
    java.util.concurrent.atomic.LongAdder n = calls.get(method);
    return n == null ? 0 : n.sum();
  }

  /** An answer computed now, or the scripted failure. */
  private <T extends @Nullable Object> CompletableFuture<T> answer(Answer<T> answer) {
    requests.incrementAndGet();
    Failure f = failure;
    if (f != null) {
      // A fresh exception per request, as a real source gives: a shared one would collect
      // suppressed exceptions across requests.
      return CompletableFuture.failedFuture(new RpcException(f.message(), f.transport()));
    }
    try {
      return CompletableFuture.completedFuture(answer.get());
    } catch (RpcException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private record Failure(String message, boolean transport) {}

  @FunctionalInterface
  private interface Answer<T extends @Nullable Object> {
    T get() throws RpcException;
  }
}
