package io.chainbreaker.store;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.Direction;
import io.chainbreaker.TokenTransition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link StateStore} in this JVM's memory: overrides survive an engine restart within the process,
 * not a process restart. Keeps the newest {@code capacity} transitions (default 10,000).
 */
public final class InMemoryStateStore implements StateStore {

  private final int capacity;
  private final Map<String, BreakerOverride> overrides = new LinkedHashMap<>();
  private final Deque<TokenTransition> trail = new ArrayDeque<>();
  private final Map<String, TokenTransition> last = new HashMap<>();

  /** A store keeping the newest 10,000 transitions. */
  public InMemoryStateStore() {
    this(10_000);
  }

  /** A store keeping the newest {@code capacity} transitions. */
  public InMemoryStateStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive but was " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public synchronized List<BreakerOverride> overrides() {
    return List.copyOf(overrides.values());
  }

  @Override
  public synchronized void putOverride(BreakerOverride override) {
    overrides.put(key(override.token(), override.direction()), override);
  }

  @Override
  public synchronized void removeOverride(String token, Direction direction) {
    overrides.remove(key(token, direction));
  }

  @Override
  public synchronized void append(TokenTransition transition) {
    trail.addLast(transition);
    if (trail.size() > capacity) {
      trail.removeFirst();
    }
    last.put(key(transition.token(), transition.direction()), transition);
  }

  @Override
  public synchronized Optional<TokenTransition> lastTransition(String token, Direction direction) {
    return Optional.ofNullable(last.get(key(token, direction)));
  }

  /** The kept transitions, oldest first. */
  public synchronized List<TokenTransition> transitions() {
    return new ArrayList<>(trail);
  }

  private static String key(String token, Direction direction) {
    return token + '/' + direction;
  }
}
