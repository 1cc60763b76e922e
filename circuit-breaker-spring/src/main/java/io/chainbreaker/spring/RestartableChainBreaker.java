package io.chainbreaker.spring;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.Catalog;
import io.chainbreaker.CatalogChange;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.FleetStatus;
import io.chainbreaker.NetworkHealthChange;
import io.chainbreaker.NetworkStatus;
import io.chainbreaker.StatusSnapshot;
import io.chainbreaker.TokenHandle;
import io.chainbreaker.TokenStatus;
import io.chainbreaker.TokenTransition;
import io.chainbreaker.UnknownTokenException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The starter's {@link ChainBreaker}: an engine that can be started again after {@link #close()},
 * so the application context's lifecycle can stop and start it. A core engine is single-use (its
 * threads end with {@code close()}); this one builds a fresh engine from the same settings on the
 * first {@link #start()} after a close. The fresh engine reads suspensions and overrides back from
 * the state store, as after a process restart, and is brought to the catalog the old engine had
 * when it stopped (tokens listed at run time stay listed). Listeners registered through {@link
 * #events()} and handles from {@link #token(String)} follow each new engine, so the application
 * events, meters, notifier and guards keep working across a restart.
 */
final class RestartableChainBreaker implements ChainBreaker {

  private final Supplier<ChainBreaker> factory;

  /** Every listener registration, replayed on each fresh engine. */
  private final List<Consumer<Events>> registrations = new CopyOnWriteArrayList<>();

  private final Events events =
      new Events() {
        @Override
        public Events onTokenTransition(Consumer<? super TokenTransition> listener) {
          return register(e -> e.onTokenTransition(listener));
        }

        @Override
        public Events onNetworkHealthChange(Consumer<? super NetworkHealthChange> listener) {
          return register(e -> e.onNetworkHealthChange(listener));
        }

        @Override
        public Events onCatalogChange(Consumer<? super CatalogChange> listener) {
          return register(e -> e.onCatalogChange(listener));
        }

        @Override
        public Events onFleetChange(Consumer<? super FleetStatus> listener) {
          return register(e -> e.onFleetChange(listener));
        }

        private Events register(Consumer<Events> registration) {
          synchronized (RestartableChainBreaker.this) {
            registrations.add(registration);
            registration.accept(engine.events());
          }
          return this;
        }
      };

  /** The catalog change that brings a fresh engine back to the catalog it had at the stop. */
  static final String RESTART_ACTOR = "chain-breaker-restart";

  /** The engine answering now; replaced (never null) by the first start after a close. */
  private volatile ChainBreaker engine;

  private boolean closed;

  /** Builds the first engine from {@code factory} at once, so bad settings fail the context. */
  RestartableChainBreaker(Supplier<ChainBreaker> factory) {
    this.factory = factory;
    this.engine = factory.get();
  }

  /** Starts watching; after a {@link #close()}, on a freshly built engine. */
  @Override
  public synchronized void start() {
    if (closed) {
      Catalog before = engine.catalog();
      ChainBreaker fresh = factory.get();
      // no-op (and not audited) unless the catalog changed at run time before the stop
      fresh.change(fresh.catalog().changeTo(before, RESTART_ACTOR));
      registrations.forEach(r -> r.accept(fresh.events()));
      engine = fresh;
      closed = false;
    }
    engine.start();
  }

  /** Stops watching and releases the engine's threads; {@link #start()} may follow. */
  @Override
  public synchronized void close() {
    engine.close();
    closed = true;
  }

  @Override
  public boolean allowsDeposit(String symbol) {
    return engine.allowsDeposit(symbol);
  }

  @Override
  public boolean allowsDeposit(String symbol, String network) {
    return engine.allowsDeposit(symbol, network);
  }

  @Override
  public boolean allowsWithdrawal(String symbol) {
    return engine.allowsWithdrawal(symbol);
  }

  @Override
  public boolean allowsWithdrawal(String symbol, String network) {
    return engine.allowsWithdrawal(symbol, network);
  }

  @Override
  public boolean allows(String symbol, Direction direction) {
    return engine.allows(symbol, direction);
  }

  @Override
  public boolean allows(String symbol, String network, Direction direction) {
    return engine.allows(symbol, network, direction);
  }

  @Override
  public void checkDeposit(String symbol) {
    engine.checkDeposit(symbol);
  }

  @Override
  public void checkWithdrawal(String symbol) {
    engine.checkWithdrawal(symbol);
  }

  @Override
  public void check(String symbol, Direction direction) {
    engine.check(symbol, direction);
  }

  @Override
  public void check(String symbol, String network, Direction direction) {
    engine.check(symbol, network, direction);
  }

  @Override
  public CompletableFuture<TokenStatus> awaitAllowed(String symbol, Direction direction) {
    return engine.awaitAllowed(symbol, direction);
  }

  @Override
  public CompletableFuture<TokenStatus> awaitAllowed(
      String symbol, String network, Direction direction) {
    return engine.awaitAllowed(symbol, network, direction);
  }

  @Override
  public TokenHandle token(String symbol) {
    return new Handle(engine, engine.token(symbol));
  }

  @Override
  public TokenHandle token(String symbol, String network) {
    return new Handle(engine, engine.token(symbol, network));
  }

  @Override
  public Catalog catalog() {
    return engine.catalog();
  }

  @Override
  public void change(CatalogChange change) {
    engine.change(change);
  }

  @Override
  public StatusSnapshot snapshot() {
    return engine.snapshot();
  }

  @Override
  public FleetStatus fleet() {
    return engine.fleet();
  }

  @Override
  public NetworkStatus network(String name) {
    return engine.network(name);
  }

  @Override
  public Events events() {
    return events;
  }

  @Override
  public BreakerOverride forceSuspend(
      String symbol, Direction direction, String actor, String note, @Nullable Duration ttl) {
    return engine.forceSuspend(symbol, direction, actor, note, ttl);
  }

  @Override
  public BreakerOverride forceSuspend(
      String symbol,
      String network,
      Direction direction,
      String actor,
      String note,
      @Nullable Duration ttl) {
    return engine.forceSuspend(symbol, network, direction, actor, note, ttl);
  }

  @Override
  public BreakerOverride forceAllow(
      String symbol, Direction direction, String actor, String note, @Nullable Duration ttl) {
    return engine.forceAllow(symbol, direction, actor, note, ttl);
  }

  @Override
  public BreakerOverride forceAllow(
      String symbol,
      String network,
      Direction direction,
      String actor,
      String note,
      @Nullable Duration ttl) {
    return engine.forceAllow(symbol, network, direction, actor, note, ttl);
  }

  @Override
  public void clearOverride(String symbol, Direction direction, String actor) {
    engine.clearOverride(symbol, direction, actor);
  }

  @Override
  public void clearOverride(String symbol, String network, Direction direction, String actor) {
    engine.clearOverride(symbol, network, direction, actor);
  }

  @Override
  public CircuitBreakerRegistry circuitBreakerRegistry() {
    return engine.circuitBreakerRegistry();
  }

  @Override
  public CircuitBreaker circuitBreaker(String symbol, Direction direction) {
    return engine.circuitBreaker(symbol, direction);
  }

  @Override
  public CircuitBreaker circuitBreaker(String symbol, String network, Direction direction) {
    return engine.circuitBreaker(symbol, network, direction);
  }

  /** The engine's handle, re-fetched once after each restart: two volatile reads, no allocation. */
  private final class Handle implements TokenHandle {

    private final String symbol;
    private final String network;
    private volatile Bound bound;

    Handle(ChainBreaker first, TokenHandle handle) {
      this.symbol = handle.symbol();
      this.network = handle.network();
      this.bound = new Bound(first, handle);
    }

    private TokenHandle current() {
      Bound b = bound;
      ChainBreaker now = engine;
      if (b.engine != now) {
        TokenHandle next;
        try {
          next = now.token(symbol, network);
        } catch (UnknownTokenException e) {
          // delisted before the restart: the old handle answers "not allowed", as a handle of a
          // removed token does
          next = b.handle;
        }
        b = new Bound(now, next);
        bound = b;
      }
      return b.handle;
    }

    @Override
    public String symbol() {
      return symbol;
    }

    @Override
    public String network() {
      return network;
    }

    @Override
    public boolean allowsDeposit() {
      return current().allowsDeposit();
    }

    @Override
    public boolean allowsWithdrawal() {
      return current().allowsWithdrawal();
    }

    @Override
    public boolean allows(Direction direction) {
      return current().allows(direction);
    }

    @Override
    public void checkDeposit() {
      current().checkDeposit();
    }

    @Override
    public void checkWithdrawal() {
      current().checkWithdrawal();
    }

    @Override
    public void check(Direction direction) {
      current().check(direction);
    }

    @Override
    public TokenStatus status() {
      return current().status();
    }
  }

  private record Bound(ChainBreaker engine, TokenHandle handle) {}
}
