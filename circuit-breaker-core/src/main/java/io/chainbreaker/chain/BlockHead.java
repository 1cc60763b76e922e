package io.chainbreaker.chain;

import java.util.Objects;

/**
 * The header fields of a block that the engine needs.
 *
 * @param number the block number, not negative
 * @param hash the block hash
 * @param parentHash the hash of its parent
 * @param timestamp the block time in seconds since the epoch, as the chain stamped it
 */
public record BlockHead(long number, String hash, String parentHash, long timestamp) {
  /** Checks the number and timestamp and that the hashes are present. */
  public BlockHead {
    if (number < 0) {
      throw new IllegalArgumentException("block number must not be negative but was " + number);
    }
    if (timestamp < 0) {
      throw new IllegalArgumentException(
          "block timestamp must not be negative but was " + timestamp);
    }
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(parentHash, "parentHash");
  }
}
