package io.chainbreaker.test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An in-process blockchain served over HTTP JSON-RPC by one or more {@link SimulatedEndpoint}s.
 *
 * <p>It produces blocks at an interval on a daemon thread, and can halt, resume, stop after a given
 * block and mine on demand. Each endpoint can be made to misbehave on its own (HTTP errors, delays,
 * malformed answers, another chain id, syncing, lagging). Example:
 *
 * <pre>{@code
 * try (SimulatedChain chain = SimulatedChain.builder().chainId(8217).build()) {
 *   chain.produceBlocks(Duration.ofSeconds(1));
 *   String url = chain.endpoint().url();
 *   chain.halt();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class SimulatedChain implements AutoCloseable {

  private final long chainId;
  private final Clock clock;
  private final int finalityDepth;
  private final List<SimulatedBlock> blocks = new ArrayList<>();
  private final long firstNumber;
  private final List<SimulatedEndpoint> endpoints = new CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<SimulatedBlock>> blockListeners =
      new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService producer;
  private @Nullable ScheduledFuture<?> production;
  private @Nullable Duration interval;
  private long stopAfter = Long.MAX_VALUE;
  private int fork;
  private @Nullable Long frozenFinalized;
  private @Nullable String feedAddress;
  private boolean feedDown;
  private long feedStartedAt;
  private long feedRound;
  private @Nullable String feedRaw;

  private SimulatedChain(Builder builder) {
    this.chainId = builder.chainId;
    this.clock = builder.clock;
    this.finalityDepth = builder.finalityDepth;
    this.firstNumber = builder.firstBlock;
    this.producer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "simulated-chain-" + chainId);
              t.setDaemon(true);
              return t;
            });
    long now = clock.instant().getEpochSecond();
    long step = Math.max(1, builder.historyInterval.toSeconds());
    int history = builder.history;
    for (int i = 0; i < history; i++) {
      append(now - (long) (history - 1 - i) * step);
    }
  }

  /** A builder for a chain; every setting has a default. */
  public static Builder builder() {
    return new Builder();
  }

  /** The chain id every healthy endpoint reports. */
  public long chainId() {
    return chainId;
  }

  /**
   * What identifies this chain to a head source of {@code protocol} ({@code evm}, {@code bitcoin},
   * {@code solana}, {@code cometbft}, {@code tron}, {@code aptos}, {@code sui}): the chain id on
   * EVM and Aptos, a genesis hash, network name or chain identifier derived from it on the others.
   * An endpoint told to {@link SimulatedEndpoint#reportChainId report another chain id} reports
   * that chain's identity in every family.
   */
  public String identity(String protocol) {
    return FamilyApis.identity(protocol, chainId);
  }

  /** The first endpoint, started on first use. */
  public synchronized SimulatedEndpoint endpoint() {
    if (endpoints.isEmpty()) {
      return addEndpoint();
    }
    return endpoints.get(0);
  }

  /** Starts one more HTTP endpoint serving this chain on a free loopback port. */
  public SimulatedEndpoint addEndpoint() {
    return addEndpoint(0);
  }

  /** Starts one more HTTP endpoint serving this chain on this loopback port (0: a free one). */
  public synchronized SimulatedEndpoint addEndpoint(int port) {
    SimulatedEndpoint endpoint = new SimulatedEndpoint(this, endpoints.size(), port);
    endpoints.add(endpoint);
    return endpoint;
  }

  /**
   * Serves this chain on a {@link SimulatedProvider}'s server at {@code /name/}, with the
   * provider's latency and faults as well as its own.
   */
  public synchronized SimulatedEndpoint addEndpoint(SimulatedProvider provider, String name) {
    SimulatedEndpoint endpoint = provider.serve(this, name);
    endpoints.add(endpoint);
    return endpoint;
  }

  /** Every endpoint started so far. */
  public List<SimulatedEndpoint> endpoints() {
    return List.copyOf(endpoints);
  }

  /** Produces one block every {@code interval} from now on, until {@link #halt()}. */
  public synchronized void produceBlocks(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive but was " + interval);
    }
    this.interval = interval;
    cancelProduction();
    production =
        producer.scheduleAtFixedRate(
            this::produceOne, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Stops producing blocks: the head stays where it is, as on a halted chain. */
  public synchronized void halt() {
    cancelProduction();
  }

  /**
   * Produces blocks again at the last interval given to {@link #produceBlocks}; clears any stop set
   * by {@link #stopAfter(long)}.
   */
  public synchronized void resume() {
    stopAfter = Long.MAX_VALUE;
    if (interval == null) {
      throw new IllegalStateException("resume() needs produceBlocks(interval) first");
    }
    produceBlocks(interval);
  }

  /** Lets production run up to block {@code number} and then halts, as Klaytn did in 2020. */
  public synchronized void stopAfter(long number) {
    this.stopAfter = number;
  }

  /** Whether blocks are being produced. */
  public synchronized boolean producing() {
    return production != null;
  }

  /** Mines {@code count} blocks at once, stamped with the current time; returns the new head. */
  public synchronized SimulatedBlock mine(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1 but was " + count);
    }
    for (int i = 0; i < count; i++) {
      append(clock.instant().getEpochSecond());
    }
    return head();
  }

  /** The newest block. */
  public synchronized SimulatedBlock head() {
    return blocks.get(blocks.size() - 1);
  }

  /** The oldest block. */
  public synchronized SimulatedBlock oldest() {
    return blocks.get(0);
  }

  /** The block at {@code number}, or null if there is none. */
  public synchronized @Nullable SimulatedBlock block(long number) {
    long index = number - firstNumber;
    return index < 0 || index >= blocks.size() ? null : blocks.get((int) index);
  }

  /** The block with this hash, or null. */
  public synchronized @Nullable SimulatedBlock blockByHash(String hash) {
    for (int i = blocks.size() - 1; i >= 0; i--) {
      if (blocks.get(i).hash().equalsIgnoreCase(hash)) {
        return blocks.get(i);
      }
    }
    return null;
  }

  /** The newest block that {@code test} accepts, or null. */
  synchronized @Nullable SimulatedBlock blockMatching(
      java.util.function.Predicate<SimulatedBlock> test) {
    for (int i = blocks.size() - 1; i >= 0; i--) {
      if (test.test(blocks.get(i))) {
        return blocks.get(i);
      }
    }
    return null;
  }

  /**
   * The newest block at least {@code finalityDepth} blocks below the head, or the block at which
   * {@link #freezeFinalized()} stopped it.
   */
  public synchronized SimulatedBlock finalized() {
    long number =
        frozenFinalized != null
            ? frozenFinalized
            : Math.max(firstNumber, head().number() - finalityDepth);
    return Objects.requireNonNull(block(number));
  }

  /** Stops the {@code finalized} block where it is while the head goes on (Ethereum, May 2023). */
  public synchronized void freezeFinalized() {
    frozenFinalized = finalized().number();
  }

  /** Lets the {@code finalized} block follow the head again. */
  public synchronized void unfreezeFinalized() {
    frozenFinalized = null;
  }

  /**
   * Replaces the newest {@code depth} blocks with blocks of another branch (other hashes, same
   * numbers) and adds {@code extra} more on top, as a reorganisation of that depth does.
   */
  public synchronized SimulatedBlock reorg(int depth, int extra) {
    if (depth < 1 || depth >= blocks.size()) {
      throw new IllegalArgumentException(
          "depth must be 1 to " + (blocks.size() - 1) + " but was " + depth);
    }
    fork++;
    for (int i = 0; i < depth; i++) {
      blocks.remove(blocks.size() - 1);
    }
    for (int i = 0; i < depth + extra; i++) {
      append(clock.instant().getEpochSecond());
    }
    return head();
  }

  /**
   * Deploys (or updates) a Chainlink L2 sequencer uptime feed at {@code address}: {@code eth_call}
   * of {@code latestRoundData()} (selector {@code 0xfeaf968c}) to it answers roundId, answer (1
   * down, 0 up), startedAt and updatedAt ({@code since}, epoch seconds) and answeredInRound, as
   * https://docs.chain.link/data-feeds/l2-sequencer-feeds describes. Each call is a new round.
   */
  public synchronized void sequencerFeed(String address, boolean down, java.time.Instant since) {
    this.feedAddress = address.toLowerCase(java.util.Locale.ROOT);
    this.feedDown = down;
    this.feedStartedAt = since.getEpochSecond();
    this.feedRound++;
    this.feedRaw = null;
  }

  /**
   * Makes the feed answer {@code raw} (a hex string such as {@code 0x}, or words that are out of
   * range) instead of its status, as a broken or hostile contract would; null undoes it.
   */
  public synchronized void sequencerFeedAnswers(@Nullable String raw) {
    this.feedRaw = raw;
  }

  /**
   * What {@code eth_call} to {@code to} with {@code data} returns: {@code 0x} where no contract.
   */
  synchronized String call(String to, String data) {
    if (feedAddress == null
        || !feedAddress.equals(to.toLowerCase(java.util.Locale.ROOT))
        || !data.toLowerCase(java.util.Locale.ROOT).startsWith("0xfeaf968c")) {
      return "0x";
    }
    if (feedRaw != null) {
      return feedRaw;
    }
    // Phase 1 in the high bits of the round id, as the proxy contract encodes it.
    java.math.BigInteger round =
        java.math.BigInteger.ONE.shiftLeft(64).add(java.math.BigInteger.valueOf(feedRound));
    return "0x"
        + word(round)
        + word(java.math.BigInteger.valueOf(feedDown ? 1 : 0))
        + word(java.math.BigInteger.valueOf(feedStartedAt))
        + word(java.math.BigInteger.valueOf(feedStartedAt))
        + word(round);
  }

  private static String word(java.math.BigInteger value) {
    String hex = value.toString(16);
    return "0".repeat(64 - hex.length()) + hex;
  }

  @Override
  public void close() {
    synchronized (this) {
      cancelProduction();
    }
    producer.shutdownNow();
    for (SimulatedEndpoint endpoint : endpoints) {
      endpoint.close();
    }
  }

  private void cancelProduction() {
    if (production != null) {
      production.cancel(false);
      production = null;
    }
  }

  private synchronized void produceOne() {
    if (head().number() >= stopAfter) {
      cancelProduction();
      return;
    }
    append(clock.instant().getEpochSecond());
    if (head().number() >= stopAfter) {
      cancelProduction();
    }
  }

  private void append(long timestamp) {
    long number = blocks.isEmpty() ? firstNumber : head().number() + 1;
    String parent = blocks.isEmpty() ? hash(number - 1) : head().hash();
    long ts = blocks.isEmpty() ? timestamp : Math.max(timestamp, head().timestamp());
    SimulatedBlock block = new SimulatedBlock(number, hash(number), parent, ts);
    blocks.add(block);
    for (java.util.function.Consumer<SimulatedBlock> listener : blockListeners) {
      listener.accept(block);
    }
  }

  /**
   * Calls {@code listener} with every new block, on the producing thread, e.g. to note when each
   * block really came.
   */
  public void onBlock(java.util.function.Consumer<SimulatedBlock> listener) {
    blockListeners.add(listener);
  }

  private String hash(long number) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String fork = this.fork == 0 ? "" : ":fork" + this.fork;
      byte[] digest = sha.digest((chainId + ":" + number + fork).getBytes(StandardCharsets.UTF_8));
      return "0x" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Settings of a {@link SimulatedChain}. */
  public static final class Builder {
    private long chainId = 31337;
    private long firstBlock = 1;
    private int history = 1;
    private Duration historyInterval = Duration.ofSeconds(1);
    private Clock clock = Clock.systemUTC();
    private int finalityDepth = 0;

    private Builder() {}

    /** The chain id the endpoints report; default 31337. */
    public Builder chainId(long chainId) {
      if (chainId <= 0) {
        throw new IllegalArgumentException("chainId must be positive but was " + chainId);
      }
      this.chainId = chainId;
      return this;
    }

    /** The number of the oldest block; default 1. */
    public Builder firstBlock(long number) {
      if (number < 0) {
        throw new IllegalArgumentException("firstBlock must not be negative but was " + number);
      }
      this.firstBlock = number;
      return this;
    }

    /**
     * How many blocks exist at the start, the newest stamped now and the others {@code interval}
     * apart before it; default one block.
     */
    public Builder history(int blocks, Duration interval) {
      if (blocks < 1) {
        throw new IllegalArgumentException("history must be at least 1 block but was " + blocks);
      }
      this.history = blocks;
      this.historyInterval = interval;
      return this;
    }

    /** The clock that stamps blocks; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How many blocks the {@code finalized} tag trails the head; default 0. */
    public Builder finalityDepth(int depth) {
      if (depth < 0) {
        throw new IllegalArgumentException("finalityDepth must not be negative but was " + depth);
      }
      this.finalityDepth = depth;
      return this;
    }

    /** Creates the chain; it produces nothing until {@link SimulatedChain#produceBlocks}. */
    public SimulatedChain build() {
      return new SimulatedChain(this);
    }
  }
}
