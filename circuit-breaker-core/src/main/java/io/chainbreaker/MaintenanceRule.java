package io.chainbreaker;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * {@link Reason#MAINTENANCE}: a configured {@link MaintenanceWindow} is open (the last listed of
 * those open names it); its answer changes at the next window edge.
 */
final class MaintenanceRule implements HaltRule {

  @Override
  public Reason reason() {
    return Reason.MAINTENANCE;
  }

  @Override
  public String description() {
    return "A planned `MaintenanceWindow` (start, end, note; e.g. a hard fork) is in "
        + "force; the deadline is armed at its start and end.";
  }

  @Override
  public Set<Direction> suspendsByDefault() {
    return BOTH;
  }

  @Override
  public NetworkHealth health() {
    return NetworkHealth.MAINTENANCE;
  }

  @Override
  public boolean interruptsBlocks() {
    return true;
  }

  @Override
  public Verdict judge(NetworkView v) {
    String problem = null;
    long next = Long.MAX_VALUE;
    Instant wall = v.wall();
    for (MaintenanceWindow w : v.config().maintenance()) {
      if (w.activeAt(wall)) {
        problem = "maintenance until " + w.end() + ": " + w.note();
      }
      for (Instant edge : new Instant[] {w.start(), w.end()}) {
        if (edge.isAfter(wall)) {
          next = Math.min(next, v.now() + Duration.between(wall, edge).toNanos());
        }
      }
    }
    return new Verdict(problem, next);
  }
}
