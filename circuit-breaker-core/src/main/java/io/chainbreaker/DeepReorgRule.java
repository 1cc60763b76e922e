package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;

/**
 * {@link Reason#DEEP_REORG}: a reorganisation at least {@code maxReorgDepth} deep, until its branch
 * is itself {@code maxReorgDepth} blocks deep.
 */
final class DeepReorgRule implements HaltRule {

  @Override
  public Reason reason() {
    return Reason.DEEP_REORG;
  }

  @Override
  public Verdict judge(NetworkView v) {
    BlockHead head = v.head();
    EndpointTracker.Reorg r = v.deepReorg();
    int depth = v.config().maxReorgDepth();
    if (head == null || r == null || head.number() >= r.newHead().number() + depth) {
      return Verdict.CLEAR;
    }
    return Verdict.inForce(
        "reorganisation "
            + (r.beyondCache() ? "at least " + r.depth() : r.depth())
            + " blocks deep at #"
            + r.oldHead().number()
            + " (maxReorgDepth "
            + depth
            + ")");
  }
}
