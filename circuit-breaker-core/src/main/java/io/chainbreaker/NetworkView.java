package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import java.time.Instant;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * What the halt rules see of one network at one evaluation, read-only, on the monitor thread: the
 * monitor's {@link NetworkState} implements it, so no snapshot is copied and no field can be put in
 * the wrong place. Ticker times are in nanoseconds ({@link Ticker}); compare them by subtraction,
 * as the ticker may wrap.
 */
interface NetworkView {

  /** The network's configuration now. */
  NetworkConfig config();

  /** The ticker time of this evaluation. */
  long now();

  /** The wall-clock time of this evaluation. */
  Instant wall();

  /** When monitoring started. */
  long startNanos();

  /** The network head (the quorum's), or null before the first one. */
  @Nullable BlockHead head();

  /** When the network head last advanced. */
  long lastAdvanceNanos();

  /**
   * Whether a head was seen to advance after the first one (the chain is seen to move, so block
   * times no longer count as evidence of a halt).
   */
  boolean liveAdvance();

  /** The last answer of any eligible endpoint, or {@link Long#MIN_VALUE}. */
  long lastAnswerNanos();

  /** The highest finalized block seen, or null. */
  @Nullable BlockHead finalized();

  /** When {@link #finalized} last advanced. */
  long lastFinalizedAdvanceNanos();

  /** The head's number when {@link #finalized} last advanced. */
  long headAtFinalizedAdvance();

  /** The last reorganisation at least {@code maxReorgDepth} deep, or null. */
  EndpointTracker.@Nullable Reorg deepReorg();

  /** The last heads as (number, block time), oldest first; not to be changed. */
  Collection<BlockTime> recentHeads();

  /**
   * The first block that slow production may be measured from (the gap after a halt is its own
   * incident).
   */
  long slowFrom();

  /** Why the liveness probe last failed, or null if it passed or is not set. */
  @Nullable String probeFailure();

  /**
   * What the rollup's sequencer uptime feed last said, or null if it has no feed or none was read
   * yet.
   */
  @Nullable SequencerReading sequencer();

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
