package io.chainbreaker.chain;

/**
 * What a Chainlink L2 sequencer uptime feed answers to {@code latestRoundData()}
 * (https://docs.chain.link/data-feeds/l2-sequencer-feeds): whether the rollup's sequencer is down,
 * and since when its status has been what it is.
 *
 * @param down whether the feed's {@code answer} is 1 (sequencer down); 0 is up
 * @param startedAt when the status last changed ({@code startedAt}), in epoch seconds
 * @param updatedAt when the feed's round was last updated ({@code updatedAt}), in epoch seconds
 * @param roundId the feed's round id, as decimal text (it is a uint80)
 */
public record SequencerStatus(boolean down, long startedAt, long updatedAt, String roundId) {

  /** Checks that the times are not negative and the round id is present. */
  public SequencerStatus {
    if (startedAt < 0 || updatedAt < 0) {
      throw new IllegalArgumentException(
          "feed times must not be negative but were startedAt "
              + startedAt
              + ", updatedAt "
              + updatedAt);
    }
    java.util.Objects.requireNonNull(roundId, "roundId");
  }
}
