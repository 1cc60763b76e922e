package io.chainbreaker;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a network's evaluation concluded at one moment; every breaker of the network decides from it.
 *
 * @param health the network's health
 * @param reason why
 * @param detail a sentence for people
 * @param head the network head number, or null if none was seen
 * @param nowNanos the ticker reading of the evaluation
 * @param now the wall time of the evaluation
 * @param cadence how to tell whether recent blocks came at a normal pace
 */
record Condition(
    NetworkHealth health,
    Reason reason,
    String detail,
    @Nullable Long head,
    long nowNanos,
    Instant now,
    Cadence cadence) {

  /** Whether the last {@code blocks} blocks came at a normal pace. */
  @FunctionalInterface
  interface Cadence {
    boolean normalOver(int blocks);
  }
}
