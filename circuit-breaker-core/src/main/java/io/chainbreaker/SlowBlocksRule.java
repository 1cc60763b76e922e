package io.chainbreaker;

import java.util.Locale;
import java.util.Set;

/**
 * {@link Reason#SLOW_BLOCKS}: the mean block interval over the last {@code slowWindow} blocks (not
 * reaching back before a halt's gap) exceeds {@code slowFactor} times the block interval; judged
 * once at least half the window was seen.
 */
final class SlowBlocksRule implements HaltRule {

  @Override
  public Reason reason() {
    return Reason.SLOW_BLOCKS;
  }

  @Override
  public String description() {
    return "The mean interval of the last `slowWindow` blocks is above `slowFactor` × "
        + "`blockInterval`: network `DEGRADED`; suspending on it is a policy choice.";
  }

  @Override
  public Set<Direction> suspendsByDefault() {
    return NONE;
  }

  @Override
  public Verdict judge(NetworkView v) {
    NetworkConfig c = v.config();
    NetworkView.BlockTime latest = null;
    for (NetworkView.BlockTime b : v.recentHeads()) {
      latest = b;
    }
    if (v.head() == null || latest == null) {
      return Verdict.CLEAR;
    }
    NetworkView.BlockTime from = null;
    for (NetworkView.BlockTime b : v.recentHeads()) {
      if (b.number() >= latest.number() - c.slowWindow() && b.number() >= v.slowFrom()) {
        from = b;
        break;
      }
    }
    if (from == null || latest.number() - from.number() < c.slowWindow() / 2) {
      return Verdict.CLEAR; // not enough blocks seen to judge
    }
    double mean =
        (double) (latest.timestamp() - from.timestamp()) / (latest.number() - from.number());
    double expected = c.blockInterval().toMillis() / 1000.0;
    if (mean > c.slowFactor() * expected) {
      return Verdict.inForce(
          String.format(
              Locale.ROOT,
              "mean block interval %.1f s over the last %d blocks, expected %.1f s",
              mean,
              latest.number() - from.number(),
              expected));
    }
    return Verdict.CLEAR;
  }
}
