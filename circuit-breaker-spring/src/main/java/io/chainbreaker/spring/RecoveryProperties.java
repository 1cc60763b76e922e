package io.chainbreaker.spring;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Binds the recovery rules of a network or a token, one per direction ({@code recovery.deposit},
 * {@code recovery.withdrawal}).
 */
public class RecoveryProperties {

  /** When deposits resume after an automatic suspension. Default 5 blocks and 30s. */
  private final Rule deposit = new Rule();

  /** When withdrawals resume after an automatic suspension. Default 10 blocks and 60s. */
  private final Rule withdrawal = new Rule();

  public Rule getDeposit() {
    return deposit;
  }

  public Rule getWithdrawal() {
    return withdrawal;
  }

  /** A recovery rule; unset parts take the default. */
  public static class Rule {

    /** Blocks the head must advance past the restart. */
    private @Nullable Integer blocks;

    /** Time that must pass after the restart. */
    private @Nullable Duration grace;

    public @Nullable Integer getBlocks() {
      return blocks;
    }

    public void setBlocks(@Nullable Integer blocks) {
      this.blocks = blocks;
    }

    public @Nullable Duration getGrace() {
      return grace;
    }

    public void setGrace(@Nullable Duration grace) {
      this.grace = grace;
    }

    boolean isSet() {
      return blocks != null || grace != null;
    }
  }
}
