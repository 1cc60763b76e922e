package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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
  public String description() {
    return "A block we saw was replaced by another branch at a depth of at least "
        + "`maxReorgDepth` (default: `confirmations`). A security event: deposits are "
        + "suspended at once; it ends when the new branch is `maxReorgDepth` blocks deep, "
        + "then the recovery rule runs (or an operator decides). Shallow reorgs are only "
        + "counted (`NetworkStatus.reorgs()`).";
  }

  @Override
  public Set<Direction> suspendsByDefault() {
    return DEPOSITS;
  }

  @Override
  public @Nullable String endNote(NetworkView v) {
    EndpointTracker.Reorg r = v.deepReorg();
    return r == null
        ? null
        : "the branch of the deep reorganisation at #"
            + r.newHead().number()
            + " is now "
            + v.config().maxReorgDepth()
            + " blocks deep; DEEP_REORG ends";
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
