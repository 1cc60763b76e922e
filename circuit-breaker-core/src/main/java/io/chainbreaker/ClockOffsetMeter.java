package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Estimates how far this host's clock is ahead of a network's block times: the least of (time the
 * head was first seen - its block time) over recent advances, since a head is never seen before it
 * is made. Logged once when it passes {@code timestampSkew}, and once when it is back. Fed on the
 * monitor thread; read by anyone.
 */
final class ClockOffsetMeter {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  private final long[] samples = new long[32];
  private int count;
  private boolean reported;
  private volatile @Nullable Duration offset;

  /** The offset measured, or null before three advances were seen. */
  @Nullable Duration offset() {
    return offset;
  }

  /**
   * Takes head {@code h}, first seen at {@code seenAt}; only for a head seen to advance (the first
   * head may be an old block: a start during a halt).
   */
  void measure(java.time.Instant seenAt, BlockHead h, NetworkConfig config) {
    samples[count++ % samples.length] = seenAt.toEpochMilli() - h.timestamp() * 1000;
    if (count < 3) {
      return;
    }
    long least = Long.MAX_VALUE;
    for (int i = 0; i < Math.min(count, samples.length); i++) {
      least = Math.min(least, samples[i]);
    }
    Duration measured = Duration.ofMillis(least);
    offset = measured;
    // Block times are whole seconds and a block takes up to an interval to be seen.
    boolean off =
        Math.abs(least)
            > config.timestampSkew().toMillis() + config.blockInterval().toMillis() + 1000;
    if (off && !reported) {
      reported = true;
      log.warn(
          "network {}: this host's clock is {} {} the chain's block timestamps (more than the"
              + " timestampSkew of {}); heads keep advancing, so block times do not suspend anything;"
              + " check this host's time synchronisation",
          config.name(),
          Duration.ofMillis(Math.abs(least)),
          least > 0 ? "ahead of" : "behind",
          config.timestampSkew());
    } else if (!off && reported) {
      reported = false;
      log.info(
          "network {}: this host's clock agrees with the chain's block timestamps again"
              + " (offset {})",
          config.name(),
          measured);
    }
  }
}
