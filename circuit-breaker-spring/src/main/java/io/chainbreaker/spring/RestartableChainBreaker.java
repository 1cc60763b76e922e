package io.chainbreaker.spring;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkHealthChange;
import io.chainbreaker.NetworkStatus;
import io.chainbreaker.StatusSnapshot;
import io.chainbreaker.TokenHandle;
import io.chainbreaker.TokenStatus;
import io.chainbreaker.TokenTransition;
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
 * so the application context's lifecycle can stop and start it. A core engine is single-use
 * (its threads end with {@code close()}); this one builds a fresh engine from the same settings on
 * the first {@link #start()} after a close. The fresh engine reads suspensions and overrides back
 * from the state store, as after a process restart. Listeners registered through
 * {@link #events()} and handles from {@link #token(String)} follow each new engine, so the
 * application events, meters, notifier and guards keep working across a restart.
 */
final class RestartableChainBreaker implements ChainBreaker {

  private final Supplier<ChainBreaker> factory;
  private final List<Consumer<? super TokenTransition>> transitionListeners =
      new CopyOnWriteArrayList<>();
  private final List<Consumer<? super NetworkHealthChange>> healthListeners =
      new CopyOnWriteArrayList<>();
  private final Events events = new Events() {
    @Override
    public Events onTokenTransition(Consumer<? super TokenTransition> listener) {
      synchronized (RestartableChainBreaker.this) {
        transitionListeners.add(listener);
        engine.events().onTokenTransition(listener);
      }
      return this;
    }

    @Override
    public Events onNetworkHealthChange(Consumer<? super NetworkHealthChange> listener) {
      synchronized (RestartableChainBreaker.this) {
        healthListeners.add(listener);
        engine.events().onNetworkHealthChange(listener);
      }
      return this;
    }
  };

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
      ChainBreaker fresh = factory.get();
      transitionListeners.forEach(fresh.events()::onTokenTransition);
      healthListeners.forEach(fresh.events()::onNetworkHealthChange);
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
  public boolean allowsDeposit(String token) {
    return engine.allowsDeposit(token);
  }

  @Override
  public boolean allowsWithdrawal(String token) {
    return engine.allowsWithdrawal(token);
  }

  @Override
  public boolean allows(String token, Direction direction) {
    return engine.allows(token, direction);
  }

  @Override
  public void checkDeposit(String token) {
    engine.checkDeposit(token);
  }

  @Override
  public void checkWithdrawal(String token) {
    engine.checkWithdrawal(token);
  }

  @Override
  public void check(String token, Direction direction) {
    engine.check(token, direction);
  }

  @Override
  public CompletableFuture<TokenStatus> awaitAllowed(String token, Direction direction) {
    return engine.awaitAllowed(token, direction);
  }

  @Override
  public TokenHandle token(String symbol) {
    return new Handle(symbol, engine);
  }

  @Override
  public StatusSnapshot snapshot() {
    return engine.snapshot();
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
  public BreakerOverride forceSuspend(String token, Direction direction, String actor,
      String reason, @Nullable Duration ttl) {
    return engine.forceSuspend(token, direction, actor, reason, ttl);
  }

  @Override
  public BreakerOverride forceAllow(String token, Direction direction, String actor,
      String reason, @Nullable Duration ttl) {
    return engine.forceAllow(token, direction, actor, reason, ttl);
  }

  @Override
  public void clearOverride(String token, Direction direction, String actor) {
    engine.clearOverride(token, direction, actor);
  }

  @Override
  public CircuitBreakerRegistry circuitBreakerRegistry() {
    return engine.circuitBreakerRegistry();
  }

  @Override
  public CircuitBreaker circuitBreaker(String token, Direction direction) {
    return engine.circuitBreaker(token, direction);
  }

  /** The engine's handle, re-fetched once after each restart: two volatile reads, no allocation. */
  private final class Handle implements TokenHandle {

    private final String symbol;
    private final String network;
    private volatile Bound bound;

    Handle(String symbol, ChainBreaker first) {
      TokenHandle handle = first.token(symbol); // an unknown symbol throws here, as the engine does
      this.symbol = handle.symbol();
      this.network = handle.network();
      this.bound = new Bound(first, handle);
    }

    private TokenHandle current() {
      Bound b = bound;
      ChainBreaker now = engine;
      if (b.engine != now) {
        b = new Bound(now, now.token(symbol));
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
