package io.chainbreaker;

import io.chainbreaker.store.StateStore;
import io.chainbreaker.store.StateStoreFullException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators' overrides and what the state store remembers: restores suspensions and overrides at
 * start (failing closed while the store cannot be read), puts operators' overrides in force and in
 * the store, and brings this instance in line with overrides made on others. Knows the tokens only
 * through {@link Tokens}, never the engine.
 */
final class Overrides {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  /** The tokens in force, as the engine's catalog holds them now. */
  interface Tokens {
    /** The token {@code symbol} on {@code network}, or null if it is not listed. */
    @Nullable TokenEntry find(String symbol, String network);

    /** Every listed token. */
    List<TokenEntry> all();
  }

  private final StateStore store;
  private final Clock clock;
  private final EventPublisher events;
  private final Duration syncInterval;
  private final Tokens tokens;
  private final AtomicLong epoch = new AtomicLong();
  private final AtomicBoolean syncing = new AtomicBoolean();

  /** Operators' writes, one at a time: the store's order is the breakers' order. */
  private final Object writes = new Object();

  /** Whether the store could not be read at start and every breaker is held until it answers. */
  private volatile boolean storeUnread;

  /**
   * Tokens held SUSPENDED with STORE_UNAVAILABLE because the store's full queue refused one of
   * their writes, until the store has caught up.
   */
  private final Set<TokenId> heldForBacklog = ConcurrentHashMap.newKeySet();

  private Instant storeUnreadSince = Instant.EPOCH;

  Overrides(
      StateStore store, Clock clock, EventPublisher events, Duration syncInterval, Tokens tokens) {
    this.store = store;
    this.clock = clock;
    this.events = events;
    this.syncInterval = syncInterval;
    this.tokens = tokens;
  }

  /** Whether every breaker is held because the store could not be read at start. */
  boolean holdsForStore() {
    return storeUnread;
  }

  /**
   * Restores what the store remembers (suspensions from before a restart, overrides). If the store
   * cannot be read, fails closed: every breaker is held SUSPENDED with reason {@link
   * Reason#STORE_UNAVAILABLE} and the read is retried on every {@link #sync}.
   */
  void restore() {
    Instant now = clock.instant();
    List<TokenTransition> lasts;
    List<BreakerOverride> overrides;
    try {
      // The whole trail's word, not its newest row: see StateStore's "Restoring after a restart".
      lasts = store.remembered();
      overrides = store.overrides();
    } catch (RuntimeException ex) {
      storeUnreadSince = now;
      storeUnread = true;
      String detail =
          "the state store could not be read at start (suspensions and overrides from"
              + " before it are unknown); retrying every "
              + syncInterval;
      for (TokenEntry e : tokens.all()) {
        for (Direction d : Direction.values()) {
          e.breaker(d).holdForStore(now, detail);
        }
      }
      log.error(
          "state store could not be read at start: {}; failing closed: every token stays"
              + " SUSPENDED with reason STORE_UNAVAILABLE until the store answers (retried every {}),"
              + " then recovers by its recovery rule",
          SafeText.escape(ex),
          syncInterval);
      return;
    }
    for (TokenTransition last : lasts) {
      TokenEntry e = tokens.find(last.symbol(), last.network());
      if (e != null) {
        e.breaker(last.direction()).restore(last);
      }
    }
    applyStored(overrides, now, false);
  }

  /** Puts the store's unexpired overrides in force; publishes them unless still constructing. */
  private int applyStored(List<BreakerOverride> overrides, Instant now, boolean publish) {
    int applied = 0;
    for (BreakerOverride o : overrides) {
      TokenEntry e = tokens.find(o.symbol(), o.network());
      if (e == null) {
        log.warn(
            "state store holds an override for {} on {}, which is not listed; ignored",
            SafeText.escape(o.symbol()),
            SafeText.escape(o.network()));
      } else if (!o.expiredAt(now)) {
        TokenTransition t =
            e.breaker(o.direction()).setOverride(o, now, publish ? e.head() : null, o.actor());
        if (t != null && publish) {
          events.transitions(e.network, List.of(t));
        }
        applied++;
      }
    }
    return applied;
  }

