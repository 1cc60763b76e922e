package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import java.time.Instant;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * What the halt rules see of one network at one evaluation: a read-only snapshot taken on the
 * monitor thread. Ticker times are in nanoseconds ({@link Ticker}); compare them by subtraction, as
 * the ticker may wrap.
 *
 * @param config the network's configuration now
 * @param now the ticker time of this evaluation
 * @param wall the wall-clock time of this evaluation
 * @param startNanos when monitoring started
 * @param head the network head (the quorum's), or null before the first one
 * @param lastAdvanceNanos when the network head last advanced
 * @param liveAdvance whether a head was seen to advance after the first one (the chain is seen to
 *     move, so block times no longer count as evidence of a halt)
 * @param lastAnswerNanos the last answer of any eligible endpoint, or {@link Long#MIN_VALUE}
 * @param finalized the highest finalized block seen, or null
 * @param lastFinalizedAdvanceNanos when {@code finalized} last advanced
 * @param headAtFinalizedAdvance the head's number when {@code finalized} last advanced
 * @param deepReorg the last reorganisation at least {@code maxReorgDepth} deep, or null
 * @param recentHeads the last heads as (number, block time), oldest first; not to be changed
 * @param slowFrom the first block that slow production may be measured from (the gap after a halt
 *     is its own incident)
 * @param probeFailure why the liveness probe last failed, or null if it passed or is not set
 * @param sequencer what the rollup's sequencer uptime feed last said, or null if it has no feed or
 *     none was read yet
 */
record NetworkView(
    NetworkConfig config,
    long now,
    Instant wall,
    long startNanos,
    @Nullable BlockHead head,
    long lastAdvanceNanos,
    boolean liveAdvance,
    long lastAnswerNanos,
    @Nullable BlockHead finalized,
    long lastFinalizedAdvanceNanos,
    long headAtFinalizedAdvance,
    EndpointTracker.@Nullable Reorg deepReorg,
    Collection<BlockTime> recentHeads,
    long slowFrom,
    @Nullable String probeFailure,
    @Nullable SequencerReading sequencer) {

  /**
   * One head of the recent history.
   *
   * @param number its number
   * @param timestamp its block time, in epoch seconds
   */
  record BlockTime(long number, long timestamp) {}

  /**
   * The last successful reading of the sequencer uptime feed.
   *
   * @param status what the feed answered
   * @param readAtNanos the ticker time of the answer
   * @param readAt the wall time of the answer
   * @param failure why the reads since failed, or null if the last read succeeded
   */
  record SequencerReading(
      io.chainbreaker.chain.SequencerStatus status,
      long readAtNanos,
      Instant readAt,
      @Nullable String failure) {}
}
