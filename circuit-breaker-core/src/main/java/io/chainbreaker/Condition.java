package io.chainbreaker;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a network's evaluation concluded at one moment; every breaker of the network decides from
 * it.
 *
 * @param health the network's health
 * @param reason why
 * @param detail a sentence for people
 * @param problems every automatic reason in force, with its sentence
 * @param config the network's configuration, whose policy says which directions each suspends
 * @param head the network head number, or null if none was seen
 * @param nowNanos the ticker reading of the evaluation
 * @param now the wall time of the evaluation
 * @param cadence how to tell whether recent blocks came at a normal pace
 */
record Condition(
    NetworkHealth health,
    Reason reason,
    String detail,
    Map<Reason, String> problems,
    NetworkConfig config,
    @Nullable Long head,
    long nowNanos,
    Instant now,
    Cadence cadence) {

  /** The strongest reason in force that suspends {@code direction}, or null. */
  @Nullable Reason suspending(Direction direction) {
    for (Reason r : Reason.BY_STRENGTH) {
      if (problems.containsKey(r) && config.suspends(r).contains(direction)) {
        return r;
      }
    }
    return null;
  }

  /** Whether the last {@code blocks} blocks came at a normal pace. */
  @FunctionalInterface
  interface Cadence {
    boolean normalOver(int blocks);
  }
}
