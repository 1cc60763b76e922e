package io.chainbreaker;

import io.chainbreaker.chain.RpcUrl;
import io.chainbreaker.store.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the catalog in force and changes it: one immutable {@link Listing} read through one
 * volatile field, replaced whole by each change under one lock (queries never lock and never see
 * half a change); it opens and reuses endpoints, keeps breakers' state across changes, retires
 * delisted tokens, and starts or stops every monitor as this instance starts or stops watching.
 */
final class LiveCatalog {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  private final Clock clock;
  private final MonitorContext context;
  private final Breakers breakers;
  private final Waiters waiters;
  private final StateStore store;
  private final EventPublisher events;
  private final BooleanSupplier holdsForStore;

  /** Catalog changes are applied one at a time under this lock; queries never take it. */
  private final Object changeLock = new Object();

  private volatile Listing listing;

  /** Whether the monitors watch now: after start() alone, or while this fleet member leads. */
  private volatile boolean watching;

  private volatile boolean closed;

  /**
   * @param holdsForStore whether every breaker is held because the store could not be read at
   *     start: a token listed then is not allowed at once
   */
  LiveCatalog(
      Catalog initial,
      Clock clock,
      MonitorContext context,
      Breakers breakers,
      Waiters waiters,
      StateStore store,
      EventPublisher events,
      BooleanSupplier holdsForStore) {
    this.clock = clock;
    this.context = context;
    this.breakers = breakers;
    this.waiters = waiters;
    this.store = store;
    this.events = events;
    this.holdsForStore = holdsForStore;
    Instant now = clock.instant();
    Map<String, NetworkMonitor> monitors = new LinkedHashMap<>();
    for (NetworkConfig n : initial.networks()) {
      monitors.put(n.name(), new NetworkMonitor(n, openEndpoints(n, null), context));
    }
    List<TokenEntry> entries = new ArrayList<>();
    for (TokenConfig t : initial.tokens()) {
      TokenEntry e =
          breakers.newEntry(
              t,
              Objects.requireNonNull(
                  monitors.get(t.network()), "every token is on a listed network"),
              now);
      e.monitor.breakers.add(e.deposit);
      e.monitor.breakers.add(e.withdrawal);
      entries.add(e);
    }
    this.listing = new Listing(initial, monitors, entries);
  }

  /** The catalog in force now. */
  Listing listing() {
    return listing;
  }

  /**
   * Starts every monitor, spreading their first polls; returns the shortest poll interval in
   * nanoseconds. Under the change lock, so that no change runs half before.
   */
  long startWatching() {
    synchronized (changeLock) {
      watching = true;
      return startMonitors(List.copyOf(listing.networks.values()));
    }
  }

  /** Stops every monitor; no change is applied after. */
  void close() {
    closed = true; // before the lock: a change waiting for it is refused
    synchronized (changeLock) {
      for (NetworkMonitor m : listing.networks.values()) {
        m.stop();
      }
    }
  }

  /**
   * Applies {@code change} whole or not at all.
   *
   * @throws IllegalStateException if closed
   * @throws IllegalArgumentException naming what is wrong; nothing is then changed
   */
  void change(CatalogChange change) {
    synchronized (changeLock) {
      if (closed) {
        throw new IllegalStateException("this ChainBreaker is closed");
      }
      apply(change);
    }
  }

  /**
   * Applies the change {@code change} computes from the listing in force, if not null, then runs
   * {@code applied}, all under the change lock; nothing if closed. What a catalog source's sync
   * does, reading and changing as one step.
   */
  void changeFrom(Function<Listing, @Nullable CatalogChange> change, Runnable applied) {
    synchronized (changeLock) {
      if (closed) {
        return;
      }
      CatalogChange c = change.apply(listing);
      if (c != null) {
        apply(c);
      }
      applied.run();
    }
  }

  /**
   * Replaces every network's monitor by a fresh one over freshly opened endpoints (the breakers
   * kept, with their state), started or not: a fleet member that starts leading watches from a view
   * of its own, and one that stops leading sends no request to any provider.
   */
  void replaceMonitors(boolean start) {
    synchronized (changeLock) {
      if (closed || watching == start) {
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
  private static long startMonitors(List<NetworkMonitor> monitors) {
    // Spread the first polls, so that the networks' requests do not all leave in the same
    // millisecond every period: first polls (chain id, syncing, head) leave at most ~500 networks
    // a second, over at most 2 s (never longer than the shortest poll interval): no burst at any
    // provider, all allowed soon.
    long spread = shortestPoll(monitors);
    long firstPolls = Math.min(spread, Math.min(2_000_000_000L, 2_000_000L * monitors.size()));
    int i = 0;
    for (NetworkMonitor m : monitors) {
      m.start(monitors.size() == 1 ? 0 : firstPolls * i++ / monitors.size());
    }
    return spread;
  }

  /** The shortest poll interval of {@code monitors}, in nanoseconds. */
  static long shortestPoll(List<NetworkMonitor> monitors) {
    return monitors.stream().mapToLong(m -> m.config.pollInterval().toNanos()).min().orElse(1);
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
          // Kept only if nothing its state depends on changed: that state stays true of it.
          if (e.url().equals(url) && e.keeps(settings)) {
            kept = e;
          }
        }
      }
      trackers.add(
          kept != null
              ? kept
              : new EndpointTracker(
                  settings, url, context.headSources().open(settings.source(), url)));
    }
    return trackers;
  }

  /** Applies a validated change; under {@link #changeLock}. */
  private void apply(CatalogChange change) {
    Listing old = listing;
    Catalog next = CatalogCheck.next(old.catalog, change);
    CatalogCheck.validate(next);
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
        e = breakers.newEntry(t, m, now);
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
      EndpointTracker.Settings settings = EndpointTracker.Settings.of(r.getValue());
      for (EndpointTracker e :
          Objects.requireNonNull(replacedEndpoints.get(r.getKey()), "put beside replaced")) {
        e.adopt(settings);
      }
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
          && !holdsForStore.getAsBoolean()
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

  /** Takes a token out of service: its breakers say DELISTED, its waiters fail. */
  private void retire(TokenEntry e, Instant now) {
    e.monitor.breakers.remove(e.deposit);
    e.monitor.breakers.remove(e.withdrawal);
    for (Direction d : Direction.values()) {
      DirectionBreaker b = e.breaker(d);
      b.retire(now);
      breakers.remove(e.config, d);
      waiters.retire(e, b);
    }
  }
}
