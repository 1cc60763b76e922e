package io.chainbreaker.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A notification waiting in (or delivered from) the {@link Outbox}.
 *
 * @param key what makes it unique, e.g. {@code incident/klaytn/1711723920000/opened}: the same key
 *     is never queued twice, and receivers de-duplicate by it (it is in the payload too)
 * @param kind what it tells, e.g. {@code incident.opened}, {@code incident.resolved}, {@code
 *     override.suspended}
 * @param network the network it is about, or null
 * @param payload the message as JSON, delivered as it is
 * @param createdAt when it was queued
 * @param attempts deliveries tried so far
 * @param deliveredAt when a delivery was accepted, or null
 * @param givenUpAt when delivery was given up (a refusal that retrying cannot fix), or null
 * @param lastError why the last delivery failed, or null
 */
public record OutboxMessage(
    String key,
    String kind,
    @Nullable String network,
    String payload,
    Instant createdAt,
    int attempts,
    @Nullable Instant deliveredAt,
    @Nullable Instant givenUpAt,
    @Nullable String lastError) {

  /** A new message, not yet tried. */
  public static OutboxMessage of(
      String key, String kind, @Nullable String network, String payload, Instant createdAt) {
    return new OutboxMessage(key, kind, network, payload, createdAt, 0, null, null, null);
  }

  /** Whether it still waits for delivery. */
  public boolean pending() {
    return deliveredAt == null && givenUpAt == null;
  }
}
