package io.chainbreaker;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The state of one token in one direction, as of a moment.
 *
 * @param state the state in force (an override's, if one is set)
 * @param reason why
 * @param since when this state and reason began
 * @param detail a sentence for people, e.g. {@code no new head for PT30S after #24002379}
 * @param head the network head when it began, or null if none was seen yet
 * @param override the override in force, or null
 */
public record DirectionStatus(
    BreakerState state,
    Reason reason,
    Instant since,
    String detail,
    @Nullable Long head,
    @Nullable BreakerOverride override) {

  /** Whether traffic in this direction is allowed. */
  public boolean allowed() {
    return state == BreakerState.ALLOWED;
  }
}
