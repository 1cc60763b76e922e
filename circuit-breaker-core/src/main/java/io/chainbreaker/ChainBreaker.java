package io.chainbreaker;

import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.store.CatalogSource;
import io.chainbreaker.store.InMemoryStateStore;
import io.chainbreaker.store.StateStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Watches the head of every configured network and suspends deposits and withdrawals of every token
 * on a network that has halted, become unreachable, or whose monitor went stale; resumes them by
 * each direction's {@link RecoveryRule} once the chain is healthy again.
 *
 * <pre>{@code
 * ChainBreaker breaker = ChainBreaker.builder()
 *     .network(NetworkConfig.builder("klaytn").chainId(8217)
 *         .rpcUrls("https://public-en.node.kaia.io")
 *         .blockInterval(Duration.ofSeconds(1)).build())
 *     .token("PXL", "klaytn")
 *     .build();
 * breaker.start();
 * if (breaker.allowsWithdrawal("PXL")) { ... }            // PXL is on one network
 * if (breaker.allowsWithdrawal("USDT", "tron")) { ... }   // USDT is on several
 * TokenId usdtOnTron = TokenId.parse("USDT@tron");         // or TokenId.of("USDT", "tron")
 * if (breaker.allowsWithdrawal(usdtOnTron)) { ... }
 * }</pre>
 *
 * <p>Every query method is thread-safe, lock-free and allocation-free; an unknown symbol throws
 * {@link UnknownTokenException}, never answers "allowed". Until the first head has been seen from a
 * verified endpoint every token is {@link BreakerState#SUSPENDED} with reason {@link
 * Reason#STARTING}.
 */
public interface ChainBreaker extends AutoCloseable {

  /** A builder for an engine. */
  static Builder builder() {
    return new Builder();
  }

  /** Starts watching; returns at once. Calling it twice is an error. */
  void start();

  /** Stops watching and releases threads and connections it created. Idempotent. */
  @Override
  void close();

  /**
   * Whether deposits of {@code symbol} are allowed now. The symbol must be listed on one network
   * only; one listed on several throws {@link AmbiguousTokenException} naming them.
   */
  boolean allowsDeposit(String symbol);

  /** Whether deposits of {@code symbol} on {@code network} are allowed now. */
  boolean allowsDeposit(String symbol, String network);

  /** Whether deposits of {@code token} are allowed now. */
  default boolean allowsDeposit(TokenId token) {
    return allowsDeposit(token.symbol(), token.network());
  }

  /** Whether withdrawals of {@code symbol} (listed on one network) are allowed now. */
  boolean allowsWithdrawal(String symbol);

  /** Whether withdrawals of {@code symbol} on {@code network} are allowed now. */
  boolean allowsWithdrawal(String symbol, String network);

  /** Whether withdrawals of {@code token} are allowed now. */
  default boolean allowsWithdrawal(TokenId token) {
    return allowsWithdrawal(token.symbol(), token.network());
  }

  /** Whether {@code direction} of {@code symbol} (listed on one network) is allowed now. */
  boolean allows(String symbol, Direction direction);

  /** Whether {@code direction} of {@code symbol} on {@code network} is allowed now. */
  boolean allows(String symbol, String network, Direction direction);

  /** Whether {@code direction} of {@code token} is allowed now. */
  default boolean allows(TokenId token, Direction direction) {
    return allows(token.symbol(), token.network(), direction);
  }

  /**
   * Returns if deposits of {@code symbol} (listed on one network) are allowed, else throws {@link
   * TokenSuspendedException}.
   */
  void checkDeposit(String symbol);

  /**
   * Returns if withdrawals of {@code symbol} (listed on one network) are allowed, else throws
   * {@link TokenSuspendedException}.
   */
  void checkWithdrawal(String symbol);

  /**
   * Returns if deposits of {@code token} are allowed, else throws {@link TokenSuspendedException}.
   */
  default void checkDeposit(TokenId token) {
    check(token.symbol(), token.network(), Direction.DEPOSIT);
  }

  /**
   * Returns if withdrawals of {@code token} are allowed, else throws {@link
   * TokenSuspendedException}.
   */
  default void checkWithdrawal(TokenId token) {
    check(token.symbol(), token.network(), Direction.WITHDRAWAL);
  }

  /** Returns if {@code direction} is allowed, else throws {@link TokenSuspendedException}. */
  void check(String symbol, Direction direction);

  /** Returns if {@code direction} is allowed, else throws {@link TokenSuspendedException}. */
  void check(String symbol, String network, Direction direction);

  /** Returns if {@code direction} is allowed, else throws {@link TokenSuspendedException}. */
  default void check(TokenId token, Direction direction) {
    check(token.symbol(), token.network(), direction);
  }

  /**
   * A future that completes with the token's status as soon as {@code direction} is allowed (at
   * once if it is now), so a withdrawal queue can hold work and re-drive it on resume instead of
   * failing it. It completes on the engine's monitor thread: continue with an {@code ...Async}
   * stage for anything slow. Cancelling it is fine. If the token is removed from the catalog first,
   * it completes exceptionally with {@link UnknownTokenException}.
   */
  CompletableFuture<TokenStatus> awaitAllowed(String symbol, Direction direction);

  /** {@link #awaitAllowed(String, Direction)} for {@code symbol} on {@code network}. */
  CompletableFuture<TokenStatus> awaitAllowed(String symbol, String network, Direction direction);

  /** {@link #awaitAllowed(String, Direction)} for {@code token}. */
  default CompletableFuture<TokenStatus> awaitAllowed(TokenId token, Direction direction) {
    return awaitAllowed(token.symbol(), token.network(), direction);
  }

  /**
   * The handle of {@code symbol} (listed on one network), to hold for the hot path. A handle of a
   * token later removed from the catalog answers "not allowed".
   */
  TokenHandle token(String symbol);

  /** The handle of {@code symbol} on {@code network}. */
  TokenHandle token(String symbol, String network);

  /** The handle of {@code token}. */
  default TokenHandle token(TokenId token) {
    return token(token.symbol(), token.network());
  }

  /** The networks and tokens watched now. */
  Catalog catalog();

  /**
   * Applies {@code change} to the running engine, whole or not at all. It is checked first as the
   * builder checks a new engine (unique names, every token on a known network, no network removed
   * while a token stays on it); a bad change throws {@link IllegalArgumentException} naming what is
   * wrong and changes nothing. Then: an added network starts being watched; a replaced network
   * keeps its head, health and every breaker's state while its endpoints and rules change; a token
   * added to a healthy network is allowed at once; a removed token's queries throw {@link
   * UnknownTokenException}. No other network or token sees a transition. Audited in the state store
   * with the change's actor. Changes are applied one at a time; queries never wait.
   */
  void change(CatalogChange change);

  /** An immutable picture of every network and token now. */
  StatusSnapshot snapshot();

  /**
   * This instance's place in its fleet: {@link FleetStatus.Role#SOLO} unless built with {@link
   * Builder#fleet(FleetConfig)}; else who leads, the epoch, and how old each network's verdict is.
   */
  FleetStatus fleet();

  /** The current status of the network named {@code name}; throws if there is none. */
  NetworkStatus network(String name);

  /** Where to register listeners. */
  Events events();

  /**
   * Forces {@code direction} of {@code symbol} (listed on one network) to SUSPENDED until cleared
   * or until {@code ttl} has passed (null: no expiry). Outranks the automatic state; kept in the
   * state store.
   *
   * @param note why, in the operator's words
   * @throws IllegalArgumentException if actor, note or ttl break {@link BreakerOverride#validate}
   *     (too long, control characters, ttl over 365 days); nothing is then stored or changed
   */
  BreakerOverride forceSuspend(
      String symbol, Direction direction, String actor, String note, @Nullable Duration ttl);

  /** {@link #forceSuspend(String, Direction, String, String, Duration)} on {@code network}. */
  BreakerOverride forceSuspend(
      String symbol,
      String network,
      Direction direction,
      String actor,
      String note,
      @Nullable Duration ttl);

  /** {@link #forceSuspend(String, Direction, String, String, Duration)} of {@code token}. */
  default BreakerOverride forceSuspend(
      TokenId token, Direction direction, String actor, String note, @Nullable Duration ttl) {
    return forceSuspend(token.symbol(), token.network(), direction, actor, note, ttl);
  }

  /**
   * Forces {@code direction} of {@code symbol} (listed on one network) to ALLOWED until cleared or
   * until {@code ttl} has passed (null: no expiry), even while its network is halted.
   *
   * @throws IllegalArgumentException as {@link #forceSuspend}
   */
  BreakerOverride forceAllow(
      String symbol, Direction direction, String actor, String note, @Nullable Duration ttl);

  /** {@link #forceAllow(String, Direction, String, String, Duration)} on {@code network}. */
  BreakerOverride forceAllow(
      String symbol,
      String network,
      Direction direction,
      String actor,
      String note,
      @Nullable Duration ttl);

  /** {@link #forceAllow(String, Direction, String, String, Duration)} of {@code token}. */
  default BreakerOverride forceAllow(
      TokenId token, Direction direction, String actor, String note, @Nullable Duration ttl) {
    return forceAllow(token.symbol(), token.network(), direction, actor, note, ttl);
  }

  /**
   * Removes the override of {@code direction} of {@code symbol} (listed on one network); the
   * automatic state applies again.
   *
   * @throws IllegalArgumentException if the actor breaks {@link BreakerOverride#validate}
   */
  void clearOverride(String symbol, Direction direction, String actor);

  /** {@link #clearOverride(String, Direction, String)} on {@code network}. */
  void clearOverride(String symbol, String network, Direction direction, String actor);

  /** {@link #clearOverride(String, Direction, String)} of {@code token}. */
  default void clearOverride(TokenId token, Direction direction, String actor) {
    clearOverride(token.symbol(), token.network(), direction, actor);
  }

  /**
   * The Resilience4j registry holding one breaker per token and direction, named {@code
   * <SYMBOL>@<network>.deposit} and {@code <SYMBOL>@<network>.withdrawal} (e.g. {@code
   * USDT@tron.withdrawal}): CLOSED while allowed, FORCED_OPEN while not, so decorated calls throw
   * {@code CallNotPermittedException} on a suspended token.
   */
  CircuitBreakerRegistry circuitBreakerRegistry();

  /** The Resilience4j breaker of {@code symbol} (listed on one network) in {@code direction}. */
  CircuitBreaker circuitBreaker(String symbol, Direction direction);

  /** The Resilience4j breaker of {@code symbol} on {@code network} in {@code direction}. */
  CircuitBreaker circuitBreaker(String symbol, String network, Direction direction);

  /** The Resilience4j breaker of {@code token} in {@code direction}. */
  default CircuitBreaker circuitBreaker(TokenId token, Direction direction) {
    return circuitBreaker(token.symbol(), token.network(), direction);
  }

  /**
   * Typed listener registration. Listeners run on the engine's monitor (or watchdog) thread, so
   * they must be quick; an exception they throw is logged at WARN and never reaches the monitor.
   */
  interface Events {
    /** Called for each token transition, after it took effect. */
    Events onTokenTransition(Consumer<? super TokenTransition> listener);

    /** Called for each network health change. */
    Events onNetworkHealthChange(Consumer<? super NetworkHealthChange> listener);

    /**
     * Called for each change applied to the catalog ({@link #change}, a catalog source), after
     * queries see it: what a metrics binder or a dashboard needs to follow listings.
     */
    Events onCatalogChange(Consumer<? super CatalogChange> listener);

    /**
     * Called when this instance's place in its fleet changes (it starts or stops leading, another
     * instance leads): what a notifier needs to deliver only from the leader.
     */
    Events onFleetChange(Consumer<? super FleetStatus> listener);
  }

  /**
   * Builds a {@link ChainBreaker}. Networks and tokens are required; everything else has a default,
   * and every time source and thread pool can be injected (tests pass virtual time).
   */
  final class Builder {
    final List<NetworkConfig> networks = new ArrayList<>();
    final List<TokenConfig> tokens = new ArrayList<>();
    StateStore store = new InMemoryStateStore();
    @Nullable CircuitBreakerRegistry registry;
    Clock clock = Clock.systemUTC();
    Ticker ticker = Ticker.system();
    @Nullable ScheduledExecutorService scheduler;
    @Nullable ScheduledExecutorService watchdogScheduler;
    @Nullable Executor ioExecutor;
    HeadSource.@Nullable Factory headSources;
    @Nullable CatalogSource catalogSource;
    Duration overrideSyncInterval = Duration.ofSeconds(1);
    @Nullable FleetConfig fleet;
    @Nullable ScheduledExecutorService fleetScheduler;

    Builder() {}

    /** Adds a network. */
    public Builder network(NetworkConfig network) {
      networks.add(Objects.requireNonNull(network, "network"));
      return this;
    }

    /** Adds a token. */
    public Builder token(TokenConfig token) {
      tokens.add(Objects.requireNonNull(token, "token"));
      return this;
    }

    /** Adds a token with no contract address. */
    public Builder token(String symbol, String network) {
      return token(TokenConfig.of(symbol, network));
    }

    /** Adds a token with no contract address. */
    public Builder token(TokenId token) {
      return token(TokenConfig.of(token));
    }

    /** Where overrides and transitions are kept; default an {@link InMemoryStateStore}. */
    public Builder stateStore(StateStore store) {
      this.store = Objects.requireNonNull(store, "stateStore");
      return this;
    }

    /** The Resilience4j registry to create the token breakers in; default a new one. */
    public Builder circuitBreakerRegistry(CircuitBreakerRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "circuitBreakerRegistry");
      return this;
    }

    /** The wall clock (block timestamps, {@code since} instants); default system UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The monotonic time source for deadlines; default {@link System#nanoTime()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * The scheduler that runs polls, evaluations and deadlines; default one daemon thread owned by
     * the engine. A supplied one is not shut down by {@link ChainBreaker#close()}.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The scheduler of the watchdog that fails closed when monitoring stops; default one daemon
     * thread owned by the engine. It must not be the monitor's scheduler.
     */
    public Builder watchdogScheduler(ScheduledExecutorService watchdog) {
      this.watchdogScheduler = Objects.requireNonNull(watchdog, "watchdogScheduler");
      return this;
    }

    /**
     * The executor that runs what may block: liveness probes and state store reads; default a fixed
     * pool of 2 daemon threads owned by the engine. RPC requests never run here: they do not block
     * a thread (see {@link HeadSource}).
     */
    public Builder ioExecutor(Executor executor) {
      this.ioExecutor = Objects.requireNonNull(executor, "ioExecutor");
      return this;
    }

    /**
     * How often overrides are read back from the state store, so that one made on another instance
     * sharing the store applies here too; default 1 s.
     */
    public Builder overrideSyncInterval(Duration interval) {
      Objects.requireNonNull(interval, "overrideSyncInterval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException(
            "overrideSyncInterval must be positive but was " + interval);
      }
      this.overrideSyncInterval = interval;
      return this;
    }

    /**
     * Where more tokens are listed, read at start and then every {@link #overrideSyncInterval}
     * (typically a {@link io.chainbreaker.store.JdbcCatalog} shared by every instance); what
     * changed there is applied as one {@link CatalogChange}. Default none.
     */
    public Builder catalogSource(CatalogSource source) {
      this.catalogSource = Objects.requireNonNull(source, "catalogSource");
      return this;
    }

    /**
     * Makes this engine one member of a fleet: the instances of one service on one {@link
     * io.chainbreaker.store.FleetStore} behave as one watcher. One leads (watches every network,
     * publishes verdicts), the others follow (watch no provider, apply the leader's verdicts); see
     * {@link FleetConfig} for the bounds. Default none: this engine watches alone.
     */
    public Builder fleet(FleetConfig fleet) {
      this.fleet = Objects.requireNonNull(fleet, "fleet");
      return this;
    }

    /**
     * A fleet on PostgreSQL through {@code dataSource} with every default: {@code
     * fleet(FleetConfig.of(dataSource))}.
     */
    public Builder fleet(javax.sql.DataSource dataSource) {
      return fleet(FleetConfig.of(dataSource));
    }

    /**
     * The thread the fleet's store calls run on (they may block); default one daemon thread owned
     * by the engine. Tests pass virtual time's scheduler.
     */
    public Builder fleetScheduler(ScheduledExecutorService scheduler) {
      this.fleetScheduler = Objects.requireNonNull(scheduler, "fleetScheduler");
      return this;
    }

    /** How endpoints are spoken to; default web3j over HTTP. */
    public Builder headSources(HeadSource.Factory factory) {
      this.headSources = Objects.requireNonNull(factory, "headSources");
      return this;
    }

    /**
     * Builds the engine, checking that there is at least one network, that network names and
     * (symbol, network) pairs are unique and that every token names a configured network.
     */
    public ChainBreaker build() {
      return new Engine(this);
    }
  }
}
