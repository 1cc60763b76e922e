package io.chainbreaker.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Notifications written once and delivered at least once: a message is added under a unique key
 * (adding the same key again changes nothing), delivered by whoever delivers (the fleet's leader,
 * or the only instance), and marked when a receiver accepted it, so that a restart, a shutdown or a
 * failover loses nothing pending and queues nothing twice. {@link JdbcOutbox} keeps it in the
 * database; {@link InMemoryOutbox} in this JVM (lost with the process).
 */
public interface Outbox {

  /**
   * Adds {@code message} unless one with its key exists; with a {@code fence}, only if that
   * instance still holds the fleet's lease with that epoch. Returns whether it was added.
   *
   * @throws FleetStore.FencedException if the fence no longer holds
   */
  boolean add(OutboxMessage message, FleetStore.@Nullable Fence fence);

  /** Up to {@code limit} pending messages whose next attempt is due now, oldest first. */
  List<OutboxMessage> due(int limit);

  /** Marks the message delivered. */
  void delivered(String key);

  /** Counts a failed attempt and puts the next one {@code after} from now. */
  void retryLater(String key, String error, Duration after);

  /** Gives delivery up (the receiver refused it for good): kept, shown, never sent again. */
  void giveUp(String key, String error);

  /** Messages of {@code kind} created at or after {@code since}, oldest first, at most limit. */
  List<OutboxMessage> messages(String kind, Instant since, int limit);

  /** Up to {@code limit} messages still pending, oldest first: what the console shows. */
  List<OutboxMessage> pending(int limit);
}
