package io.chainbreaker;

import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.RpcUrl;
import io.chainbreaker.chain.Web3jHeadSources;
import io.chainbreaker.store.CatalogSource;
import io.chainbreaker.store.StateStore;
import io.chainbreaker.store.StateStoreFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ChainBreaker} implementation: the catalog in force (networks, their monitors and every
 * token's breakers), its changes, and the queries. Overrides live in {@link Overrides}, publishing
 * in {@link EventPublisher}, each network's watching in its {@link NetworkMonitor}.
 *
 * <p>The catalog in force is one immutable {@link Listing}, read through one volatile field and
 * replaced whole by each {@link #change}: queries never lock and never see half a change.
 */
final class Engine implements ChainBreaker {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);
  private static final String SOURCE_ACTOR = "catalog source";

  private final Clock clock;
  private final Ticker ticker;
  private final ScheduledExecutorService scheduler;
  private final Executor io;
  private final HeadSource.Factory headSources;
  private final ScheduledExecutorService watchdog;
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final StateStore store;
  private final CircuitBreakerRegistry registry;
  private final CircuitBreakerConfig mirror = mirrorConfig();
  private final EventPublisher events = new EventPublisher(this::releaseWaiters);
  private final MonitorContext context;
  private final Overrides overrides;
  private final @Nullable CatalogSource catalogSource;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Duration syncInterval;
  private @Nullable ScheduledFuture<?> watchdogTask;
  private @Nullable ScheduledFuture<?> syncTask;
  private final Map<DirectionBreaker, List<CompletableFuture<TokenStatus>>> waiters =
      new ConcurrentHashMap<>();

  /** Catalog changes are applied one at a time under this lock; queries never take it. */
  private final Object changeLock = new Object();

  private volatile Listing listing;

  /** This instance's part in its fleet, or null when it watches alone. */
  private final @Nullable Fleet fleet;

  /** Whether the monitors watch now: after start() alone, or while this fleet member leads. */
  private volatile boolean watching;

  /** Keys of the tokens the catalog source listed, so that only those are delisted with it. */
  private Set<TokenId> sourced = Set.of();

  /** Keys of the tokens given to the builder: the catalog source never takes them over. */
  private final Set<TokenId> coded;

  private final Set<String> sourceProblems = ConcurrentHashMap.newKeySet();

  Engine(ChainBreaker.Builder b) {
    validate(new Catalog(b.networks, b.tokens));
    this.clock = b.clock;
    this.ticker = b.ticker;
    this.store = b.store;
    this.syncInterval = b.overrideSyncInterval;
    this.catalogSource = b.catalogSource;
    Set<TokenId> codedKeys = new HashSet<>();
    b.tokens.forEach(t -> codedKeys.add(t.tokenId()));
    this.coded = Set.copyOf(codedKeys);
    this.registry = b.registry != null ? b.registry : CircuitBreakerRegistry.ofDefaults();
    this.scheduler = b.scheduler != null ? b.scheduler : own(monitorScheduler());
    this.watchdog =
        b.watchdogScheduler != null
            ? b.watchdogScheduler
            : own(Executors.newSingleThreadScheduledExecutor(daemon("chain-breaker-watchdog")));
    // Requests to nodes never block a thread (see HeadSource); this pool only runs what does:
    // liveness probes and store reads, none of which decides how fresh a head is.
    this.io =
        b.ioExecutor != null
            ? b.ioExecutor
            : own(Executors.newFixedThreadPool(2, daemon("chain-breaker-io")));
    HeadSource.Factory sources = b.headSources;
    if (sources == null) {
      Web3jHeadSources web3j = new Web3jHeadSources();
      owned.add(web3j);
      sources = web3j;
    }
    this.headSources = sources;
    this.context =
        new MonitorContext(clock, ticker, scheduler, io, sources, events, new CostBook());
    Catalog initial = withSource(new Catalog(b.networks, b.tokens));
    Instant now = clock.instant();
    Map<String, NetworkMonitor> monitors = new LinkedHashMap<>();
    for (NetworkConfig n : initial.networks()) {
      monitors.put(n.name(), new NetworkMonitor(n, openEndpoints(n, null), context));
    }
    List<TokenEntry> entries = new ArrayList<>();
    for (TokenConfig t : initial.tokens()) {
      TokenEntry e =
          newEntry(
              t,
              Objects.requireNonNull(
                  monitors.get(t.network()), "every token is on a listed network"),
              now);
      e.monitor.breakers.add(e.deposit);
      e.monitor.breakers.add(e.withdrawal);
      entries.add(e);
    }
    this.listing = new Listing(initial, monitors, entries);
    this.overrides =
        new Overrides(
            store,
            clock,
            events,
            syncInterval,
            new Overrides.Tokens() {
              @Override
              public @Nullable TokenEntry find(String symbol, String network) {
                return listing.find(symbol, network);
              }

              @Override
              public List<TokenEntry> all() {
                return listing.tokens;
              }
            });
    // Overrides are in force from the first query, before start().
    overrides.restore();
    FleetConfig fc = b.fleet;
    if (fc == null) {
      this.fleet = null;
    } else {
      ScheduledExecutorService fleetIo =
          b.fleetScheduler != null
              ? b.fleetScheduler
              : own(Executors.newSingleThreadScheduledExecutor(daemon("chain-breaker-fleet")));
      this.fleet =
          new Fleet(fc, clock, ticker, scheduler, fleetIo, fleetHost(), events.fleetListeners());
      owned.add(0, fleet); // closed first: the lease is given up before the threads stop
      events.onTokenTransition(t -> wakeFleet());
      events.onNetworkHealthChange(c -> wakeFleet());
    }
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
        return listing.tokens;
      }

      @Override
      public java.util.Collection<NetworkMonitor> monitors() {
        return listing.networks.values();
      }

      @Override
      public @Nullable TokenEntry find(String symbol, String network) {
        return listing.find(symbol, network);
      }

      @Override
      public @Nullable NetworkMonitor monitor(String network) {
        return listing.networks.get(network);
      }

      @Override
      public void startWatching() {
        replaceMonitors(true);
      }

      @Override
      public void stopWatching() {
        replaceMonitors(false);
      }

      @Override
      public void overridesChanged() {
        try {
          io.execute(overrides::sync);
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

  /**
   * Replaces every network's monitor by a fresh one over freshly opened endpoints (the breakers
   * kept, with their state), started or not: a fleet member that starts leading watches from a view
   * of its own, and one that stops leading sends no request to any provider.
   */
  private void replaceMonitors(boolean start) {
    synchronized (changeLock) {
      if (closed.get() || watching == start) {
        return;
      }
      watching = start;
      Listing old = listing;
      Map<String, NetworkMonitor> fresh = new LinkedHashMap<>();
      for (NetworkMonitor m : old.networks.values()) {
        m.stop();
        NetworkMonitor n = new NetworkMonitor(m.config, openEndpoints(m.config, null), context);
        n.show(m.status());
        if (start) {
          n.seed(m.status()); // what the fleet's leader published, this instance now goes on from
        }
        n.breakers.addAll(m.breakers);
        fresh.put(m.config.name(), n);
      }
      for (TokenEntry e : old.tokens) {
        e.monitor = Objects.requireNonNull(fresh.get(e.network), "every token's network");
      }
      listing = new Listing(old.catalog, fresh, old.tokens);
      if (start) {
        startMonitors(List.copyOf(fresh.values()));
      }
    }
  }

  /** Starts monitors, spreading their first polls over the shortest poll interval. */
  private long startMonitors(List<NetworkMonitor> monitors) {
    // Spread the first polls, so that the networks' requests do not all leave in the same
    // millisecond every period: first polls (chain id, syncing, head) leave at most ~500 networks
    // a second, over at most 2 s (never longer than the shortest poll interval): no burst at any
    // provider, all allowed soon.
    long spread =
        monitors.stream().mapToLong(m -> m.config.pollInterval().toNanos()).min().orElse(1);
    long firstPolls = Math.min(spread, Math.min(2_000_000_000L, 2_000_000L * monitors.size()));
    int i = 0;
    for (NetworkMonitor m : monitors) {
      m.start(monitors.size() == 1 ? 0 : firstPolls * i++ / monitors.size());
    }
    return spread;
  }

  /**
   * {@code code} plus what the catalog source lists now, read before the store so that the source's
   * tokens get their remembered state and overrides too. A source that cannot be read, or a token
   * on a network not configured, is logged and read again at the next sync.
   */
  private Catalog withSource(Catalog code) {
    if (catalogSource == null) {
      return code;
    }
    List<TokenConfig> listed;
    try {
      listed = catalogSource.tokens();
    } catch (RuntimeException e) {
      sourceProblems.add("read");
      log.error(
          "catalog source could not be read at start: {}; its tokens are listed when it"
              + " answers (retried every {})",
          SafeText.escape(e),
          syncInterval);
      return code;
    }
    Map<TokenId, TokenConfig> owned = owned(listed, code);
    List<TokenConfig> tokens = new ArrayList<>(code.tokens());
    tokens.addAll(owned.values());
    sourced = Set.copyOf(owned.keySet());
    return new Catalog(code.networks(), tokens);
  }

  /**
   * The tokens of {@code listed} that the catalog source owns against {@code catalog}: one per
   * (symbol, network), on a configured network (any other is skipped with one WARN), and not a
   * token configured in code that is listed now and was never the source's. A token listed at run
   * time by {@link #change} and also in the source (an operator wrote the table, then applied the
   * change here at once) is the source's from then on, so that its removal from the table delists
   * it here too.
   */
  private Map<TokenId, TokenConfig> owned(List<TokenConfig> listed, Catalog catalog) {
    Set<TokenId> present = new HashSet<>();
    catalog.tokens().forEach(t -> present.add(t.tokenId()));
    Map<TokenId, TokenConfig> owned = new LinkedHashMap<>();
    for (TokenConfig t : listed) {
      TokenId key = t.tokenId();
      if (catalog.network(t.network()) == null) {
        if (sourceProblems.add(key.toString())) {
          log.warn(
              "catalog source lists {} on the unknown network '{}'; skipped until that"
                  + " network is configured",
              SafeText.escape(t.symbol()),
              SafeText.escape(t.network()));
        }
      } else if (!(coded.contains(key) && present.contains(key) && !sourced.contains(key))) {
        owned.putIfAbsent(key, t);
      }
    }
    return owned;
  }

  /**
   * Checks a whole catalog as the builder does: a network at least, unique network names, unique
   * (symbol, network) pairs, every token on a listed network.
   */
  private static void validate(Catalog c) {
    if (c.networks().isEmpty()) {
      throw new IllegalArgumentException("at least one network must be configured");
    }
    Set<String> names = new HashSet<>();
    for (NetworkConfig n : c.networks()) {
      if (!names.add(n.name())) {
        throw new IllegalArgumentException("network " + n.name() + " is configured twice");
      }
    }
    Set<TokenId> keys = new HashSet<>();
    for (TokenConfig t : c.tokens()) {
      if (!names.contains(t.network())) {
        throw new IllegalArgumentException(
            "token "
                + t.symbol()
                + " names the unknown network '"
                + t.network()
                + "'; configured networks: "
                + names);
      }
      if (!keys.add(t.tokenId())) {
        // A symbol may be on several networks, but each pair once.
        throw new IllegalArgumentException("token " + t.symbol() + " is configured twice");
      }
    }
  }

  /**
   * The endpoints of {@code n}: those of {@code reuse} (the monitor of the network it replaces)
   * whose URL and connection settings are unchanged are kept with their state, the rest opened.
   */
  private List<EndpointTracker> openEndpoints(NetworkConfig n, @Nullable NetworkMonitor reuse) {
    List<EndpointTracker> trackers = new ArrayList<>();
    EndpointTracker.Settings settings = EndpointTracker.Settings.of(n);
    for (RpcUrl url : n.rpcUrls()) {
      EndpointTracker kept = null;
      if (reuse != null) {
        for (EndpointTracker e : reuse.endpoints) {
          // Kept only if nothing it was opened with changed: its state stays true of it.
          if (e.url().equals(url) && e.settings().equals(settings)) {
            kept = e;
          }
        }
      }
      trackers.add(
          kept != null
              ? kept
              : new EndpointTracker(settings, url, headSources.open(settings.source(), url)));
    }
    return trackers;
  }

  private TokenEntry newEntry(TokenConfig t, NetworkMonitor monitor, Instant now) {
    NetworkConfig n = monitor.config;
    return new TokenEntry(
        t,
        monitor,
        breaker(t, Direction.DEPOSIT, n, now),
        breaker(t, Direction.WITHDRAWAL, n, now));
  }

  private DirectionBreaker breaker(TokenConfig t, Direction d, NetworkConfig n, Instant now) {
    return new DirectionBreaker(
        t,
        d,
        rule(t, d, n),
        registry.circuitBreaker(breakerName(t, d), mirror),
        now,
        this::journal);
  }

  private static RecoveryRule rule(TokenConfig t, Direction d, NetworkConfig n) {
    RecoveryRule own = t.recovery(d);
    return own != null ? own : n.recovery(d);
  }

  private static String breakerName(TokenConfig t, Direction d) {
    return t.tokenId() + "." + d.name().toLowerCase(Locale.ROOT);
  }

  /**
   * A Resilience4j breaker that never trips on its own: no exception is recorded as a failure and
   * no call counts as slow, so only the engine opens and closes it.
   */
  private static CircuitBreakerConfig mirrorConfig() {
    return CircuitBreakerConfig.custom()
        .recordException(e -> false)
        .slowCallRateThreshold(100)
        .slowCallDurationThreshold(Duration.ofDays(365))
        .writableStackTraceEnabled(false)
        .build();
  }

  /** One thread; cancelled deadlines leave its queue at once, as they are re-armed often. */
  private static ScheduledExecutorService monitorScheduler() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(1, daemon("chain-breaker-monitor"));
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  private <T extends ExecutorService> T own(T executor) {
    owned.add(executor::shutdownNow);
    return executor;
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void start() {
    if (closed.get()) {
      throw new IllegalStateException("this ChainBreaker is closed");
    }
    synchronized (changeLock) {
      if (!started.compareAndSet(false, true)) {
        throw new IllegalStateException("this ChainBreaker is already started");
      }
      List<NetworkMonitor> monitors = List.copyOf(listing.networks.values());
      long spread;
      if (fleet == null) {
        watching = true;
        spread = startMonitors(monitors);
      } else {
        // A fleet member watches only once it leads; until then it applies the leader's verdicts.
        spread =
            monitors.stream().mapToLong(m -> m.config.pollInterval().toNanos()).min().orElse(1);
        fleet.start();
      }
      // The watchdog checks at the shortest poll interval of the networks at start; a network
      // added later with a shorter one is still checked, at most one such interval late.
      watchdogTask =
          watchdog.scheduleAtFixedRate(this::watch, spread, spread, TimeUnit.NANOSECONDS);
    }
    long sync = syncInterval.toNanos();
    syncTask =
        scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                io.execute(this::sync);
              } catch (RuntimeException e) {
                log.debug("store sync not scheduled: {}", e.toString());
              }
            },
            sync,
            sync,
            TimeUnit.NANOSECONDS);
    log.info(
        "chain breaker started: {} networks, {} tokens",
        listing.networks.size(),
        listing.tokens.size());
  }

  /** Runs on the I/O pool every sync interval: the catalog source, then overrides. */
  private void sync() {
    if (catalogSource != null) {
      syncCatalog();
    }
    overrides.sync();
  }

  private void watch() {
    for (NetworkMonitor m : listing.networks.values()) {
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
    if (watchdogTask != null) {
      watchdogTask.cancel(false);
    }
    if (syncTask != null) {
      syncTask.cancel(false);
    }
    synchronized (changeLock) {
      for (NetworkMonitor m : listing.networks.values()) {
        m.stop();
      }
    }
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("close failed", e);
      }
    }
    log.info("chain breaker stopped");
  }

  // ---- the catalog ----

  @Override
  public Catalog catalog() {
    return listing.catalog;
  }

  @Override
  public void change(CatalogChange change) {
    Objects.requireNonNull(change, "change");
    if (change.isEmpty()) {
      return;
    }
    synchronized (changeLock) {
      if (closed.get()) {
        throw new IllegalStateException("this ChainBreaker is closed");
      }
      apply(change);
    }
  }

  /** Applies a validated change; under {@link #changeLock}. */
  private void apply(CatalogChange change) {
    Listing old = listing;
    Catalog next = nextCatalog(old.catalog, change);
    validate(next);
    Instant now = clock.instant();
    // Everything that can fail (opening endpoints) is done before anything is published.
    Map<String, NetworkMonitor> monitors = new LinkedHashMap<>();
    Map<NetworkMonitor, NetworkConfig> replaced = new LinkedHashMap<>();
    Map<NetworkMonitor, List<EndpointTracker>> replacedEndpoints = new HashMap<>();
    List<NetworkMonitor> added = new ArrayList<>();
    List<EndpointTracker> opened = new ArrayList<>();
    try {
      for (NetworkConfig n : next.networks()) {
        NetworkMonitor m = old.networks.get(n.name());
        if (m == null) {
          List<EndpointTracker> endpoints = openEndpoints(n, null);
          opened.addAll(endpoints);
          m = new NetworkMonitor(n, endpoints, context);
          added.add(m);
        } else if (!m.config.equals(n)) {
          List<EndpointTracker> endpoints = openEndpoints(n, m);
          for (EndpointTracker e : endpoints) {
            if (!m.endpoints.contains(e)) {
              opened.add(e);
            }
          }
          replaced.put(m, n);
          replacedEndpoints.put(m, endpoints);
        }
        monitors.put(n.name(), m);
      }
    } catch (RuntimeException e) {
      opened.forEach(EndpointTracker::close);
      throw new IllegalArgumentException(
          "catalog change refused, nothing applied: " + e.getMessage(), e);
    }
    List<TokenEntry> entries = new ArrayList<>(next.tokens().size());
    List<TokenEntry> newEntries = new ArrayList<>();
    Set<TokenId> keep = new HashSet<>();
    for (TokenConfig t : next.tokens()) {
      TokenEntry e = old.find(t.symbol(), t.network());
      NetworkMonitor m =
          Objects.requireNonNull(
              monitors.get(t.network()), "validated: every token is on a listed network");
      if (e == null) {
        e = newEntry(t, m, now);
        newEntries.add(e);
      } else {
        NetworkConfig n = replaced.getOrDefault(m, m.config);
        e.reconfigure(t, n);
      }
      keep.add(t.tokenId());
      entries.add(e);
    }
    // Publish the new catalog, then bring monitors and breakers in line with it.
    listing = new Listing(next, monitors, entries);
    for (Map.Entry<NetworkMonitor, NetworkConfig> r : replaced.entrySet()) {
      r.getKey()
          .reconfigure(
              r.getValue(),
              Objects.requireNonNull(replacedEndpoints.get(r.getKey()), "put beside replaced"));
      for (TokenEntry e : entries) {
        if (e.monitor == r.getKey()) {
          e.reconfigure(e.config, r.getValue());
        }
      }
    }
    for (TokenEntry e : old.tokens) {
      if (!keep.contains(e.id)) {
        retire(e, now);
      }
    }
    for (NetworkMonitor m : old.networks.values()) {
      if (!monitors.containsKey(m.config.name())) {
        m.stop();
      }
    }
    for (TokenEntry e : newEntries) {
      NetworkStatus network = e.monitor.status();
      if (watching
          && !overrides.holdsForStore()
          && network.health() == NetworkHealth.HEALTHY
          && !added.contains(e.monitor)) {
        // Allowed from the first query after change() returns, like its network's other tokens.
        Long head = network.head() == null ? null : network.head().number();
        e.deposit.listOnHealthyNetwork(now, head);
        e.withdrawal.listOnHealthyNetwork(now, head);
      }
      e.monitor.breakers.add(e.deposit);
      e.monitor.breakers.add(e.withdrawal);
    }
    for (NetworkMonitor m : added) {
      if (watching) {
        m.start(0);
      }
    }
    Set<NetworkMonitor> touched = new HashSet<>();
    newEntries.forEach(e -> touched.add(e.monitor));
    touched.forEach(NetworkMonitor::evaluateSoon);
    try {
      store.append(change, now);
    } catch (RuntimeException e) {
      log.error(
          "state store failed to append the catalog change {}: {}",
          SafeText.escape(change.describe()),
          SafeText.escape(e));
    }
    log.warn(
        "catalog changed by {}: {}",
        SafeText.escape(change.actor()),
        SafeText.escape(change.describe()));
    events.catalog(change);
  }

  /** {@code catalog} with {@code change} applied, refusing parts that name what is not there. */
  private static Catalog nextCatalog(Catalog catalog, CatalogChange change) {
    Map<String, NetworkConfig> networks = new LinkedHashMap<>();
    catalog.networks().forEach(n -> networks.put(n.name(), n));
    Map<TokenId, TokenConfig> tokens = new LinkedHashMap<>();
    catalog.tokens().forEach(t -> tokens.put(t.tokenId(), t));
    for (TokenConfig t : change.removeTokens()) {
      if (tokens.remove(t.tokenId()) == null) {
        throw new IllegalArgumentException(
            "catalog change refused, nothing applied: token "
                + t.symbol()
                + " on "
                + t.network()
                + " is not listed");
      }
    }
    for (String name : change.removeNetworks()) {
      if (networks.remove(name) == null) {
        throw new IllegalArgumentException(
            "catalog change refused, nothing applied: network '"
                + name
                + "' is not configured; configured networks: "
                + networks.keySet());
      }
      for (TokenConfig t : tokens.values()) {
        if (t.network().equals(name)) {
          throw new IllegalArgumentException(
              "catalog change refused, nothing applied: network '"
                  + name
                  + "' still carries token "
                  + t.symbol()
                  + "; remove its tokens in the same"
                  + " change");
        }
      }
    }
    // A change naming one network or token twice does not say which configuration it means.
    Set<String> named = new HashSet<>();
    for (NetworkConfig n : change.putNetworks()) {
      if (!named.add(n.name())) {
        throw new IllegalArgumentException(
            "catalog change refused, nothing applied: network '" + n.name() + "' is put twice");
      }
      networks.put(n.name(), n);
    }
    Set<TokenId> put = new HashSet<>();
    for (TokenConfig t : change.putTokens()) {
      if (!put.add(t.tokenId())) {
        throw new IllegalArgumentException(
            "catalog change refused, nothing applied: token "
                + t.symbol()
                + " on "
                + t.network()
                + " is put twice");
      }
      tokens.put(t.tokenId(), t);
    }
    try {
      Catalog next =
          new Catalog(new ArrayList<>(networks.values()), new ArrayList<>(tokens.values()));
      validate(next);
      return next;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "catalog change refused, nothing applied: " + e.getMessage(), e);
    }
  }

  /** Takes a token out of service: its breakers say DELISTED, its waiters fail. */
  private void retire(TokenEntry e, Instant now) {
    e.monitor.breakers.remove(e.deposit);
    e.monitor.breakers.remove(e.withdrawal);
    for (Direction d : Direction.values()) {
      DirectionBreaker b = e.breaker(d);
      b.retire(now);
      registry.remove(breakerName(e.config, d));
      List<CompletableFuture<TokenStatus>> list = waiters.remove(b);
      if (list != null) {
        for (CompletableFuture<TokenStatus> f : list) {
          f.completeExceptionally(
              new UnknownTokenException(
                  e.symbol(), " on " + e.network + ": removed from the catalog"));
        }
      }
    }
  }

  /**
   * Reads the catalog source and applies what changed since the last read as one change by {@value
   * #SOURCE_ACTOR}: tokens that appeared are listed, those that disappeared delisted. Tokens on
   * networks not configured here are skipped with one WARN each; a failing read changes nothing.
   */
  private void syncCatalog() {
    CatalogSource source = Objects.requireNonNull(catalogSource);
    List<TokenConfig> listed;
    try {
      listed = source.tokens();
    } catch (RuntimeException e) {
      if (sourceProblems.add("read")) {
        log.error(
            "catalog source could not be read: {}; the catalog in force stays, retried every"
                + " {}",
            SafeText.escape(e),
            syncInterval);
      }
      return;
    }
    if (sourceProblems.remove("read")) {
      log.warn("catalog source readable again");
    }
    synchronized (changeLock) {
      if (closed.get()) {
        return;
      }
      Listing now = listing;
      CatalogChange.Builder change = CatalogChange.by(SOURCE_ACTOR);
      Map<TokenId, TokenConfig> owned = owned(listed, now.catalog);
      boolean any = false;
      for (Map.Entry<TokenId, TokenConfig> o : owned.entrySet()) {
        TokenEntry e = now.byKey.get(o.getKey());
        if (e == null || !e.config.equals(o.getValue())) {
          change.putToken(o.getValue());
          any = true;
        }
      }
      for (TokenId key : sourced) {
        if (!owned.containsKey(key)) {
          TokenEntry e = now.byKey.get(key);
          if (e != null) {
            change.removeToken(e.symbol(), e.network);
            any = true;
          }
        }
      }
      if (any) {
        apply(change.build());
      }
      sourced = Set.copyOf(owned.keySet());
    }
  }

  // ---- queries ----

  private TokenEntry entry(String symbol) {
    Object found = symbol == null ? null : listing.bySymbol.get(symbol);
    if (found instanceof TokenEntry e) {
      return e;
    }
    if (found instanceof TokenEntry[] many) {
      List<String> networks = new ArrayList<>();
      for (TokenEntry e : many) {
        networks.add(e.network);
      }
      throw new AmbiguousTokenException(symbol, networks);
    }
    throw unknown(symbol, null);
  }

  private TokenEntry entry(String symbol, String network) {
    Objects.requireNonNull(network, "network");
    TokenEntry e = symbol == null ? null : listing.find(symbol, network);
    if (e == null) {
      throw unknown(symbol, network);
    }
    return e;
  }

  private UnknownTokenException unknown(@Nullable String symbol, @Nullable String network) {
    String s = String.valueOf(symbol);
    Listing l = listing;
    Object other = symbol == null ? null : l.bySymbol.get(symbol);
    if (network != null && other != null) {
      List<String> on = new ArrayList<>();
      for (TokenEntry e :
          other instanceof TokenEntry[] many ? many : new TokenEntry[] {(TokenEntry) other}) {
        on.add(e.network);
      }
      return new UnknownTokenException(
          s, " on network '" + SafeText.escape(network) + "'; it is listed on " + on);
    }
    String cased = l.lowerCase.get(s.toLowerCase(Locale.ROOT));
    return new UnknownTokenException(
        s,
        cased != null
            ? "; did you mean '" + cased + "'?"
            : "; configured tokens: " + l.tokens.size());
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
    return await(entry(symbol), direction);
  }

  @Override
  public CompletableFuture<TokenStatus> awaitAllowed(
      String symbol, String network, Direction direction) {
    return await(entry(symbol, network), direction);
  }

  private CompletableFuture<TokenStatus> await(TokenEntry e, Direction direction) {
    Objects.requireNonNull(direction, "direction");
    CompletableFuture<TokenStatus> future = new CompletableFuture<>();
    List<CompletableFuture<TokenStatus>> list =
        waiters.computeIfAbsent(e.breaker(direction), k -> new CopyOnWriteArrayList<>());
    list.add(future);
    // However it completes (allowed, or cancelled by the caller), it leaves the list.
    CompletableFuture<?> unused = future.whenComplete((s, f) -> list.removeIf(w -> w == future));
    // Checked after registering, so an ALLOWED transition in between cannot be missed.
    if (e.breaker(direction).allowed()) {
      future.complete(e.status());
    }
    return future;
  }

  private void releaseWaiters(TokenTransition t) {
    TokenEntry e = listing.find(t.symbol(), t.network());
    if (e == null) {
      return;
    }
    List<CompletableFuture<TokenStatus>> list = waiters.get(e.breaker(t.direction()));
    if (list == null || list.isEmpty()) {
      return;
    }
    TokenStatus status = e.status();
    for (CompletableFuture<TokenStatus> f : list) {
      f.complete(status);
    }
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
    Listing l = listing;
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
    Listing l = listing;
    NetworkMonitor m = l.networks.get(name);
    if (m == null) {
      throw new IllegalArgumentException(
          "unknown network '"
              + SafeText.escape(name)
              + "'; configured networks: "
              + l.networks.keySet());
    }
    return m.status();
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

  // ---- resilience4j ----

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

  // ---- events ----

  @Override
  public Events events() {
    return events;
  }

  /**
   * Appends a transition to the audit trail; a failing store is logged, never thrown. A store whose
   * full queue refuses it gets the token held SUSPENDED until it catches up (fail closed): that is
   * done just after, outside the breaker's lock this runs under.
   */
  private void journal(TokenTransition t) {
    Fleet f = fleet;
    if (f != null) {
      // A fleet's trail is written by its leader, fenced, with its verdicts.
      f.journal(t);
      return;
    }
    try {
      store.append(t);
    } catch (StateStoreFullException full) {
      try {
        TokenId token = TokenId.trusted(t.symbol(), t.network());
        scheduler.execute(() -> overrides.holdForBacklog(token));
      } catch (RejectedExecutionException closing) {
        log.debug("engine closing: {} not held for the store", t.symbol());
      }
    } catch (RuntimeException e) {
      log.error(
          "state store failed to append the transition {}: {}",
          SafeText.escape(t),
          SafeText.escape(e));
    }
  }

  /**
   * The catalog in force, immutable: the networks' monitors by name, the tokens in order, and for
   * the hot path a table from symbol to its one entry, or to an array of entries when the symbol is
   * listed on several networks (found by comparing network names, without allocating).
   */
  private static final class Listing {
    final Catalog catalog;
    final Map<String, NetworkMonitor> networks;
    final List<TokenEntry> tokens;
    final SymbolTable<Object> bySymbol;
    final Map<TokenId, TokenEntry> byKey;
    final Map<String, String> lowerCase;

    Listing(Catalog catalog, Map<String, NetworkMonitor> networks, List<TokenEntry> tokens) {
      this.catalog = catalog;
      this.networks = Collections.unmodifiableMap(new LinkedHashMap<>(networks));
      this.tokens = List.copyOf(tokens);
      Map<String, List<TokenEntry>> bySymbol = new LinkedHashMap<>();
      Map<TokenId, TokenEntry> byKey = new HashMap<>();
      Map<String, String> lowerCase = new HashMap<>();
      for (TokenEntry e : tokens) {
        bySymbol.computeIfAbsent(e.symbol(), k -> new ArrayList<>(1)).add(e);
        byKey.put(e.id, e);
        lowerCase.put(e.symbol().toLowerCase(Locale.ROOT), e.symbol());
      }
      Map<String, Object> table = new HashMap<>();
      bySymbol.forEach(
          (symbol, list) ->
              table.put(symbol, list.size() == 1 ? list.get(0) : list.toArray(new TokenEntry[0])));
      this.bySymbol = new SymbolTable<>(table);
      this.byKey = byKey;
      this.lowerCase = lowerCase;
    }

    @Nullable TokenEntry find(String symbol, String network) {
      Object found = bySymbol.get(symbol);
      if (found instanceof TokenEntry e) {
        return e.network.equals(network) ? e : null;
      }
      if (found instanceof TokenEntry[] many) {
        for (TokenEntry e : many) {
          if (e.network.equals(network)) {
            return e;
          }
        }
      }
      return null;
    }
  }

  /** One token: its two breakers and its network; the {@link TokenHandle} users hold. */
  static final class TokenEntry implements TokenHandle {
    /** Replaced when the catalog changes the token (its contract, its recovery rules). */
    volatile TokenConfig config;

    final String network;

    /** The token; never changes with its configuration. */
    final TokenId id;

    /** Replaced when a fleet member starts or stops watching; the breakers stay. */
    volatile NetworkMonitor monitor;

    final DirectionBreaker deposit;
    final DirectionBreaker withdrawal;

    TokenEntry(
        TokenConfig config,
        NetworkMonitor monitor,
        DirectionBreaker deposit,
        DirectionBreaker withdrawal) {
      this.config = config;
      this.network = config.network();
      this.id = config.tokenId();
      this.monitor = monitor;
      this.deposit = deposit;
      this.withdrawal = withdrawal;
    }

    DirectionBreaker breaker(Direction d) {
      return d == Direction.DEPOSIT ? deposit : withdrawal;
    }

    /** Takes a changed token or network configuration; the breakers keep their state. */
    void reconfigure(TokenConfig token, NetworkConfig network) {
      config = token;
      for (Direction d : Direction.values()) {
        breaker(d).reconfigure(token, rule(token, d, network));
      }
    }

    /** The network head now, or null if none was seen. */
    @Nullable Long head() {
      NetworkStatus s = monitor.status();
      return s.head() == null ? null : s.head().number();
    }

    @Override
    public String symbol() {
      return config.symbol();
    }

    @Override
    public String network() {
      return network;
    }

    @Override
    public TokenId tokenId() {
      return id;
    }

    @Override
    public boolean allowsDeposit() {
      return deposit.allowed();
    }

    @Override
    public boolean allowsWithdrawal() {
      return withdrawal.allowed();
    }

    @Override
    public boolean allows(Direction direction) {
      return breaker(direction).allowed();
    }

    @Override
    public void checkDeposit() {
      check(Direction.DEPOSIT);
    }

    @Override
    public void checkWithdrawal() {
      check(Direction.WITHDRAWAL);
    }

    @Override
    public void check(Direction direction) {
      DirectionStatus s = breaker(direction).status();
      if (s.state() != BreakerState.ALLOWED) {
        throw new TokenSuspendedException(config.symbol(), network, direction, s);
      }
    }

    @Override
    public TokenStatus status() {
      TokenConfig c = config;
      return new TokenStatus(
          c.symbol(), network, c.contract(), deposit.status(), withdrawal.status());
    }

    @Override
    public String toString() {
      return "TokenHandle[" + config.symbol() + " on " + network + "]";
    }
  }
}
