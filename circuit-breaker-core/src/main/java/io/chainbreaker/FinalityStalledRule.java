package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import java.time.Duration;
import java.util.Set;

/**
 * {@link Reason#FINALITY_STALLED}: the finalized block has not advanced for {@code
 * finalityStallAfter} while the head moved on (a head that stands still is {@link HaltedRule}'s
 * case).
 */
final class FinalityStalledRule implements HaltRule {

  @Override
  public Reason reason() {
    return Reason.FINALITY_STALLED;
  }

  @Override
  public String description() {
    return "On networks watched for finality (`finalityStallAfter` set), the `finalized` "
        + "block has not advanced for `finalityStallAfter` while the head kept moving "
        + "(Ethereum, May 2023); deposits only by default, as their crediting depends on "
        + "finality.";
  }

  @Override
  public Set<Direction> suspendsByDefault() {
    return DEPOSITS;
  }

  @Override
  public Verdict judge(NetworkView v) {
    Duration stall = v.config().finalityStallAfter();
    BlockHead head = v.head();
    BlockHead finalized = v.finalized();
    if (stall == null || head == null || finalized == null) {
      return Verdict.CLEAR;
    }
    if (v.now() - v.lastFinalizedAdvanceNanos() < stall.toNanos()) {
      return Verdict.clearUntil(v.lastFinalizedAdvanceNanos() + stall.toNanos());
    }
    if (head.number() > v.headAtFinalizedAdvance()) {
      return Verdict.inForce(
          "finalized block #"
              + finalized.number()
              + " has not advanced for "
              + stall
              + " while the head reached #"
              + head.number());
    }
    return Verdict.CLEAR; // stalled with the head: only a new head can change that
  }
}
