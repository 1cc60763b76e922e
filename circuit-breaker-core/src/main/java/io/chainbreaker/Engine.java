package io.chainbreaker;

import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.RpcUrl;
import io.chainbreaker.chain.Web3jHeadSources;
import io.chainbreaker.store.StateStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link ChainBreaker} implementation. */
final class Engine implements ChainBreaker {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  final Clock clock;
  final Ticker ticker;
  final ScheduledExecutorService scheduler;
  final Executor io;
  final HeadSource.Factory headSources;
  private final ScheduledExecutorService watchdog;
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final StateStore store;
  private final CircuitBreakerRegistry registry;
  private final Map<String, NetworkMonitor> networks = new LinkedHashMap<>();
  private final SymbolTable<TokenEntry> tokens;
  private final List<TokenEntry> tokenOrder = new ArrayList<>();
  private final Map<String, String> symbolsByLowerCase = new HashMap<>();
  private final EventPublisher events = new EventPublisher(this::releaseWaiters);
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private @Nullable ScheduledFuture<?> watchdogTask;
  private @Nullable ScheduledFuture<?> syncTask;
  private final Duration overrideSyncInterval;
  private final AtomicLong overrideEpoch = new AtomicLong();
  private final AtomicBoolean syncing = new AtomicBoolean();
  /** Whether the store could not be read at start and every breaker is held until it answers. */
  private volatile boolean storeUnread;
  private Instant storeUnreadSince = Instant.EPOCH;
  private final Map<DirectionBreaker, List<CompletableFuture<TokenStatus>>> waiters =
      new java.util.concurrent.ConcurrentHashMap<>();

  Engine(ChainBreaker.Builder b) {
    if (b.networks.isEmpty()) {
      throw new IllegalArgumentException("at least one network must be configured");
    }
    Map<String, NetworkConfig> configs = new LinkedHashMap<>();
    for (NetworkConfig n : b.networks) {
      if (configs.put(n.name(), n) != null) {
        throw new IllegalArgumentException("network " + n.name() + " is configured twice");
      }
    }
    Set<String> symbols = new HashSet<>();
    for (TokenConfig t : b.tokens) {
      if (!configs.containsKey(t.network())) {
        throw new IllegalArgumentException("token " + t.symbol() + " names the unknown network '"
            + t.network() + "'; configured networks: " + configs.keySet());
      }
      if (!symbols.add(t.symbol())) {
        throw new IllegalArgumentException("token " + t.symbol() + " is configured twice");
      }
    }
    this.clock = b.clock;
    this.ticker = b.ticker;
    this.store = b.store;
    this.overrideSyncInterval = b.overrideSyncInterval;
    this.registry = b.registry != null ? b.registry : CircuitBreakerRegistry.ofDefaults();
    this.scheduler = b.scheduler != null ? b.scheduler : own(monitorScheduler());
    this.watchdog = b.watchdogScheduler != null ? b.watchdogScheduler : own(
        Executors.newSingleThreadScheduledExecutor(daemon("chain-breaker-watchdog")));
    // Requests to nodes never block a thread (see HeadSource); this pool only runs what does:
    // liveness probes and state store reads, neither of which decides how fresh a head is.
    this.io = b.ioExecutor != null ? b.ioExecutor : own(Executors.newFixedThreadPool(2,
        daemon("chain-breaker-io")));
    HeadSource.Factory sources = b.headSources;
    if (sources == null) {
      Web3jHeadSources web3j = new Web3jHeadSources();
      owned.add(web3j);
      sources = web3j;
    }
    this.headSources = sources;
    Instant now = clock.instant();
    MonitorContext context = new MonitorContext(clock, ticker, scheduler, io, sources, events);
    for (NetworkConfig n : configs.values()) {
      List<EndpointTracker> trackers = new ArrayList<>();
      for (RpcUrl url : n.rpcUrls()) {
        trackers.add(new EndpointTracker(n, url, sources.open(n, url)));
      }
      networks.put(n.name(), new NetworkMonitor(n, trackers, context));
    }
    CircuitBreakerConfig mirror = mirrorConfig();
    Map<String, TokenEntry> tokenMap = new HashMap<>();
    for (TokenConfig t : b.tokens) {
      NetworkMonitor monitor = Objects.requireNonNull(networks.get(t.network()),
          "every token names a configured network (checked above)");
      DirectionBreaker deposit = breaker(t, Direction.DEPOSIT, monitor.config, mirror, now);
      DirectionBreaker withdrawal = breaker(t, Direction.WITHDRAWAL, monitor.config, mirror, now);
      monitor.breakers.add(deposit);
      monitor.breakers.add(withdrawal);
      TokenEntry entry = new TokenEntry(t, monitor, deposit, withdrawal);
      tokenMap.put(t.symbol(), entry);
      tokenOrder.add(entry);
      symbolsByLowerCase.put(t.symbol().toLowerCase(Locale.ROOT), t.symbol());
    }
    tokens = new SymbolTable<>(tokenMap);
    // Overrides are in force from the first query, before start().
    restoreFromStore();
  }

