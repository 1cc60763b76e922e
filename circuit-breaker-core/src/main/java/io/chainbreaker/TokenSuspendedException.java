package io.chainbreaker;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by the {@code check...} methods when a token's direction is not allowed. It carries
 * everything a caller needs to tell the user or to retry later.
 */
public class TokenSuspendedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String token;
  private final String network;
  private final Direction direction;
  private final BreakerState state;
  private final Reason reason;
  private final Instant since;
  private final @Nullable Long head;

  /** An exception for {@code token} in {@code direction} with the given status. */
  public TokenSuspendedException(
      String token, String network, Direction direction, DirectionStatus status) {
    super(message(token, network, direction, status), null, false, false);
    this.token = token;
    this.network = network;
    this.direction = direction;
    this.state = status.state();
    this.reason = status.reason();
    this.since = status.since();
    this.head = status.head();
  }

  private static String message(
      String token, String network, Direction direction, DirectionStatus s) {
    return token + " " + direction.name().toLowerCase(java.util.Locale.ROOT) + "s are "
        + s.state().name().toLowerCase(java.util.Locale.ROOT) + " since " + s.since() + ": "
        + s.reason() + " on network " + network + " (" + s.detail() + ")"
        + (s.head() == null ? "" : ", last head #" + s.head());
  }

  /** The token symbol. */
  public String token() {
    return token;
  }

  /** The token's network. */
  public String network() {
    return network;
  }

  /** The direction refused. */
  public Direction direction() {
    return direction;
  }

  /** {@link BreakerState#SUSPENDED} or {@link BreakerState#RECOVERING}. */
  public BreakerState state() {
    return state;
  }

  /** Why. */
  public Reason reason() {
    return reason;
  }

  /** Since when. */
  public Instant since() {
    return since;
  }

  /** The network head when the state began, or null if none was seen. */
  public @Nullable Long head() {
    return head;
  }
}
