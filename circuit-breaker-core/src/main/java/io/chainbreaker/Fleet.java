package io.chainbreaker;

import io.chainbreaker.store.FleetStore;
import io.chainbreaker.store.FleetStore.FencedException;
import io.chainbreaker.store.FleetStore.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's part in a fleet: takes and renews the lease, and then watches and publishes
 * (leader), or applies the published verdicts (follower); suspends with {@link Reason#VIEW_STALE}
 * what it has no fresh verdict for. Everything that talks to the {@link FleetStore} runs on the
 * fleet's own thread ({@code io}), which may block; the staleness guard runs on the engine's
 * scheduler, so a store call that hangs cannot keep a stale view allowed.
 *
 * <p>Knows the engine only through {@link Host}.
 */
final class Fleet implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger("io.chainbreaker.fleet");
  private static final int MAX_QUEUED_AUDIT = 100_000;

  /** What the fleet needs of its engine. */
  interface Host {
    /** Every listed token. */
    List<TokenEntry> tokens();

    /** Every network's monitor. */
    Collection<NetworkMonitor> monitors();

    /** The token {@code symbol} on {@code network}, or null if not listed here. */
    @Nullable TokenEntry find(String symbol, String network);

    /** The monitor of {@code network}, or null if not listed here. */
    @Nullable NetworkMonitor monitor(String network);

    /** Starts watching every network from a fresh view (this instance now leads). */
    void startWatching();

    /** Stops watching: no request to any provider from now on (this instance follows). */
    void stopWatching();

    /** An override was written somewhere in the fleet: read the store's overrides now. */
    void overridesChanged();

    /** Publishes transitions to the engine's listeners. */
    void publish(String network, List<TokenTransition> transitions);
  }

  private record Published(String fingerprint, @Nullable Long head, long atNanos) {}

  private final FleetConfig config;
  private final FleetStore store;
  private final Clock clock;
  private final Ticker ticker;
  private final ScheduledExecutorService guardScheduler;
  private final ScheduledExecutorService io;
  private final Host host;
  private final List<Consumer<? super FleetStatus>> listeners;
  private final AtomicBoolean cycleQueued = new AtomicBoolean();
  private final Object roleLock = new Object();
  private final long startNanos;

  private volatile FleetStatus.Role role = FleetStatus.Role.FOLLOWER;
  private volatile long epoch;
  private volatile @Nullable String leader;
  private volatile @Nullable String problem;
  private volatile @Nullable Instant lastContact;
  private volatile boolean closed;

  /** Leader only: until when the lease holds by this host's ticker (renewal start + TTL). */
  private volatile long leaseUntilNanos;

  private long nextRenewNanos;

  /** Per network, the ticker time at which the leader last vouched for its verdict here. */
  private final Map<String, Long> confirmedNanos = new ConcurrentHashMap<>();

  /** The newest verdict read per network (a new leader starts from them). Fleet thread only. */
  private final Map<String, NetworkVerdict> inherited = new HashMap<>();

  private long lastSeq;

  /** Leader only: what was last published per network. Fleet thread only. */
  private final Map<String, Published> published = new HashMap<>();

  /** Leader only: transitions to append with the next publication. */
  private final List<TokenTransition> audit = new ArrayList<>();

  private long droppedAudit;

  /** Networks whose tokens this instance holds with VIEW_STALE. Guard only. */
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  private @Nullable ScheduledFuture<?> cycleTask;
  private @Nullable ScheduledFuture<?> guardTask;

  Fleet(
      FleetConfig config,
      Clock clock,
      Ticker ticker,
      ScheduledExecutorService guardScheduler,
      ScheduledExecutorService io,
      Host host,
      List<Consumer<? super FleetStatus>> listeners) {
    this.config = config;
    this.store = config.store();
    this.clock = clock;
    this.ticker = ticker;
    this.guardScheduler = guardScheduler;
    this.io = io;
    this.host = host;
    this.listeners = listeners;
    this.startNanos = ticker.read();
  }

  /** Starts the cycle (the first at once) and the guard. */
  void start() {
    long poll = config.pollInterval().toNanos();
    store.listen(
        () -> {
          host.overridesChanged();
          wake();
        });
    cycleTask = io.scheduleWithFixedDelay(this::cycleSafely, 0, poll, TimeUnit.NANOSECONDS);
    long guard = Math.max(poll / 2, 1);
    guardTask =
        guardScheduler.scheduleWithFixedDelay(
            this::guardSafely, guard, guard, TimeUnit.NANOSECONDS);
    log.info(
        "fleet {}: instance {} joined ({}); following until it holds the lease",
        config.name(),
        config.instanceId(),
        config);
  }

  /** Whether this instance leads now. */
  boolean leads() {
    return role == FleetStatus.Role.LEADER;
  }

  /** The fence of this instance while it leads, else null. */
  FleetStore.@Nullable Fence fence() {
    return leads() ? new FleetStore.Fence(config.name(), config.instanceId(), epoch) : null;
  }

  /** Runs a cycle soon on the fleet's thread; many calls before it runs make one cycle. */
  void wake() {
    if (closed || !cycleQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      io.execute(
          () -> {
            cycleQueued.set(false);
            cycleSafely();
          });
    } catch (RejectedExecutionException e) {
      cycleQueued.set(false);
    }
  }

  /**
   * Takes a transition for the audit trail: the leader appends it with its next publication,
   * fenced; a follower's transitions (verdicts applied, holds) are the leader's to record.
   */
  void journal(TokenTransition t) {
    if (!leads()) {
      return;
    }
    synchronized (audit) {
      if (audit.size() >= MAX_QUEUED_AUDIT) {
        droppedAudit++;
        if (droppedAudit == 1 || droppedAudit % 10_000 == 0) {
          log.error(
              "fleet {}: {} audit rows could not be queued (the store has not taken any for a"
                  + " while; {} queued)",
              config.name(),
              droppedAudit,
              audit.size());
        }
        return;
      }
      audit.add(t);
    }
    wake();
  }

  private void cycleSafely() {
    if (closed) {
      return;
    }
    try {
      cycle();
    } catch (RuntimeException e) {
      log.error("fleet {}: cycle failed", config.name(), e);
    }
  }

  private void cycle() {
    long now = ticker.read();
    try {
      if (leads()) {
        if (now - nextRenewNanos >= 0) {
          renew(now);
        }
        if (leads()) {
          publish(now, false);
        }
      } else {
        FleetStore.Read read = store.read(config.name(), lastSeq);
        contact();
        apply(read, now);
        if (read.lease().heldBy(config.instanceId())) {
          becomeLeader(read.lease(), now); // taken before a failure kept us from leading
        } else if (!read.lease().isValid()) {
          Lease lease = store.acquire(config.name(), config.instanceId(), config.leaseTtl());
          if (lease.heldBy(config.instanceId())) {
            becomeLeader(lease, now);
          }
        }
      }
    } catch (FencedException e) {
      stepDown("a write was refused: " + e.getMessage());
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      if (problem == null) {
        log.error(
            "fleet {}: the store cannot be reached: {}; tokens are held with VIEW_STALE once the"
                + " newest verdict is older than {}",
            config.name(),
            SafeText.escape(message),
            config.staleAfter());
      }
      problem = message;
    }
  }

  private void contact() {
    lastContact = clock.instant();
    if (problem != null) {
      log.warn("fleet {}: the store answers again", config.name());
      problem = null;
    }
  }

  private void renew(long now) {
    boolean renewed;
    try {
      renewed = store.renew(config.name(), config.instanceId(), epoch, config.leaseTtl());
    } catch (RuntimeException e) {
      if (ticker.read() - leaseUntilNanos >= 0) {
        stepDown("the lease could not be renewed within its TTL: " + e.getMessage());
      }
      throw e;
    }
    contact();
    if (!renewed) {
      stepDown("the lease was lost (expired or taken over)");
      return;
    }
    leaseUntilNanos = now + config.leaseTtl().toNanos();
    nextRenewNanos = now + config.leaseTtl().toNanos() / 3;
    for (NetworkMonitor m : host.monitors()) {
      confirmedNanos.put(m.config.name(), now);
    }
  }

  /** Applies what a read found: the lease, and every new verdict to this instance's breakers. */
  private void apply(FleetStore.Read read, long now) {
    Lease lease = read.lease();
    if (!Objects.equals(leader, lease.holder()) || epoch != lease.epoch()) {
      leader = lease.holder();
      epoch = lease.epoch();
      fireChange();
    }
    take(read.verdicts());
    if (lease.isValid()) {
      long vouched = now - lease.renewedAgo().toNanos();
      for (NetworkVerdict v : inherited.values()) {
        if (v.epoch() == lease.epoch()) {
          confirmedNanos.merge(v.name(), vouched, Math::max);
        }
      }
    }
    guard();
  }

  /** Keeps each verdict read as the newest of its network and puts it on this instance. */
  private void take(List<NetworkVerdict> verdicts) {
    Instant wall = clock.instant();
    for (NetworkVerdict v : verdicts) {
      inherited.put(v.name(), v);
      lastSeq = Math.max(lastSeq, v.seq());
      mirror(v, wall);
    }
  }

  /** Puts a verdict's network status and its tokens' automatic states on this instance. */
  private void mirror(NetworkVerdict v, Instant now) {
    NetworkMonitor m = host.monitor(v.name());
    if (m == null) {
      return;
    }
    m.show(v.network());
    List<TokenTransition> transitions = new ArrayList<>();
    for (TokenStatus t : v.tokens()) {
      TokenEntry e = host.find(t.symbol(), v.name());
      if (e == null) {
        continue;
      }
      TokenTransition d = e.deposit.mirror(t.deposit(), now);
      if (d != null) {
        transitions.add(d);
      }
      TokenTransition w = e.withdrawal.mirror(t.withdrawal(), now);
      if (w != null) {
        transitions.add(w);
      }
    }
    host.publish(v.name(), transitions);
  }

  /**
   * This instance took the lease: it starts from every published verdict (never from "allowed"),
   * republishes them under its epoch, then starts watching.
   */
  private void becomeLeader(Lease lease, long now) {
    FleetStore.Read all = store.read(config.name(), 0);
    take(all.verdicts());
    for (TokenEntry e : host.tokens()) {
      e.deposit.takeOver(now);
      e.withdrawal.takeOver(now);
    }
    String before = leader;
    long was = epoch;
    epoch = lease.epoch();
    leader = config.instanceId();
    leaseUntilNanos = now + config.leaseTtl().toNanos() - lease.renewedAgo().toNanos();
    nextRenewNanos = now + config.leaseTtl().toNanos() / 3 - lease.renewedAgo().toNanos();
    synchronized (roleLock) {
      if (closed) {
        return;
      }
      role = FleetStatus.Role.LEADER;
    }
    published.clear();
    host.startWatching();
    log.warn(
        "fleet {}: {} leads with epoch {} (before: {} with epoch {}); starting from {} published"
            + " verdicts",
        config.name(),
        config.instanceId(),
        epoch,
        before,
        was,
        all.verdicts().size());
    publish(now, true);
    for (NetworkMonitor m : host.monitors()) {
      confirmedNanos.put(m.config.name(), now);
    }
    fireChange();
  }

  /**
   * Stops leading at once: no publication from now on, no provider watched. Safe from any thread:
   * the guard calls it while the fleet's thread may be stuck in a call to the store.
   */
  private void stepDown(String why) {
    synchronized (roleLock) {
      if (role != FleetStatus.Role.LEADER) {
        return;
      }
      role = FleetStatus.Role.FOLLOWER;
    }
    leader = null;
    host.stopWatching();
    int dropped;
    synchronized (audit) {
      dropped = audit.size();
      audit.clear();
    }
    log.error(
        "fleet {}: {} stops leading (epoch {}): {}; it publishes nothing more and follows{}",
        config.name(),
        config.instanceId(),
        epoch,
        SafeText.escape(why),
        dropped == 0 ? "" : " (" + dropped + " audit rows of its last moments not written)");
    fireChange();
    wake();
  }

  /**
   * Writes every network whose verdict changed (state, reason, a token's state), and those whose
   * head moved once {@code headRefresh} passed, with the queued audit rows, fenced by the epoch.
   */
  private void publish(long now, boolean all) {
    Map<String, List<TokenStatus>> tokens = new LinkedHashMap<>();
    for (TokenEntry e : host.tokens()) {
      tokens
          .computeIfAbsent(e.network, n -> new ArrayList<>())
          .add(
              new TokenStatus(
                  e.symbol(),
                  e.network,
                  e.config.contract(),
                  e.deposit.autoStatus(),
                  e.withdrawal.autoStatus()));
    }
    List<NetworkVerdict> changed = new ArrayList<>();
    Map<String, Published> next = new HashMap<>();
    long refresh = config.headRefresh().toNanos();
    for (NetworkMonitor m : host.monitors()) {
      String name = m.config.name();
      NetworkStatus s = m.status();
      NetworkVerdict before = inherited.get(name);
      if ((s.health() == NetworkHealth.STARTING || s.head() == null) && before != null) {
        s = before.network(); // a fresh view has nothing better to say than the last verdict
      }
      List<TokenStatus> ts = tokens.getOrDefault(name, List.of());
      String fingerprint = fingerprint(s, ts);
      Long head = s.head() == null ? null : s.head().number();
      Published last = published.get(name);
      boolean due =
          all
              || last == null
              || !last.fingerprint().equals(fingerprint)
              || (!Objects.equals(last.head(), head) && now - last.atNanos() >= refresh);
      if (due) {
        changed.add(new NetworkVerdict(s, ts, epoch, null, 0));
        next.put(name, new Published(fingerprint, head, now));
      }
    }
    List<TokenTransition> rows;
    synchronized (audit) {
      rows = List.copyOf(audit);
      audit.clear();
    }
    if (changed.isEmpty() && rows.isEmpty()) {
      return;
    }
    try {
      store.publish(config.name(), config.instanceId(), epoch, changed, rows);
    } catch (FencedException e) {
      throw e;
    } catch (RuntimeException e) {
      synchronized (audit) {
        audit.addAll(0, rows); // written with the next publication that gets through
      }
      throw e;
    }
    contact();
    published.putAll(next);
    for (NetworkVerdict v : changed) {
      inherited.put(v.name(), v);
    }
  }

  /** What a follower would see change: health, reason, since, and each token's states. */
  private static String fingerprint(NetworkStatus s, List<TokenStatus> tokens) {
    StringBuilder b = new StringBuilder(64 + tokens.size() * 48);
    b.append(s.health()).append('|').append(s.reason()).append('|').append(s.since());
    for (TokenStatus t : tokens) {
      b.append('|').append(t.symbol());
      append(b, t.deposit());
      append(b, t.withdrawal());
    }
    return b.toString();
  }

  private static void append(StringBuilder b, DirectionStatus d) {
    b.append(',').append(d.state()).append(',').append(d.reason()).append(',').append(d.since());
  }

  private void guardSafely() {
    if (closed) {
      return;
    }
    try {
      guard();
    } catch (RuntimeException e) {
      log.error("fleet {}: staleness check failed", config.name(), e);
    }
  }

  /**
   * Runs on the engine's scheduler: a leader whose lease ran out by its own ticker stops leading;
   * every network whose newest verdict is older than {@code staleAfter} is held with VIEW_STALE,
   * and released once a fresh one is here.
   */
  void guard() {
    long now = ticker.read();
    if (leads() && now - leaseUntilNanos >= 0) {
      stepDown("the lease ran out before it could be renewed (the store did not answer)");
    }
    long bound = config.staleAfter().toNanos();
    Instant wall = clock.instant();
    List<String> newlyHeld = new ArrayList<>();
    for (NetworkMonitor m : host.monitors()) {
      String name = m.config.name();
      Long confirmed = confirmedNanos.get(name);
      long age = now - (confirmed == null ? startNanos : confirmed);
      boolean stale = age > bound;
      if (stale && held.add(name)) {
        newlyHeld.add(name);
        String detail =
            "no fresh verdict from the fleet's leader for "
                + DirectionBreaker.human(Duration.ofNanos(age))
                + " (bound "
                + DirectionBreaker.human(config.staleAfter())
                + ")"
                + (problem == null ? "" : "; the store: " + SafeText.escape(problem));
        hold(name, wall, detail);
      } else if (!stale && held.remove(name)) {
        hold(name, wall, null);
      }
    }
    if (!newlyHeld.isEmpty()) {
      log.error(
          "fleet {}: {} network(s) held with VIEW_STALE: no verdict newer than {} ({}{}){}",
          config.name(),
          newlyHeld.size(),
          config.staleAfter(),
          String.join(", ", newlyHeld.subList(0, Math.min(10, newlyHeld.size()))),
          newlyHeld.size() > 10 ? ", ..." : "",
          problem == null ? "" : "; the store: " + SafeText.escape(problem));
    }
  }

  /**
   * Holds every token of {@code network} with {@code VIEW_STALE} and {@code detail}, or releases
   * that hold when {@code detail} is null, and publishes the transitions.
   */
  private void hold(String network, Instant now, @Nullable String detail) {
    List<TokenTransition> transitions = new ArrayList<>();
    for (TokenEntry e : host.tokens()) {
      if (e.network.equals(network)) {
        for (DirectionBreaker b : List.of(e.deposit, e.withdrawal)) {
          TokenTransition t = detail == null ? b.releaseViewHold(now) : b.holdForView(now, detail);
          if (t != null) {
            transitions.add(t);
          }
        }
      }
    }
    if (detail == null && !transitions.isEmpty()) {
      log.warn("fleet {}: network {} has a fresh verdict again", config.name(), network);
    }
    host.publish(network, transitions);
  }

  /** This instance's place in the fleet now. */
  FleetStatus status() {
    long now = ticker.read();
    Map<String, Duration> ages = new LinkedHashMap<>();
    for (NetworkMonitor m : host.monitors()) {
      Long confirmed = confirmedNanos.get(m.config.name());
      ages.put(
          m.config.name(), Duration.ofNanos(now - (confirmed == null ? startNanos : confirmed)));
    }
    return new FleetStatus(
        role,
        config.name(),
        config.instanceId(),
        leader,
        epoch,
        lastContact,
        problem,
        config.staleAfter(),
        ages);
  }

  private void fireChange() {
    FleetStatus s = status();
    for (Consumer<? super FleetStatus> l : listeners) {
      try {
        l.accept(s);
      } catch (RuntimeException e) {
        log.warn("fleet change listener {} failed", l, e);
      }
    }
  }

  /** Gives the lease up (so another instance takes over at once) and stops. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (cycleTask != null) {
      cycleTask.cancel(false);
    }
    if (guardTask != null) {
      guardTask.cancel(false);
    }
    if (leads()) {
      try {
        publish(ticker.read(), false); // what is queued, before letting go
      } catch (RuntimeException e) {
        log.debug("last publication failed: {}", e.toString());
      }
      try {
        store.release(config.name(), config.instanceId(), epoch);
        log.info(
            "fleet {}: {} released the lease (epoch {})",
            config.name(),
            config.instanceId(),
            epoch);
      } catch (RuntimeException e) {
        log.warn(
            "fleet {}: the lease could not be released ({}); it expires in at most {}",
            config.name(),
            SafeText.escape(String.valueOf(e.getMessage())),
            config.leaseTtl());
      }
      role = FleetStatus.Role.FOLLOWER;
    }
  }
}
