package io.chainbreaker;

import org.jspecify.annotations.Nullable;

/**
 * The hashes of the most recent block heights an endpoint showed us, in a fixed ring indexed by
 * height: the newest {@code size} heights are always kept and the oldest fall out, whatever the
 * order they were learnt in.
 *
 * <p>Why not a Caffeine cache bounded by size, as first planned: Caffeine evicts by frequency
 * (W-TinyLFU), not by age, so under a steady stream of once-seen heights it may keep old heights
 * and drop the newest, exactly the ones a reorg walk compares against; a walk that misses them
 * finds a lower common block and overstates the depth, raising a false DEEP_REORG.
 */
final class RecentHeaders {

  private final long[] heights;
  private final String[] hashes;

  RecentHeaders(int size) {
    heights = new long[size];
    hashes = new String[size];
    java.util.Arrays.fill(heights, -1);
  }

  void put(long height, String hash) {
    int i = (int) Math.floorMod(height, (long) heights.length);
    if (heights[i] <= height) {
      heights[i] = height;
      hashes[i] = hash;
    }
  }

  /** Forgets every height, e.g. when the endpoint turned out to serve another chain. */
  void clear() {
    java.util.Arrays.fill(heights, -1);
    java.util.Arrays.fill(hashes, null);
  }

  @Nullable String get(long height) {
    int i = (int) Math.floorMod(height, (long) heights.length);
    return heights[i] == height ? hashes[i] : null;
  }
}
