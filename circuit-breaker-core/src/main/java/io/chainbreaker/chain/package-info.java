/**
 * Where heads come from: the {@link io.chainbreaker.chain.HeadSource} SPI, its web3j implementation
 * over HTTP JSON-RPC, and {@link io.chainbreaker.chain.RpcUrl}, which keeps the secret parts of an
 * endpoint URL out of logs, exceptions and snapshots.
 */
@NullMarked
package io.chainbreaker.chain;

import org.jspecify.annotations.NullMarked;
