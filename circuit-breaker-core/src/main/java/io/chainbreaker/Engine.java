package io.chainbreaker;

import io.chainbreaker.store.StateStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ChainBreaker} implementation: wires its parts together, starts and stops them, and
 * answers each API call by handing it to the part whose job it is.
 *
 * <pre>
 * EngineThreads ─ the threads and pools, the builder's or its own
 * LiveCatalog   ─ the catalog in force (a {@link Listing}), changed whole by {@link #change}
 *   ├─ CatalogCheck ── whether a catalog may be in force, and what a change makes of it
 *   ├─ Breakers ─────── each token's two breakers and their Resilience4j mirrors
 *   └─ Waiters ──────── the futures of awaitAllowed
 * CatalogSourceSync ─ a catalog source's tokens, at start and every sync interval
 * Overrides ─ operators' overrides and the store's memory; Journal ─ the audit trail
 * Fleet (optional) ─ leads or follows; handed a Fleet.Host, never the engine
 * </pre>
 *
 * <p>Queries read the listing through one volatile field, never lock and never allocate.
 */
final class Engine implements ChainBreaker {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  private final Clock clock;
  private final EngineThreads threads;
  private final CircuitBreakerRegistry registry;
  private final Waiters waiters = new Waiters();
  private final EventPublisher events;
  private final LiveCatalog live;
  private final Overrides overrides;
  private final @Nullable CatalogSourceSync sourceSync;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Duration syncInterval;
  private @Nullable ScheduledFuture<?> watchdogTask;
  private @Nullable ScheduledFuture<?> syncTask;

  /** This instance's part in its fleet, or null when it watches alone. */
  private final @Nullable Fleet fleet;

  Engine(ChainBreaker.Builder b) {
    Catalog code = new Catalog(b.networks, b.tokens);
    CatalogCheck.validate(code);
    this.clock = b.clock;
    StateStore store = b.store;
    this.syncInterval = b.overrideSyncInterval;
    this.registry = b.registry != null ? b.registry : CircuitBreakerRegistry.ofDefaults();
    this.threads = new EngineThreads(b);
    this.events = new EventPublisher(this::releaseWaiters);
    Journal journal = new Journal(store, threads.scheduler);
    MonitorContext context =
        new MonitorContext(
            clock,
            b.ticker,
            threads.scheduler,
            threads.io,
            threads.headSources,
            events,
            new CostBook());
    this.sourceSync =
        b.catalogSource == null
            ? null
            : new CatalogSourceSync(b.catalogSource, b.tokens, syncInterval);
    this.live =
        new LiveCatalog(
            sourceSync == null ? code : sourceSync.withSource(code),
            clock,
            context,
            new Breakers(registry, journal),
            waiters,
            store,
            events,
            this::holdsForStore);
    this.overrides =
        new Overrides(
            store,
            clock,
            events,
            syncInterval,
            new Overrides.Tokens() {
              @Override
              public @Nullable TokenEntry find(String symbol, String network) {
                return live.listing().find(symbol, network);
              }

              @Override
              public List<TokenEntry> all() {
                return live.listing().tokens;
              }
            });
    journal.overrides(overrides);
    // Overrides are in force from the first query, before start().
    overrides.restore();
    FleetConfig fc = b.fleet;
    if (fc == null) {
      this.fleet = null;
    } else {
      Fleet f =
          new Fleet(
              fc,
              clock,
              b.ticker,
              threads.scheduler,
              threads.fleetScheduler(b.fleetScheduler),
              fleetHost(),
              events.fleetListeners());
      this.fleet = f;
      journal.fleet(f); // a fleet's trail is written by its leader, fenced, with its verdicts
      threads.closeFirst(f); // the lease is given up before the threads stop
      events.onTokenTransition(t -> wakeFleet());
      events.onNetworkHealthChange(c -> wakeFleet());
    }
  }

  private void releaseWaiters(TokenTransition t) {
    waiters.release(live.listing(), t);
  }

  private boolean holdsForStore() {
    return overrides.holdsForStore();
  }

  private void wakeFleet() {
    Fleet f = fleet;
    if (f != null && f.leads()) {
      f.wake();
    }
  }

  /** What the fleet may do to this engine. */
  private Fleet.Host fleetHost() {
    return new Fleet.Host() {
      @Override
      public List<TokenEntry> tokens() {
        return live.listing().tokens;
      }

      @Override
      public Collection<NetworkMonitor> monitors() {
        return live.listing().networks.values();
      }

      @Override
      public @Nullable TokenEntry find(String symbol, String network) {
        return live.listing().find(symbol, network);
      }

      @Override
      public @Nullable NetworkMonitor monitor(String network) {
        return live.listing().networks.get(network);
      }

      @Override
      public void startWatching() {
        live.replaceMonitors(true);
      }

      @Override
      public void stopWatching() {
        live.replaceMonitors(false);
      }

      @Override
      public void overridesChanged() {
        try {
          threads.io.execute(overrides::sync);
        } catch (RuntimeException e) {
          log.debug("override sync not scheduled: {}", e.toString());
        }
      }

      @Override
      public void publish(String network, List<TokenTransition> transitions) {
        events.transitions(network, transitions);
      }
    };
  }

  // ---- start and stop ----

  @Override
  public synchronized void start() {
    if (closed.get()) {
      throw new IllegalStateException("this ChainBreaker is closed");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("this ChainBreaker is already started");
    }
    long spread;
    Fleet f = fleet;
    if (f == null) {
      spread = live.startWatching();
    } else {
      // A fleet member watches only once it leads; until then it applies the leader's verdicts.
      spread = LiveCatalog.shortestPoll(List.copyOf(live.listing().networks.values()));
      f.start();
    }
    // The watchdog checks at the shortest poll interval of the networks at start; a network
    // added later with a shorter one is still checked, at most one such interval late.
    ScheduledExecutorService watchdog = threads.watchdog;
    watchdogTask = watchdog.scheduleAtFixedRate(this::watch, spread, spread, TimeUnit.NANOSECONDS);
    long sync = syncInterval.toNanos();
    syncTask =
        threads.scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                threads.io.execute(this::sync);
              } catch (RuntimeException e) {
                log.debug("store sync not scheduled: {}", e.toString());
              }
            },
            sync,
            sync,
            TimeUnit.NANOSECONDS);
    log.info(
        "chain breaker started: {} networks, {} tokens",
        live.listing().networks.size(),
        live.listing().tokens.size());
  }

  /** Runs on the I/O pool every sync interval: the catalog source, then overrides. */
  private void sync() {
    CatalogSourceSync s = sourceSync;
    if (s != null) {
      s.sync(live);
    }
    overrides.sync();
  }

  /** The watchdog, on its own thread: fails closed any network whose monitoring went stale. */
  private void watch() {
    for (NetworkMonitor m : live.listing().networks.values()) {
      try {
        m.checkStale();
      } catch (RuntimeException e) {
        log.error("watchdog check of network {} failed", m.config.name(), e);
      }
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (this) {
      if (watchdogTask != null) {
        watchdogTask.cancel(false);
      }
      if (syncTask != null) {
        syncTask.cancel(false);
      }
    }
    live.close();
    threads.close();
    log.info("chain breaker stopped");
  }

  // ---- the catalog ----

  @Override
  public Catalog catalog() {
    return live.listing().catalog;
  }

  @Override
  public void change(CatalogChange change) {
    Objects.requireNonNull(change, "change");
    if (!change.isEmpty()) {
      live.change(change);
    }
  }

  // ---- queries ----

  private TokenEntry entry(String symbol) {
    return live.listing().entry(symbol);
  }

  private TokenEntry entry(String symbol, String network) {
    return live.listing().entry(symbol, network);
  }

  @Override
  public boolean allowsDeposit(String symbol) {
    return entry(symbol).deposit.allowed();
  }

  @Override
  public boolean allowsDeposit(String symbol, String network) {
    return entry(symbol, network).deposit.allowed();
  }

  @Override
  public boolean allowsWithdrawal(String symbol) {
    return entry(symbol).withdrawal.allowed();
  }

  @Override
  public boolean allowsWithdrawal(String symbol, String network) {
    return entry(symbol, network).withdrawal.allowed();
  }

  @Override
  public boolean allows(String symbol, Direction direction) {
    return entry(symbol).breaker(direction).allowed();
  }

  @Override
  public boolean allows(String symbol, String network, Direction direction) {
    return entry(symbol, network).breaker(direction).allowed();
  }

  @Override
  public void checkDeposit(String symbol) {
    entry(symbol).check(Direction.DEPOSIT);
  }

  @Override
  public void checkWithdrawal(String symbol) {
    entry(symbol).check(Direction.WITHDRAWAL);
  }

  @Override
  public void check(String symbol, Direction direction) {
    entry(symbol).check(direction);
  }

  @Override
  public void check(String symbol, String network, Direction direction) {
    entry(symbol, network).check(direction);
  }

  @Override
  public CompletableFuture<TokenStatus> awaitAllowed(String symbol, Direction direction) {
    return waiters.await(entry(symbol), direction);
  }

  @Override
  public CompletableFuture<TokenStatus> awaitAllowed(
      String symbol, String network, Direction direction) {
    return waiters.await(entry(symbol, network), direction);
  }

  @Override
  public TokenHandle token(String symbol) {
    return entry(symbol);
  }

  @Override
  public TokenHandle token(String symbol, String network) {
    return entry(symbol, network);
  }

  @Override
  public StatusSnapshot snapshot() {
    Listing l = live.listing();
    List<NetworkStatus> ns = new ArrayList<>(l.networks.size());
    for (NetworkMonitor m : l.networks.values()) {
      ns.add(m.status());
    }
    List<TokenStatus> ts = new ArrayList<>(l.tokens.size());
    for (TokenEntry e : l.tokens) {
      ts.add(e.status());
    }
    return new StatusSnapshot(clock.instant(), ns, ts, fleet());
  }

  @Override
  public FleetStatus fleet() {
    Fleet f = fleet;
    return f == null ? FleetStatus.solo() : f.status();
  }

  @Override
  public NetworkStatus network(String name) {
    return live.listing().network(name).status();
  }

  // ---- overrides ----

  @Override
  public BreakerOverride forceSuspend(
      String symbol, Direction direction, String actor, String note, @Nullable Duration ttl) {
    return overrides.force(entry(symbol), direction, BreakerState.SUSPENDED, actor, note, ttl);
  }

  @Override
  public BreakerOverride forceSuspend(
      String symbol,
      String network,
      Direction direction,
      String actor,
      String note,
      @Nullable Duration ttl) {
    return overrides.force(
        entry(symbol, network), direction, BreakerState.SUSPENDED, actor, note, ttl);
  }

  @Override
  public BreakerOverride forceAllow(
      String symbol, Direction direction, String actor, String note, @Nullable Duration ttl) {
    return overrides.force(entry(symbol), direction, BreakerState.ALLOWED, actor, note, ttl);
  }

  @Override
  public BreakerOverride forceAllow(
      String symbol,
      String network,
      Direction direction,
      String actor,
      String note,
      @Nullable Duration ttl) {
    return overrides.force(
        entry(symbol, network), direction, BreakerState.ALLOWED, actor, note, ttl);
  }

  @Override
  public void clearOverride(String symbol, Direction direction, String actor) {
    overrides.clear(entry(symbol), direction, actor);
  }

  @Override
  public void clearOverride(String symbol, String network, Direction direction, String actor) {
    overrides.clear(entry(symbol, network), direction, actor);
  }

  // ---- resilience4j and events ----

  @Override
  public CircuitBreakerRegistry circuitBreakerRegistry() {
    return registry;
  }

  @Override
  public CircuitBreaker circuitBreaker(String symbol, Direction direction) {
    return entry(symbol).breaker(direction).r4j;
  }

  @Override
  public CircuitBreaker circuitBreaker(String symbol, String network, Direction direction) {
    return entry(symbol, network).breaker(direction).r4j;
  }

  @Override
  public Events events() {
    return events;
  }
}
