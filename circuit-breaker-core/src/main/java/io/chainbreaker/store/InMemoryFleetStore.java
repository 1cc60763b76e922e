package io.chainbreaker.store;

import io.chainbreaker.NetworkVerdict;
import io.chainbreaker.TokenTransition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FleetStore} in this JVM's memory, shared by the engines built on the same instance: the
 * fleet of one process, for tests (on virtual time: its clock is the one given) and for trying the
 * fleet without a database. The audit rows the leader publishes go to the {@link StateStore} given,
 * if any.
 */
public final class InMemoryFleetStore implements FleetStore {

  private static final class LeaseRow {
    @Nullable String holder;
    long epoch;
    Instant renewedAt = Instant.EPOCH;
    Instant expiresAt = Instant.EPOCH;
  }

  private final Clock clock;
  private final @Nullable StateStore audit;
  private final Map<String, LeaseRow> leases = new HashMap<>();
  private final Map<String, Map<String, NetworkVerdict>> verdicts = new HashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final InMemoryOutbox outbox;
  private long seq;
  private volatile boolean unavailable;

  /** A store on {@code clock}, keeping no audit rows. */
  public InMemoryFleetStore(Clock clock) {
    this(clock, null);
  }

  /** A store on {@code clock} that appends the leader's audit rows to {@code audit}. */
  public InMemoryFleetStore(Clock clock, @Nullable StateStore audit) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.audit = audit;
    this.outbox = new InMemoryOutbox(clock, 10_000, this::holds);
  }

  private synchronized boolean holds(Fence f) {
    check();
    LeaseRow r = row(f.fleet());
    return f.instance().equals(r.holder)
        && r.epoch == f.epoch()
        && r.expiresAt.isAfter(clock.instant());
  }

  @Override
  public Outbox outbox() {
    return outbox;
  }

  /**
   * Makes every call fail (as a database that went away) until called again with false: for tests
   * of what the fleet does when its store is gone.
   */
  public void unavailable(boolean gone) {
    this.unavailable = gone;
  }

  private void check() {
    if (unavailable) {
      throw new StateStoreException("fleet store unavailable");
    }
  }

  private LeaseRow row(String fleet) {
    return leases.computeIfAbsent(fleet, f -> new LeaseRow());
  }

  private Lease view(LeaseRow r, Instant now) {
    return new Lease(
        r.holder,
        r.epoch,
        Duration.between(now, r.expiresAt),
        r.holder == null ? Duration.ZERO : Duration.between(r.renewedAt, now));
  }

  @Override
  public synchronized Lease acquire(String fleet, String instance, Duration ttl) {
    check();
    Instant now = clock.instant();
    LeaseRow r = row(fleet);
    if (r.holder == null || !r.expiresAt.isAfter(now)) {
      r.holder = instance;
      r.epoch++;
      r.renewedAt = now;
      r.expiresAt = now.plus(ttl);
    }
    return view(r, now);
  }

  @Override
  public synchronized boolean renew(String fleet, String instance, long epoch, Duration ttl) {
    check();
    Instant now = clock.instant();
    LeaseRow r = row(fleet);
    if (!instance.equals(r.holder) || r.epoch != epoch || !r.expiresAt.isAfter(now)) {
      return false;
    }
    r.renewedAt = now;
    r.expiresAt = now.plus(ttl);
    return true;
  }

  @Override
  public synchronized void release(String fleet, String instance, long epoch) {
    check();
    LeaseRow r = row(fleet);
    if (instance.equals(r.holder) && r.epoch == epoch) {
      r.holder = null;
      r.expiresAt = clock.instant();
    }
  }

  @Override
  public void publish(
      String fleet,
      String instance,
      long epoch,
      List<NetworkVerdict> published,
      List<TokenTransition> rows) {
    synchronized (this) {
      check();
      Instant now = clock.instant();
      LeaseRow r = row(fleet);
      if (!instance.equals(r.holder) || r.epoch != epoch || !r.expiresAt.isAfter(now)) {
        throw new FencedException(
            "publish by "
                + instance
                + " with epoch "
                + epoch
                + " refused: the lease is held by "
                + r.holder
                + " with epoch "
                + r.epoch
                + (r.expiresAt.isAfter(now) ? "" : " (expired)"));
      }
      Map<String, NetworkVerdict> byNetwork =
          verdicts.computeIfAbsent(fleet, f -> new LinkedHashMap<>());
      for (NetworkVerdict v : published) {
        NetworkVerdict old = byNetwork.get(v.name());
        if (old == null || old.epoch() <= epoch) {
          byNetwork.put(v.name(), new NetworkVerdict(v.network(), v.tokens(), epoch, now, ++seq));
        }
      }
      if (audit != null) {
        rows.forEach(audit::append);
      }
    }
    listeners.forEach(Runnable::run);
  }

  @Override
  public synchronized Read read(String fleet, long afterSeq) {
    check();
    Instant now = clock.instant();
    List<NetworkVerdict> after = new ArrayList<>();
    for (NetworkVerdict v : verdicts.getOrDefault(fleet, Map.of()).values()) {
      if (v.seq() > afterSeq) {
        after.add(v);
      }
    }
    after.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    return new Read(view(row(fleet), now), after);
  }

  @Override
  public void listen(Runnable onChange) {
    listeners.add(onChange);
  }
}