  /**
   * Once more reads the store that could not be read at start; when it answers, restores its
   * suspensions and overrides and ends the hold of every breaker, which then recovers by its rule.
   * Returns whether the store answered.
   */
  private boolean retryStoreRead() {
    List<TokenTransition> lasts;
    List<BreakerOverride> overrides;
    try {
      lasts = store.remembered();
      overrides = store.overrides();
    } catch (RuntimeException e) {
      log.debug("state store still unreadable: {}", SafeText.escape(e.getMessage()));
      return false;
    }
    Instant now = clock.instant();
    Map<Key, TokenTransition> lastByKey = new HashMap<>();
    for (TokenTransition t : lasts) {
      lastByKey.put(key(t.symbol(), t.network(), t.direction()), t);
    }
    int applied = applyStored(overrides, now, true);
    int remembered = 0;
    for (TokenEntry e : tokens.all()) {
      List<TokenTransition> transitions = new ArrayList<>(2);
      for (Direction d : Direction.values()) {
        TokenTransition last = lastByKey.get(new Key(e.id, d));
        if (last != null && last.to() != BreakerState.ALLOWED) {
          remembered++;
        }
        TokenTransition t = e.breaker(d).releaseStoreHold(last, now, e.head());
        if (t != null) {
          transitions.add(t);
        }
      }
      events.transitions(e.network, transitions);
    }
    storeUnread = false;
    log.warn(
        "state store readable again after {}: {} remembered suspensions and {} overrides"
            + " restored; every token recovers by its recovery rule before it allows",
        Duration.between(storeUnreadSince, now),
        remembered,
        applied);
    for (TokenEntry e : tokens.all()) {
      e.monitor.evaluateSoon();
    }
    return true;
  }

  /**
   * Holds both directions of {@code token} SUSPENDED with {@link Reason#STORE_UNAVAILABLE}: the
   * store's full queue refused one of its writes, so the trail no longer tells its story whole.
   * Released by {@link #sync} once the store has caught up, then the token recovers by its rule.
   * Call it outside any breaker's lock.
   */
  void holdForBacklog(TokenId token) {
    TokenEntry e = tokens.find(token.symbol(), token.network());
    if (e == null || !heldForBacklog.add(token)) {
      return;
    }
    Instant now = clock.instant();
    String detail =
        "the state store's queue is full (the database is behind), so a write of this token could"
            + " not be kept; held until the store has caught up";
    List<TokenTransition> transitions = new ArrayList<>(2);
    for (Direction d : Direction.values()) {
      TokenTransition t = e.breaker(d).holdForStore(now, detail);
      if (t != null) {
        transitions.add(t);
      }
    }
    log.error(
        "{} on {} held SUSPENDED with reason STORE_UNAVAILABLE: the state store's queue is full"
            + " and refused one of its writes; released when the store has caught up, then it"
            + " recovers by its recovery rule",
        e.symbol(),
        e.network);
    events.transitions(e.network, transitions);
  }

  /** Ends the holds of {@link #holdForBacklog} once the store has caught up. */
  private void releaseBacklogHolds() {
    if (heldForBacklog.isEmpty() || !store.caughtUp()) {
      return;
    }
    Instant now = clock.instant();
    for (TokenId held : List.copyOf(heldForBacklog)) {
      heldForBacklog.remove(held);
      TokenEntry e = tokens.find(held.symbol(), held.network());
      if (e == null) {
        continue;
      }
      List<TokenTransition> transitions = new ArrayList<>(2);
      for (Direction d : Direction.values()) {
        TokenTransition t = e.breaker(d).releaseStoreHold(null, now, e.head());
        if (t != null) {
          transitions.add(t);
        }
      }
      log.warn(
          "{} on {}: the state store has caught up (its lost writes are recorded in the trail);"
              + " the token recovers by its recovery rule before it allows",
          e.symbol(),
          e.network);
      events.transitions(e.network, transitions);
      e.monitor.evaluateSoon();
    }
  }

  /**
   * Brings the overrides in force here in line with the store, so that an override made on another
   * instance applies here too. Runs on the I/O pool; a failing store leaves the overrides as they
   * are. A local override change during the read wins: the read is discarded.
   */
  void sync() {
    if (!syncing.compareAndSet(false, true)) {
      return;
    }
    try {
      if (storeUnread && !retryStoreRead()) {
        return;
      }
      releaseBacklogHolds();
      long seen = epoch.get();
      List<BreakerOverride> stored;
      try {
        stored = store.overrides();
      } catch (RuntimeException e) {
        log.debug("override sync skipped: {}", SafeText.escape(e.getMessage()));
        return;
      }
      Instant now = clock.instant();
      Map<Key, BreakerOverride> wanted = new HashMap<>();
      for (BreakerOverride o : stored) {
        if (!o.expiredAt(now)) {
          wanted.put(key(o.symbol(), o.network(), o.direction()), o);
        }
      }
      for (TokenEntry e : tokens.all()) {
        List<TokenTransition> transitions = new ArrayList<>(2);
        for (Direction d : Direction.values()) {
          DirectionBreaker b = e.breaker(d);
          BreakerOverride have = b.override();
          BreakerOverride want = wanted.get(new Key(e.id, d));
          if (Objects.equals(have, want)
              || (want == null && have != null && have.expiredAt(now))
              || epoch.get() != seen) {
            continue;
          }
          TokenTransition t =
              b.replaceOverride(
                  have, want, now, e.head(), want != null ? want.actor() : "another instance");
          if (t != null) {
            transitions.add(t);
            log.warn(
                "override of {} on {} {} {} by the state store (made on another instance{})",
                e.symbol(),
                e.network,
                d,
                want == null ? "cleared" : "set to " + want.state(),
                want == null ? "" : " by " + SafeText.escape(want.actor()));
          }
        }
        events.transitions(e.network, transitions);
      }
    } finally {
      syncing.set(false);
    }
  }

