package io.chainbreaker;

import java.time.Instant;
import java.util.Objects;

/**
 * A planned maintenance of a network, e.g. a hard fork at a known time: both directions are
 * suspended with {@link Reason#MAINTENANCE} from {@code start} to {@code end}, then resume by the
 * recovery rule.
 *
 * @param start when it begins
 * @param end when it ends, after {@code start}
 * @param note what it is, for people
 */
public record MaintenanceWindow(Instant start, Instant end, String note) {

  /** Validates the interval and the note. */
  public MaintenanceWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(note, "note");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException(
          "maintenance window must end after it starts (" + start + ") but ends " + end);
    }
  }

  /** Whether it is in force at {@code now}. */
  public boolean activeAt(Instant now) {
    return !now.isBefore(start) && now.isBefore(end);
  }
}
