package io.chainbreaker.test;

/**
 * A block of a {@link SimulatedChain}: what a node's {@code eth_getBlockByNumber} returns of it.
 *
 * @param number the block number
 * @param hash the block hash, {@code 0x} and 64 hex digits
 * @param parentHash the hash of the block before
 * @param timestamp the block time in seconds since the epoch
 */
public record SimulatedBlock(long number, String hash, String parentHash, long timestamp) {}
