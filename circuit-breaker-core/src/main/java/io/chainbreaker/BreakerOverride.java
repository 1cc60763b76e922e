package io.chainbreaker;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An operator's forced state for one token and direction. It outranks the automatic state until it
 * is cleared or expires, and it is kept in the state store so that it survives restarts.
 *
 * @param token the token symbol
 * @param direction the direction it forces
 * @param state {@link BreakerState#SUSPENDED} or {@link BreakerState#ALLOWED}
 * @param actor who forced it
 * @param reason why, in the operator's words
 * @param createdAt when it was made
 * @param expiresAt when it stops being in force, or null for never
 */
public record BreakerOverride(
    String token,
    Direction direction,
    BreakerState state,
    String actor,
    String reason,
    Instant createdAt,
    @Nullable Instant expiresAt) {

  /** Validates the forced state, actor and reason. */
  public BreakerOverride {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    if (state == BreakerState.RECOVERING) {
      throw new IllegalArgumentException("an override forces ALLOWED or SUSPENDED, not RECOVERING");
    }
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException("an override needs an actor");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("an override needs a reason");
    }
    if (expiresAt != null && !expiresAt.isAfter(createdAt)) {
      throw new IllegalArgumentException(
          "override expiry must be after its creation (" + createdAt + ") but was " + expiresAt);
    }
  }

  /** Whether it has expired at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
