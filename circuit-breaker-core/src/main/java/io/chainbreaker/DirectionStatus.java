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

  /**
   * Whether this status allows traffic in its direction: its state is {@link BreakerState#ALLOWED}.
   * Questions are asked with {@code allows...} everywhere (engine, handle, status).
   */
  public boolean allows() {
    return state == BreakerState.ALLOWED;
  }
}
