package io.chainbreaker;

import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by the {@code check...} methods when a token's direction is not allowed. It carries
 * everything a caller needs to tell the user or to retry later.
 */
public class TokenSuspendedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String symbol;
  private final String network;
  private final Direction direction;
  private final BreakerState state;
  private final Reason reason;
  private final Instant since;
  private final @Nullable Long head;
  private final String detail;

  /**
   * An exception for {@code symbol} on {@code network} in {@code direction} with the given status.
   * It has no stack trace and builds its message only when asked: refusing a withdrawal is business
   * as usual, and the hot path must stay cheap.
   */
  public TokenSuspendedException(
      String symbol, String network, Direction direction, DirectionStatus status) {
    super(null, null, false, false);
    this.symbol = symbol;
    this.network = network;
    this.direction = direction;
    this.state = status.state();
    this.reason = status.reason();
    this.since = status.since();
    this.head = status.head();
    this.detail = status.detail();
  }

  /**
   * For example {@code PXL withdrawals are suspended since 2020-03-29T14:33:10Z: HALTED on network
   * klaytn (no new head for PT30S after #24002379), last head #24002379}. It is fit to show the
   * exchange's users: for {@link Reason#OPERATOR} it says only "forced by an operator", never the
   * operator's name nor their note (those are in {@link #detail()}).
   */
  @Override
  public String getMessage() {
    return symbol
        + " "
        + direction.name().toLowerCase(Locale.ROOT)
        + "s are "
        + state.name().toLowerCase(Locale.ROOT)
        + " since "
        + since
        + ": "
        + reason
        + " on network "
        + network
        + " ("
        + publicDetail(reason, detail)
        + ")"
        + (head == null ? "" : ", last head #" + head);
  }

  /**
   * The sentence saying why that may be shown to anyone: {@code detail} itself, except for an
   * operator's override, whose actor and free text stay with operators.
   */
  public static String publicDetail(Reason reason, String detail) {
    return reason == Reason.OPERATOR ? "forced by an operator" : detail;
  }

  /** A sentence for people saying why; for an override it names the operator and their reason. */
  public String detail() {
    return detail;
  }

  /** The token's symbol. */
  public String symbol() {
    return symbol;
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