  private DirectionBreaker breaker(TokenConfig t, Direction d, NetworkConfig n,
      CircuitBreakerConfig mirror, Instant now) {
    String name = t.symbol() + "." + d.name().toLowerCase(Locale.ROOT);
    RecoveryRule own = t.recovery(d);
    RecoveryRule rule = own != null ? own : n.recovery(d);
    return new DirectionBreaker(t, d, rule, registry.circuitBreaker(name, mirror), now,
        this::journal);
  }

  /**
   * A Resilience4j breaker that never trips on its own: no exception is recorded as a failure and no
   * call counts as slow, so only the engine opens and closes it.
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
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("this ChainBreaker is already started");
    }
    // Spread the first polls over the shortest poll interval, so that the networks' requests do
    // not all leave in the same millisecond every period.
    long spread = networks.values().stream()
        .mapToLong(m -> m.config.pollInterval().toNanos()).min().orElseThrow();
    int i = 0;
    for (NetworkMonitor m : networks.values()) {
      m.start(networks.size() == 1 ? 0 : spread * i++ / networks.size());
    }
    long period = networks.values().stream()
        .mapToLong(m -> m.config.pollInterval().toNanos()).min().orElseThrow();
    watchdogTask = watchdog.scheduleAtFixedRate(this::watch, period, period, TimeUnit.NANOSECONDS);
    long sync = overrideSyncInterval.toNanos();
    syncTask = scheduler.scheduleWithFixedDelay(() -> {
      try {
        io.execute(this::syncOverrides);
      } catch (RuntimeException e) {
        log.debug("override sync not scheduled: {}", e.toString());
      }
    }, sync, sync, TimeUnit.NANOSECONDS);
    log.info("chain breaker started: {} networks, {} tokens", networks.size(), tokenOrder.size());
  }

  /**
   * Restores what the store remembers (suspensions from before a restart, overrides). If the store
   * cannot be read, fails closed: every breaker is held SUSPENDED with reason
   * {@link Reason#STORE_UNAVAILABLE} and the read is retried on the override sync schedule.
   */
  private void restoreFromStore() {
    Instant now = clock.instant();
    List<TokenTransition> lasts;
    List<BreakerOverride> overrides;
    try {
      lasts = store.lastTransitions();
      overrides = store.overrides();
    } catch (RuntimeException ex) {
      storeUnreadSince = now;
      storeUnread = true;
      String detail = "the state store could not be read at start (suspensions and overrides from"
          + " before it are unknown); retrying every " + overrideSyncInterval;
      for (TokenEntry e : tokenOrder) {
        for (Direction d : Direction.values()) {
          e.breaker(d).holdForStore(now, detail);
        }
      }
      log.error("state store could not be read at start: {}; failing closed: every token stays"
          + " SUSPENDED with reason STORE_UNAVAILABLE until the store answers (retried every {}),"
          + " then recovers by its recovery rule", SafeText.escape(ex), overrideSyncInterval);
      return;
    }
    for (TokenTransition last : lasts) {
      TokenEntry e = tokens.get(last.token());
      if (e != null) {
        e.breaker(last.direction()).restore(last);
      }
    }
    applyStoredOverrides(overrides, now, false);
  }

