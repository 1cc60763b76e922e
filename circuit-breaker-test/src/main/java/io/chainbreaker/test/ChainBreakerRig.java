package io.chainbreaker.test;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.TokenConfig;
import io.chainbreaker.chain.RpcUrl;
import io.chainbreaker.store.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * A {@link ChainBreaker} built from your own {@link NetworkConfig}s and {@link TokenConfig}s,
 * running on {@link VirtualTime} over a {@link ScriptedHeadSource} for each of its RPC URLs, so a
 * test of code that asks the engine can make a chain halt, recover or misbehave in a few lines and
 * without sleeping: nothing happens until the test produces blocks or lets time pass. Transitions
 * and health changes are collected in a {@link TransitionQueue}.
 *
 * <pre>{@code
 * try (ChainBreakerRig rig = ChainBreakerRig.builder()
 *     .network(myKlaytnConfig).token("PXL", "klaytn").build().start()) {
 *   rig.produceBlocks(20);
 *   rig.halt(Duration.ofMinutes(5));
 *   assertFalse(rig.breaker().allowsWithdrawal("PXL"));
 * }
 * }</pre>
 *
 * <p>The engine's requests never leave the process: each URL of the configuration is answered by
 * its scripted endpoint. Drive it from the test thread only (see {@link VirtualTime}). {@link
 * ChainBreakerExtension} builds one per test.
 */
public final class ChainBreakerRig implements AutoCloseable {
  private final VirtualTime time;
  private final ScheduledExecutorService monitorScheduler;
  private final Map<String, List<ScriptedHeadSource>> endpointsByNetwork = new LinkedHashMap<>();
  private final List<ScriptedHeadSource> endpoints = new ArrayList<>();
  private final List<NetworkConfig> networks;
  private final ChainBreaker breaker;
  private final TransitionQueue transitions;

  private ChainBreakerRig(Builder b) {
    this.time = VirtualTime.startingAt(b.start);
    this.monitorScheduler = time.newScheduler();
    this.networks = List.copyOf(b.networks);
    Map<String, ScriptedHeadSource> byUrl = new HashMap<>();
    ChainBreaker.Builder engine = ChainBreaker.builder();
    for (NetworkConfig network : networks) {
      List<ScriptedHeadSource> ofNetwork = new ArrayList<>();
      for (RpcUrl url : network.rpcUrls()) {
        ScriptedHeadSource source =
            new ScriptedHeadSource(network.chainId(), b.firstBlock, time.clock());
        // Networks of families without a numeric chain id are verified by their identity.
        if (!network.identity().equals(String.valueOf(network.chainId()))) {
          source.identity(network.identity());
        }
        byUrl.put(network.name() + " " + url.uri(), source);
        ofNetwork.add(source);
      }
      endpointsByNetwork.put(network.name(), List.copyOf(ofNetwork));
      endpoints.addAll(ofNetwork);
    }
    b.engine.forEach(step -> step.accept(engine));
    this.breaker =
        engine
            .clock(time.clock())
            .ticker(time::nanoTime)
            .scheduler(monitorScheduler)
            .watchdogScheduler(time.newScheduler())
            // Probes and store reads run inline so that they too happen in virtual time.
            .ioExecutor(Runnable::run)
            .headSources(
                (settings, url) ->
                    Objects.requireNonNull(
                        byUrl.get(settings.network() + " " + url.uri()),
                        () -> "no scripted endpoint for " + settings.network() + " " + url))
            .build();
    this.transitions = TransitionQueue.listeningTo(breaker);
  }

  /** A builder for a rig; give it at least one network. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the engine and runs each network's first poll, so the first heads have been seen. With
   * one network time does not move; the engine spreads several networks' first polls over the
   * shortest poll interval, so time then moves on in steps of 1 ms until every endpoint was asked.
   */
  public ChainBreakerRig start() {
    breaker.start();
    time.runDue();
    Duration shortestPoll =
        networks.stream().map(NetworkConfig::pollInterval).min(Duration::compareTo).orElseThrow();
    Instant giveUp = time.now().plus(shortestPoll);
    while (endpoints.stream().anyMatch(e -> e.requestCount() == 0) && time.now().isBefore(giveUp)) {
      time.advance(Duration.ofMillis(1));
    }
    return this;
  }

  /** The engine under test. */
  public ChainBreaker breaker() {
    return breaker;
  }

  /** The time the engine runs on. */
  public VirtualTime time() {
    return time;
  }

