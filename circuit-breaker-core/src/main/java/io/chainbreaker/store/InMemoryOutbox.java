package io.chainbreaker.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * An {@link Outbox} in this JVM's memory: at-least-once within the process, lost with it. Keeps at
 * most {@code capacity} messages, dropping the oldest delivered ones first, never a pending one.
 */
public final class InMemoryOutbox implements Outbox {

  private final Clock clock;
  private final int capacity;
  private final Predicate<FleetStore.Fence> fenceHolds;
  private final Map<String, OutboxMessage> messages = new LinkedHashMap<>();
  private final Map<String, Instant> nextAttempt = new LinkedHashMap<>();

  /** An outbox on {@code clock} keeping at most 10,000 messages; fences are not checked. */
  public InMemoryOutbox(Clock clock) {
    this(clock, 10_000, fence -> true);
  }

  InMemoryOutbox(Clock clock, int capacity, Predicate<FleetStore.Fence> fenceHolds) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive but was " + capacity);
    }
    this.clock = clock;
    this.capacity = capacity;
    this.fenceHolds = fenceHolds;
  }

  @Override
  public synchronized boolean add(OutboxMessage message, FleetStore.@Nullable Fence fence) {
    if (fence != null && !fenceHolds.test(fence)) {
      throw new FleetStore.FencedException(
          "outbox write by " + fence.instance() + " with epoch " + fence.epoch() + " refused");
    }
    if (messages.containsKey(message.key())) {
      return false;
    }
    if (messages.size() >= capacity) {
      String oldestDone = null;
      for (OutboxMessage m : messages.values()) {
        if (!m.pending()) {
          oldestDone = m.key();
          break;
        }
      }
      if (oldestDone == null) {
        throw new StateStoreException(
            "outbox full: " + capacity + " messages pending; " + message.key() + " not queued");
      }
      messages.remove(oldestDone);
      nextAttempt.remove(oldestDone);
    }
    messages.put(message.key(), message);
    nextAttempt.put(message.key(), clock.instant()); // due now by this outbox's clock
    return true;
  }

  @Override
  public synchronized List<OutboxMessage> due(int limit) {
    Instant now = clock.instant();
    List<OutboxMessage> due = new ArrayList<>();
    for (OutboxMessage m : messages.values()) {
      Instant at = nextAttempt.get(m.key());
      if (m.pending() && (at == null || !at.isAfter(now)) && due.size() < limit) {
        due.add(m);
      }
    }
    return due;
  }

  @Override
  public synchronized void delivered(String key) {
    attempted(key, clock.instant(), null, null);
  }

  @Override
  public synchronized void retryLater(String key, String error, Duration after) {
    if (attempted(key, null, null, error)) {
      nextAttempt.put(key, clock.instant().plus(after));
    }
  }

  @Override
  public synchronized void giveUp(String key, String error) {
    attempted(key, null, clock.instant(), error);
  }

  /** Counts one more attempt of a pending message, with its outcome; false if none is pending. */
  private boolean attempted(
      String key,
      @Nullable Instant deliveredAt,
      @Nullable Instant givenUpAt,
      @Nullable String error) {
    OutboxMessage m = messages.get(key);
    if (m == null || !m.pending()) {
      return false;
    }
    messages.put(
        key,
        new OutboxMessage(
            m.key(),
            m.kind(),
            m.network(),
            m.payload(),
            m.createdAt(),
            m.attempts() + 1,
            deliveredAt,
            givenUpAt,
            error != null ? error : m.lastError()));
    return true;
  }

  @Override
  public synchronized List<OutboxMessage> messages(String kind, Instant since, int limit) {
    List<OutboxMessage> found = new ArrayList<>();
    for (OutboxMessage m : messages.values()) {
      if (m.kind().equals(kind) && !m.createdAt().isBefore(since) && found.size() < limit) {
        found.add(m);
      }
    }
    return found;
  }

  @Override
  public synchronized List<OutboxMessage> pending(int limit) {
    List<OutboxMessage> found = new ArrayList<>();
    for (OutboxMessage m : messages.values()) {
      if (m.pending() && found.size() < limit) {
        found.add(m);
      }
    }
    return found;
  }
}