  /** Puts the store's unexpired overrides in force; publishes them unless still constructing. */
  private int applyStoredOverrides(List<BreakerOverride> overrides, Instant now, boolean publish) {
    int applied = 0;
    for (BreakerOverride o : overrides) {
      TokenEntry e = tokens.get(o.token());
      if (e == null) {
        log.warn("state store holds an override for the unknown token {}; ignored",
            SafeText.escape(o.token()));
      } else if (!o.expiredAt(now)) {
        TokenTransition t = e.breaker(o.direction()).setOverride(o, now,
            publish ? headOf(e) : null, o.actor());
        if (t != null && publish) {
          events.transitions(e.config.network(), List.of(t));
        }
        applied++;
      }
    }
    return applied;
  }

  /**
   * Once more reads the store that could not be read at start; when it answers, restores its
   * suspensions and overrides and ends the hold of every breaker, which then recovers by its rule.
   * Returns whether the store answered. Runs from the override sync.
   */
  private boolean retryStoreRead() {
    List<TokenTransition> lasts;
    List<BreakerOverride> overrides;
    try {
      lasts = store.lastTransitions();
      overrides = store.overrides();
    } catch (RuntimeException e) {
      log.debug("state store still unreadable: {}", SafeText.escape(e.getMessage()));
      return false;
    }
    Instant now = clock.instant();
    Map<String, TokenTransition> lastByKey = new HashMap<>();
    for (TokenTransition t : lasts) {
      lastByKey.put(t.token() + '/' + t.direction(), t);
    }
    int applied = applyStoredOverrides(overrides, now, true);
    int remembered = 0;
    for (TokenEntry e : tokenOrder) {
      List<TokenTransition> transitions = new ArrayList<>(2);
      for (Direction d : Direction.values()) {
        TokenTransition last = lastByKey.get(e.config.symbol() + '/' + d);
        if (last != null && last.to() != BreakerState.ALLOWED) {
          remembered++;
        }
        TokenTransition t = e.breaker(d).releaseStoreHold(last, now, headOf(e));
        if (t != null) {
          transitions.add(t);
        }
      }
      events.transitions(e.config.network(), transitions);
    }
    storeUnread = false;
    log.warn("state store readable again after {}: {} remembered suspensions and {} overrides"
        + " restored; every token recovers by its recovery rule before it allows",
        Duration.between(storeUnreadSince, now), remembered, applied);
    for (NetworkMonitor m : networks.values()) {
      m.evaluateSoon();
    }
    return true;
  }

  /**
   * Brings the overrides in force here in line with the store, so that an override made on another
   * instance applies here too. Runs on the I/O pool; a failing store leaves the overrides as they
   * are. A local override change during the read wins: the read is discarded.
   */
  void syncOverrides() {
    if (!syncing.compareAndSet(false, true)) {
      return;
    }
    try {
      if (storeUnread && !retryStoreRead()) {
        return;
      }
      long epoch = overrideEpoch.get();
      List<BreakerOverride> stored;
      try {
        stored = store.overrides();
      } catch (RuntimeException e) {
        log.debug("override sync skipped: {}", SafeText.escape(e.getMessage()));
        return;
      }
      Instant now = clock.instant();
      Map<String, BreakerOverride> wanted = new HashMap<>();
      for (BreakerOverride o : stored) {
        if (!o.expiredAt(now)) {
          wanted.put(o.token() + '/' + o.direction(), o);
        }
      }
      for (TokenEntry e : tokenOrder) {
        List<TokenTransition> transitions = new ArrayList<>(2);
        for (Direction d : Direction.values()) {
          DirectionBreaker b = e.breaker(d);
          BreakerOverride have = b.override();
          BreakerOverride want = wanted.get(e.config.symbol() + '/' + d);
          if (Objects.equals(have, want) || (want == null && have != null && have.expiredAt(now))
              || overrideEpoch.get() != epoch) {
            continue;
          }
          TokenTransition t = b.replaceOverride(have, want, now, headOf(e),
              want != null ? want.actor() : "another instance");
          if (t != null) {
            transitions.add(t);
            log.warn("override of {} {} {} by the state store (made on another instance{})",
                e.config.symbol(), d, want == null ? "cleared" : "set to " + want.state(),
                want == null ? "" : " by " + SafeText.escape(want.actor()));
          }
        }
        events.transitions(e.config.network(), transitions);
      }
    } finally {
      syncing.set(false);
    }
  }