  /** What the engine has published. */
  public TransitionQueue transitions() {
    return transitions;
  }

  /**
   * The scheduler the engine's monitor runs on: shut it down ({@code shutdownNow()}) to make the
   * monitor's thread die, and see the watchdog fail closed.
   */
  public ScheduledExecutorService monitorScheduler() {
    return monitorScheduler;
  }

  /** Every endpoint of every network, in configuration order. */
  public List<ScriptedHeadSource> endpoints() {
    return List.copyOf(endpoints);
  }

  /** The endpoint serving {@code network}'s {@code index}th RPC URL. */
  public ScriptedHeadSource endpoint(String network, int index) {
    List<ScriptedHeadSource> of = endpointsByNetwork.get(network);
    if (of == null) {
      throw new IllegalArgumentException(
          "no network " + network + " in this rig; it has " + endpointsByNetwork.keySet());
    }
    return of.get(index);
  }

  /** The endpoint serving the {@code index}th RPC URL of the rig's only network. */
  public ScriptedHeadSource endpoint(int index) {
    return endpoint(onlyNetwork("endpoint(network, index)").name(), index);
  }

  /**
   * Produces {@code count} blocks at the block interval of the rig's only network: every endpoint
   * mines one block, then the interval passes; see {@link #produceBlocks(int, Duration)}.
   */
  public void produceBlocks(int count) {
    produceBlocks(count, onlyNetwork("produceBlocks(count, every)").blockInterval());
  }

  /**
   * Produces {@code count} blocks, one every {@code every}: every endpoint mines one block stamped
   * now, then {@code every} passes and the engine's polls and deadlines due meanwhile run. So when
   * it returns, an engine that polls at least once per {@code every} has seen the newest block.
   */
  public void produceBlocks(int count, Duration every) {
    for (int i = 0; i < count; i++) {
      endpoints.forEach(e -> e.mine(1));
      time.advance(every);
    }
  }

  /**
   * Lets {@code duration} pass with no new block on any endpoint: the chain halts for that long,
   * and the engine's polls and deadlines due meanwhile run.
   */
  public void halt(Duration duration) {
    time.advance(duration);
  }

  /** Closes the engine. */
  @Override
  public void close() {
    breaker.close();
  }

  private NetworkConfig onlyNetwork(String instead) {
    if (networks.size() != 1) {
      throw new IllegalStateException(
          "this rig has " + networks.size() + " networks; use " + instead);
    }
    return networks.get(0);
  }

  /** Builds a {@link ChainBreakerRig}; the engine's time, scheduler and endpoints are the rig's. */
  public static final class Builder {
    private final List<NetworkConfig> networks = new ArrayList<>();
    // What the user configures of the engine, replayed on a fresh engine builder for each rig.
    private final List<Consumer<ChainBreaker.Builder>> engine = new ArrayList<>();
    private Instant start = VirtualTime.create().now();
    private long firstBlock = 1_000_000;

    Builder() {}

    /** Adds a network; each of its RPC URLs is answered by a scripted endpoint. */
    public Builder network(NetworkConfig network) {
      networks.add(Objects.requireNonNull(network, "network"));
      engine.add(b -> b.network(network));
      return this;
    }

    /** Adds a token. */
    public Builder token(TokenConfig token) {
      Objects.requireNonNull(token, "token");
      engine.add(b -> b.token(token));
      return this;
    }

    /** Adds a token with no contract address. */
    public Builder token(String symbol, String network) {
      return token(TokenConfig.of(symbol, network));
    }

    /**
     * Where the engine keeps overrides and transitions; default a new in-memory store per rig. A
     * store given here is shared by every rig this builder builds.
     */
    public Builder stateStore(StateStore store) {
      Objects.requireNonNull(store, "stateStore");
      engine.add(b -> b.stateStore(store));
      return this;
    }

    /** When virtual time starts; default {@link VirtualTime#create()}'s 2020-03-29T14:00:00Z. */
    public Builder startingAt(Instant start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    /** The number of every endpoint's latest block at the start; default 1,000,000. */
    public Builder firstBlock(long number) {
      if (number >= 0) {
        this.firstBlock = number;
        return this;
      }
      throw new IllegalArgumentException("firstBlock must not be negative but was " + number);
    }

    /**
     * Builds a rig, not yet started; the engine checks networks and tokens as it builds. Each call
     * builds a new rig with its own time, endpoints and engine.
     */
    public ChainBreakerRig build() {
      return new ChainBreakerRig(this);
    }
  }
}