  /**
   * Forces {@code direction} of {@code e} to {@code state}; see {@link ChainBreaker#forceSuspend}.
   */
  BreakerOverride force(
      TokenEntry e,
      Direction direction,
      BreakerState state,
      String actor,
      String note,
      @Nullable Duration ttl) {
    Objects.requireNonNull(direction, "direction");
    // Checked here, before anything is queued for the store: text the database would refuse or
    // cut must never get as far as the store (see BreakerOverride.validate).
    BreakerOverride.validate(actor, note, ttl);
    BreakerOverride o;
    TokenTransition t;
    // One operator write at a time, store then breaker: two concurrent writes of one token must
    // leave the breaker with what the store keeps (else a sync would apply it, and audit, again).
    synchronized (writes) {
      epoch.incrementAndGet();
      // Millisecond precision: what every database stores, so the copy read back is equal.
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      o =
          new BreakerOverride(
              e.symbol(),
              e.network,
              direction,
              state,
              actor,
              note,
              now,
              ttl == null ? null : now.plus(ttl));
      try {
        store.putOverride(o);
      } catch (StateStoreFullException full) {
        if (state != BreakerState.SUSPENDED) {
          // Fail closed: an allowance the trail cannot keep is not given.
          throw new IllegalStateException(
              "override of "
                  + e.symbol()
                  + " on "
                  + e.network
                  + " "
                  + direction
                  + " not applied: "
                  + full.getMessage()
                  + "; try again when the database has caught up",
              full);
        }
        // A suspension is put in force here even so; the token is held until the store catches up.
        log.error(
            "state store queue full: the override of {} on {} {} is in force on this instance only",
            e.symbol(),
            e.network,
            direction);
        holdForBacklog(e.id);
      } catch (RuntimeException ex) {
        log.error(
            "state store failed to save the override of {} on {} {}; in force on this instance"
                + " only: {}",
            e.symbol(),
            e.network,
            direction,
            SafeText.escape(ex));
      }
      t = e.breaker(direction).setOverride(o, now, e.head(), actor);
    }
    log.warn(
        "override: {} forced {} on {} {} to {} until {}: {}",
        SafeText.escape(actor),
        e.symbol(),
        e.network,
        direction,
        state,
        o.expiresAt() == null ? "cleared" : o.expiresAt(),
        SafeText.escape(note));
    events.transitions(e.network, t == null ? List.of() : List.of(t));
    e.monitor.evaluateSoon();
    return o;
  }

  /**
   * Clears the override of {@code direction} of {@code e}; see {@link ChainBreaker#clearOverride}.
   */
  void clear(TokenEntry e, Direction direction, String actor) {
    Objects.requireNonNull(direction, "direction");
    BreakerOverride.validate(actor, null, null);
    TokenTransition t;
    synchronized (writes) {
      epoch.incrementAndGet();
      try {
        store.removeOverride(e.symbol(), e.network, direction);
      } catch (StateStoreFullException full) {
        // Fail closed: clearing may allow, and the trail could not keep it.
        throw new IllegalStateException(
            "override of "
                + e.symbol()
                + " on "
                + e.network
                + " "
                + direction
                + " not cleared: "
                + full.getMessage()
                + "; try again when the database has caught up",
            full);
      } catch (RuntimeException ex) {
        log.error(
            "state store failed to remove the override of {} on {} {}: {}",
            e.symbol(),
            e.network,
            direction,
            SafeText.escape(ex));
      }
      t = e.breaker(direction).setOverride(null, clock.instant(), e.head(), actor);
    }
    log.warn(
        "override: {} cleared the override of {} on {} {}",
        SafeText.escape(actor),
        e.symbol(),
        e.network,
        direction);
    events.transitions(e.network, t == null ? List.of() : List.of(t));
    e.monitor.evaluateSoon();
  }

  /**
   * A row read from the store, keyed as the tokens in force are. Its text is not checked: a row
   * naming what no {@link TokenConfig} could (hostile or corrupt) just matches no token.
   */
  private static Key key(String symbol, String network, Direction direction) {
    return new Key(TokenId.trusted(symbol, network), direction);
  }

  /** One token's one direction. */
  private record Key(TokenId token, Direction direction) {}
}
