package io.chainbreaker;

import java.time.Duration;
import java.util.Objects;

/**
 * When a direction may resume after an automatic suspension: the network head has advanced {@code
 * blocks} past the head at which the chain came back, the recent blocks came at a normal cadence
 * (mean interval at most twice the expected block interval), and {@code grace} has passed since the
 * chain came back.
 *
 * @param blocks how many blocks past the restart head, at least 1
 * @param grace how long after the restart, zero or more
 */
public record RecoveryRule(int blocks, Duration grace) {

  /** The default for deposits: 5 blocks and 30 seconds. */
  public static final RecoveryRule DEPOSIT_DEFAULT = new RecoveryRule(5, Duration.ofSeconds(30));

  /** The default for withdrawals: 10 blocks and 60 seconds. */
  public static final RecoveryRule WITHDRAWAL_DEFAULT =
      new RecoveryRule(10, Duration.ofSeconds(60));

  /** Validates both values. */
  public RecoveryRule {
    if (blocks < 1) {
      throw new IllegalArgumentException("recovery blocks must be at least 1 but was " + blocks);
    }
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("recovery grace must not be negative but was " + grace);
    }
  }

  /** A rule of {@code blocks} blocks and {@code grace}. */
  public static RecoveryRule of(int blocks, Duration grace) {
    return new RecoveryRule(blocks, grace);
  }
}