  private void watch() {
    for (NetworkMonitor m : networks.values()) {
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
    for (NetworkMonitor m : networks.values()) {
      m.stop();
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

  // ---- queries ----

  private TokenEntry entry(String symbol) {
    TokenEntry e = symbol == null ? null : tokens.get(symbol);
    if (e == null) {
      throw unknown(symbol);
    }
    return e;
  }

  private UnknownTokenException unknown(@Nullable String symbol) {
    String s = String.valueOf(symbol);
    String other = symbolsByLowerCase.get(s.toLowerCase(Locale.ROOT));
    return new UnknownTokenException(s, other != null ? "; did you mean '" + other + "'?"
        : "; configured tokens: " + tokenOrder.size());
  }

  @Override
  public boolean allowsDeposit(String token) {
    return entry(token).deposit.allowed();
  }

  @Override
  public boolean allowsWithdrawal(String token) {
    return entry(token).withdrawal.allowed();
  }

  @Override
  public boolean allows(String token, Direction direction) {
    return entry(token).breaker(direction).allowed();
  }

  @Override
  public void checkDeposit(String token) {
    entry(token).check(Direction.DEPOSIT);
  }

  @Override
  public void checkWithdrawal(String token) {
    entry(token).check(Direction.WITHDRAWAL);
  }

  @Override
  public void check(String token, Direction direction) {
    entry(token).check(direction);
  }

  @Override
  public CompletableFuture<TokenStatus> awaitAllowed(String token, Direction direction) {
    TokenEntry e = entry(token);
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
    TokenEntry e = tokens.get(t.token());
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
  public StatusSnapshot snapshot() {
    List<NetworkStatus> ns = new ArrayList<>(networks.size());
    for (NetworkMonitor m : networks.values()) {
      ns.add(m.status());
    }
    List<TokenStatus> ts = new ArrayList<>(tokenOrder.size());
    for (TokenEntry e : tokenOrder) {
      ts.add(e.status());
    }
    return new StatusSnapshot(clock.instant(), ns, ts);
  }

  @Override
  public NetworkStatus network(String name) {
    NetworkMonitor m = networks.get(name);
    if (m == null) {
      throw new IllegalArgumentException(
          "unknown network '" + name + "'; configured networks: " + networks.keySet());
    }
    return m.status();
  }

  // ---- overrides ----

  @Override
  public BreakerOverride forceSuspend(
      String token, Direction direction, String actor, String reason, @Nullable Duration ttl) {
    return force(token, direction, BreakerState.SUSPENDED, actor, reason, ttl);
  }

  @Override
  public BreakerOverride forceAllow(
      String token, Direction direction, String actor, String reason, @Nullable Duration ttl) {
    return force(token, direction, BreakerState.ALLOWED, actor, reason, ttl);
  }

  private BreakerOverride force(String token, Direction direction, BreakerState state,
      String actor, String reason, @Nullable Duration ttl) {
    TokenEntry e = entry(token);
    Objects.requireNonNull(direction, "direction");
    // Checked here, before anything is queued for the store: text the database would refuse or
    // cut must never get as far as the store (see BreakerOverride.validate).
    BreakerOverride.validate(actor, reason, ttl);
    overrideEpoch.incrementAndGet();
    // Millisecond precision: what every database stores, so the copy read back is equal.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    BreakerOverride o = new BreakerOverride(e.config.symbol(), direction, state, actor, reason, now,
        ttl == null ? null : now.plus(ttl));
    try {
      store.putOverride(o);
    } catch (RuntimeException ex) {
      log.error("state store failed to save the override of {} {}; in force on this instance only:"
          + " {}", e.config.symbol(), direction, SafeText.escape(ex));
    }
    TokenTransition t = e.breaker(direction).setOverride(o, now, headOf(e), actor);
    log.warn("override: {} forced {} {} to {} until {}: {}", SafeText.escape(actor),
        e.config.symbol(), direction, state, o.expiresAt() == null ? "cleared" : o.expiresAt(),
        SafeText.escape(reason));
    events.transitions(e.config.network(), t == null ? List.of() : List.of(t));
    e.monitor.evaluateSoon();
    return o;
  }

  @Override
  public void clearOverride(String token, Direction direction, String actor) {
    TokenEntry e = entry(token);
    Objects.requireNonNull(direction, "direction");
    BreakerOverride.validate(actor, null, null);
    overrideEpoch.incrementAndGet();
    try {
      store.removeOverride(e.config.symbol(), direction);
    } catch (RuntimeException ex) {
      log.error("state store failed to remove the override of {} {}: {}", e.config.symbol(),
          direction, SafeText.escape(ex));
    }
    TokenTransition t = e.breaker(direction).setOverride(null, clock.instant(), headOf(e), actor);
    log.warn("override: {} cleared the override of {} {}", SafeText.escape(actor),
        e.config.symbol(), direction);
    events.transitions(e.config.network(), t == null ? List.of() : List.of(t));
    e.monitor.evaluateSoon();
  }

  private static @Nullable Long headOf(TokenEntry e) {
    NetworkStatus s = e.monitor.status();
    return s.head() == null ? null : s.head().number();
  }

  // ---- resilience4j ----

  @Override
  public CircuitBreakerRegistry circuitBreakerRegistry() {
    return registry;
  }

  @Override
  public CircuitBreaker circuitBreaker(String token, Direction direction) {
    return entry(token).breaker(direction).r4j;
  }

  // ---- events ----

  @Override
  public Events events() {
    return events;
  }

  /** Appends a transition to the audit trail; a failing store is logged, never thrown. */
  private void journal(TokenTransition t) {
    try {
      store.append(t);
    } catch (RuntimeException e) {
      log.error("state store failed to append the transition {}: {}", SafeText.escape(t),
          SafeText.escape(e));
    }
  }

  /** One token: its two breakers and its network; the {@link TokenHandle} users hold. */
  static final class TokenEntry implements TokenHandle {
    final TokenConfig config;
    final NetworkMonitor monitor;
    final DirectionBreaker deposit;
    final DirectionBreaker withdrawal;

    TokenEntry(TokenConfig config, NetworkMonitor monitor, DirectionBreaker deposit,
        DirectionBreaker withdrawal) {
      this.config = config;
      this.monitor = monitor;
      this.deposit = deposit;
      this.withdrawal = withdrawal;
    }

    DirectionBreaker breaker(Direction d) {
      return d == Direction.DEPOSIT ? deposit : withdrawal;
    }

    @Override
    public String symbol() {
      return config.symbol();
    }

    @Override
    public String network() {
      return config.network();
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
        throw new TokenSuspendedException(config.symbol(), config.network(), direction, s);
      }
    }

    @Override
    public TokenStatus status() {
      return new TokenStatus(config.symbol(), config.network(), config.contract(),
          deposit.status(), withdrawal.status());
    }

    @Override
    public String toString() {
      return "TokenHandle[" + config.symbol() + " on " + config.network() + "]";
    }
  }
}
