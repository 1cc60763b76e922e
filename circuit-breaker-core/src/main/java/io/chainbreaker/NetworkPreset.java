package io.chainbreaker;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Named defaults for well-known networks: chain id, block interval, mode, confirmation depth, and
 * whether the {@code finalized} tag is watched. A value the user sets after the preset wins.
 *
 * <p>Where the numbers come from: chain ids from each network's EIP-155 registration; block
 * intervals from each network's documentation (Ethereum: 12 s slots since the Merge; BNB Smart Chain:
 * 0.75 s since the Maxwell upgrade of 2025; Polygon PoS: 2 s; OP Mainnet and Base: 2 s OP Stack
 * blocks; Arbitrum One: blocks on demand, at most every 250 ms; Avalanche C-chain: blocks on demand,
 * about 2 s under load; Klaytn/Kaia: 1 s). Confirmations are common exchange practice, not a
 * protocol constant: check your own policy. Finality is watched on Ethereum, whose
 * {@code finalized} block normally advances every 6.4 min epoch (stalled after 15 min: the May 2023
 * incidents lasted ~25 min and ~1 h). Presets were checked against that documentation in 2026; a
 * network can change them with a hard fork.
 */
public enum NetworkPreset {
  /** Klaytn (Kaia) mainnet, Cypress. */
  KLAYTN(8217, Duration.ofSeconds(1), NetworkMode.CONTINUOUS, 1, null),
  /** Klaytn (Kaia) testnet, Baobab/Kairos. */
  KLAYTN_TESTNET(1001, Duration.ofSeconds(1), NetworkMode.CONTINUOUS, 1, null),
  /** Ethereum mainnet. */
  ETHEREUM(1, Duration.ofSeconds(12), NetworkMode.CONTINUOUS, 12, Duration.ofMinutes(15)),
  /** BNB Smart Chain. */
  BSC(56, Duration.ofMillis(750), NetworkMode.CONTINUOUS, 15, null),
  /** Polygon PoS. */
  POLYGON(137, Duration.ofSeconds(2), NetworkMode.CONTINUOUS, 128, null),
  /** Arbitrum One: blocks only when there are transactions. */
  ARBITRUM(42161, Duration.ofMillis(250), NetworkMode.ON_DEMAND, 20, null),
  /** OP Mainnet. */
  OPTIMISM(10, Duration.ofSeconds(2), NetworkMode.CONTINUOUS, 20, null),
  /** Base. */
  BASE(8453, Duration.ofSeconds(2), NetworkMode.CONTINUOUS, 20, null),
  /** Avalanche C-chain: blocks only when there are transactions. */
  AVALANCHE(43114, Duration.ofSeconds(2), NetworkMode.ON_DEMAND, 1, null);

  private final long chainId;
  private final Duration blockInterval;
  private final NetworkMode mode;
  private final int confirmations;
  private final Duration finalityStallAfter;

  NetworkPreset(long chainId, Duration blockInterval, NetworkMode mode, int confirmations,
      Duration finalityStallAfter) {
    this.chainId = chainId;
    this.blockInterval = blockInterval;
    this.mode = mode;
    this.confirmations = confirmations;
    this.finalityStallAfter = finalityStallAfter;
  }

  /** The chain id. */
  public long chainId() {
    return chainId;
  }

  /** The expected block interval. */
  public Duration blockInterval() {
    return blockInterval;
  }

  /** The preset named {@code name}, ignoring case and '-' versus '_' (e.g. {@code klaytn-testnet}). */
  public static NetworkPreset named(String name) {
    String key = String.valueOf(name).trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (NetworkPreset p : values()) {
      if (p.name().equals(key)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown network preset '" + name + "'; presets: "
        + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT).replace('_', '-'))
            .collect(Collectors.joining(", ")));
  }

  void applyTo(NetworkConfig.Builder b) {
    b.chainId(chainId).blockInterval(blockInterval).mode(mode).confirmations(confirmations);
    if (finalityStallAfter != null) {
      b.finalityStallAfter(finalityStallAfter);
    }
  }
}
