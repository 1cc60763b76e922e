package io.chainbreaker.store;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.CatalogChange;
import io.chainbreaker.Direction;
import io.chainbreaker.Reason;
import io.chainbreaker.TokenConfig;
import io.chainbreaker.TokenTransition;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link StateStore} in this JVM's memory: overrides survive an engine restart within the process
 * and are shared by engines built on the same instance, not across processes. Keeps the newest
 * {@code capacity} audit records (default 10,000); what {@link #remembered()} restores is kept
 * apart, for every token, however old. Never refuses a write.
 */
public final class InMemoryStateStore implements StateStore {

  private final int capacity;
  private final String instance;
  private final Map<TokenKey, BreakerOverride> overrides = new LinkedHashMap<>();
  private final Deque<AuditRecord> trail = new ArrayDeque<>();
  private final Map<TokenKey, TokenTransition> last = new LinkedHashMap<>();
  private final Map<TokenKey, TokenTransition> remembered = new LinkedHashMap<>();
  private final Map<TokenKey, TokenTransition> sinceDelisting = new LinkedHashMap<>();
  private final Deque<CatalogRecord> catalogTrail = new ArrayDeque<>();
  private long nextId = 1;

  /** A store keeping the newest 10,000 audit records. */
  public InMemoryStateStore() {
    this(10_000);
  }

  /** A store keeping the newest {@code capacity} audit records. */
  public InMemoryStateStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive but was " + capacity);
    }
    this.capacity = capacity;
    this.instance = InstanceId.defaultId();
  }

  @Override
  public synchronized List<BreakerOverride> overrides() {
    return List.copyOf(overrides.values());
  }

  @Override
  public synchronized void putOverride(BreakerOverride override) {
    overrides.put(key(override.symbol(), override.network(), override.direction()), override);
  }

  @Override
  public synchronized void removeOverride(String symbol, String network, Direction direction) {
    overrides.remove(key(symbol, network, direction));
  }

  @Override
  public synchronized void append(TokenTransition transition) {
    trail.addLast(new AuditRecord(nextId++, transition, instance));
    if (trail.size() > capacity) {
      trail.removeFirst();
    }
    TokenKey key = key(transition.symbol(), transition.network(), transition.direction());
    last.put(key, transition);
    sinceDelisting.put(key, transition);
    if (transition.reason() != Reason.OPERATOR) {
      remembered.put(key, transition);
    }
  }

  @Override
  public synchronized List<TokenTransition> remembered() {
    return Remembered.of(sinceDelisting, remembered);
  }

  @Override
  public synchronized List<TokenTransition> lastTransitions() {
    return List.copyOf(last.values());
  }

  @Override
  public synchronized List<AuditRecord> audit(String symbol, Instant from, Instant to, int limit) {
    List<AuditRecord> result = new ArrayList<>();
    for (AuditRecord r : trail) {
      Instant at = r.transition().at();
      if (r.transition().symbol().equals(symbol) && !at.isBefore(from) && at.isBefore(to)) {
        result.add(r);
        if (result.size() == limit) {
          break;
        }
      }
    }
    return result;
  }

  /** Every kept transition, oldest first. */
  public synchronized List<TokenTransition> transitions() {
    List<TokenTransition> result = new ArrayList<>(trail.size());
    trail.forEach(r -> result.add(r.transition()));
    return result;
  }

  @Override
  public synchronized void append(CatalogChange change, Instant at) {
    catalogTrail.addLast(
        new CatalogRecord(nextId++, change.describe(), change.actor(), at, instance));
    for (TokenConfig t : change.removeTokens()) {
      for (Direction d : Direction.values()) {
        remembered.remove(key(t.symbol(), t.network(), d));
        sinceDelisting.remove(key(t.symbol(), t.network(), d));
      }
    }
    if (catalogTrail.size() > capacity) {
      catalogTrail.removeFirst();
    }
  }

  @Override
  public synchronized List<CatalogRecord> catalogAudit(Instant from, Instant to, int limit) {
    List<CatalogRecord> result = new ArrayList<>();
    for (CatalogRecord r : catalogTrail) {
      if (!r.at().isBefore(from) && r.at().isBefore(to) && result.size() < limit) {
        result.add(r);
      }
    }
    return result;
  }

  private static TokenKey key(String symbol, String network, Direction direction) {
    return new TokenKey(symbol, network, direction);
  }
}
