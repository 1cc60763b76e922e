package io.chainbreaker;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Named defaults for well-known networks: chain id, block interval, mode, confirmation depth, and
 * whether the {@code finalized} tag is watched. A value the user sets after the preset wins.
 *
 * <p>Where the numbers come from: chain ids from each network's EIP-155 registration; block
 * intervals from each network's documentation (Ethereum: 12 s slots since the Merge; BNB Smart
 * Chain: 0.75 s since the Maxwell upgrade of 2025; Polygon PoS: 2 s; OP Mainnet and Base: 2 s OP
 * Stack blocks; Arbitrum One: blocks on demand, at most every 250 ms; Avalanche C-chain: blocks on
 * demand, about 2 s under load; Klaytn/Kaia: 1 s). Confirmations are common exchange practice, not
 * a protocol constant: check your own policy. Finality is watched on Ethereum, whose {@code
 * finalized} block normally advances every 6.4 min epoch (stalled after 15 min: the May 2023
 * incidents lasted ~25 min and ~1 h). Presets were checked against that documentation in 2026; a
 * network can change them with a hard fork.
 *
 * <p>Bitcoin-family presets ({@link Protocol#BITCOIN}) are identified by their genesis hash and
 * carry their own {@code haltAfter}, because their blocks are a Poisson process: with a mean
 * interval T, the chance that no block comes for t is e^(-t/T), so a long gap is routine, not a
 * halt. Bitcoin (T = 10 min, the protocol's difficulty target): no block for 60 min has probability
 * e^-6 ≈ 0.25 %, which over 52,560 blocks a year would suspend ~130 times; 90 min, e^-9 ≈ 0.012 %,
 * ~6 times a year, each ending with the next block; 90 min is the preset (the 2010 and 2013
 * incidents lasted hours). Litecoin (2.5 min target): 30 min = 12 intervals, e^-12, ~1 false halt a
 * year. Dogecoin (1 min target): 15 min = 15 intervals, e^-15, one in several years. Confirmations
 * are common exchange practice (Bitcoin 3, Litecoin 6... check your own policy). Bitcoin Cash
 * shares Bitcoin's genesis block, so its identity cannot tell it from Bitcoin: give a Bitcoin Cash
 * network its own endpoints and no preset.
 *
 * <p>Other families keep the default {@code haltAfter} (10 block intervals, at least 30 s): their
 * blocks come on a schedule, not by lottery. Intervals: Solana's 400 ms slot target (Solana docs);
 * Cosmos Hub about 6 s, Aptos and Sui several blocks or checkpoints a second, Tron 3 s (each
 * network's documentation and explorers; approximate, and the halt rule needs no more).
 * Confirmations: Solana's {@code finalized} trails by about 32 slots; Tron solidifies after 19
 * blocks (2/3 of its 27 super representatives); CometBFT, Aptos and Sui blocks are final at once.
 *
 * <p>Finality per family: watched on Ethereum and on Solana (the {@code finalized} root, stalled
 * after 2 min: roots can stop while confirmed slots go on, as before the 2021–2022 outages). Not
 * watched where blocks are final when made, because finality cannot stop while blocks go on there:
 * CometBFT (a block is committed by 2/3 of the voting power, or not at all), Aptos (the ledger info
 * a node serves is certified by its BFT consensus), Sui (a checkpoint is certified before it is
 * served; the Sui source reports it as both head and finalized). On those, a stop of finality is a
 * stop of the head: {@code HALTED}.
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
  AVALANCHE(43114, Duration.ofSeconds(2), NetworkMode.ON_DEMAND, 1, null),
  /** Bitcoin mainnet: 10 min blocks, halted after 90 min without one. */
  BITCOIN(
      Protocol.BITCOIN,
      "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
      Duration.ofMinutes(10),
      Duration.ofMinutes(90),
      3),
  /** Litecoin mainnet: 2.5 min blocks, halted after 30 min without one. */
  LITECOIN(
      Protocol.BITCOIN,
      "12a765e31ffd4059bada1e25190f6e98c99d9714d334efa41a195a7e7e04bfe2",
      Duration.ofSeconds(150),
      Duration.ofMinutes(30),
      6),
  /** Dogecoin mainnet: 1 min blocks, halted after 15 min without one. */
  DOGECOIN(
      Protocol.BITCOIN,
      "1a91e3dace36e2be3bf030a65679fe821aa1d6ef92e7c9902eb318182c355691",
      Duration.ofMinutes(1),
      Duration.ofMinutes(15),
      40),
  /**
   * Solana mainnet-beta: 400 ms slots (the head's number is the slot); the {@code finalized} root
   * watched, stalled after 2 min (300 slots; it normally trails by about 32).
   */
  SOLANA(
      Protocol.SOLANA,
      "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d",
      Duration.ofMillis(400),
      null,
      32,
      Duration.ofMinutes(2)),
  /** Cosmos Hub (CometBFT network {@code cosmoshub-4}): about 6 s blocks. */
  COSMOS_HUB(Protocol.COMETBFT, "cosmoshub-4", Duration.ofSeconds(6), null, 1),
  /** Tron mainnet: 3 s blocks, solidified after 19. */
  TRON(
      Protocol.TRON,
      "00000000000000001ebf88508a03865c71d452e25f4d51194196a1d22b6653dc",
      Duration.ofSeconds(3),
      null,
      19),
  /** Aptos mainnet (chain id 1): blocks several times a second. */
  APTOS(Protocol.APTOS, "1", Duration.ofMillis(250), null, 1),
  /** Sui mainnet (chain identifier {@code 35834a8a}): checkpoints several times a second. */
  SUI(Protocol.SUI, "35834a8a", Duration.ofMillis(250), null, 1),
  /** TON mainnet (toncenter v2): masterchain blocks about every 5 s, final when signed. */
  TON(Protocol.TON, "F6OpKZKqvqeFp6CQmFomXNMfMj2EnaUSOXN+Mh+wVWk=", Duration.ofSeconds(5), null, 1),
  /** XRP Ledger mainnet (network id 0): a validated ledger every 3–5 s. */
  XRPL(Protocol.XRPL, "0", Duration.ofSeconds(4), null, 1),
  /** Starknet mainnet ({@code SN_MAIN}): about 6 s blocks. */
  STARKNET(Protocol.STARKNET, "0x534e5f4d41494e", Duration.ofSeconds(6), null, 10),
  /** Polkadot relay chain: 6 s blocks; GRANDPA finality watched (stalled after 2 min). */
  POLKADOT(
      Protocol.SUBSTRATE,
      "0x91b171bb158e2d3848fa23a9f1c25182fb8e20313b2c1eb49219da7a70ce90c3",
      Duration.ofSeconds(6),
      null,
      3,
      Duration.ofMinutes(2)),
  /** Kusama relay chain: 6 s blocks; GRANDPA finality watched (stalled after 2 min). */
  KUSAMA(
      Protocol.SUBSTRATE,
      "0xb0a8d493285c2df73290dfb7e61f870f17b41801197a149ca93654499ea3dafe",
      Duration.ofSeconds(6),
      null,
      3,
      Duration.ofMinutes(2)),
  /** NEAR mainnet: about 1 s blocks; the final block watched (stalled after 1 min). */
  NEAR(Protocol.NEAR, "mainnet", Duration.ofSeconds(1), null, 3, Duration.ofMinutes(1)),
  /** Algorand mainnet: about 2.8 s rounds, final when certified. */
  ALGORAND(
      Protocol.ALGORAND,
      "wGHE2Pwdvd7S12BL5FaOP20EGYesN73ktiC1qzkkit8=",
      Duration.ofMillis(2800),
      null,
      1),
  /** Stellar public network (Horizon): ledgers about every 5 s, final when closed. */
  STELLAR(
      Protocol.STELLAR,
      "Public Global Stellar Network ; September 2015",
      Duration.ofSeconds(5),
      null,
      1),
  /**
   * Cardano mainnet (Blockfrost-compatible API): a block every 20 s by lottery; halted after 5 min.
   */
  CARDANO(Protocol.CARDANO, "764824073", Duration.ofSeconds(20), Duration.ofMinutes(5), 15);

  private final Protocol protocol;
  private final String identity;
  private final @Nullable Duration haltAfter;
  private final long chainId;
  private final Duration blockInterval;
  private final NetworkMode mode;
  private final int confirmations;
  private final @Nullable Duration finalityStallAfter;

  NetworkPreset(
      long chainId,
      Duration blockInterval,
      NetworkMode mode,
      int confirmations,
      @Nullable Duration finalityStallAfter) {
    this.protocol = Protocol.EVM;
    this.identity = String.valueOf(chainId);
    this.haltAfter = null;
    this.chainId = chainId;
    this.blockInterval = blockInterval;
    this.mode = mode;
    this.confirmations = confirmations;
    this.finalityStallAfter = finalityStallAfter;
  }

  NetworkPreset(
      Protocol protocol,
      String identity,
      Duration blockInterval,
      @Nullable Duration haltAfter,
      int confirmations) {
    this(protocol, identity, blockInterval, haltAfter, confirmations, null);
  }

  NetworkPreset(
      Protocol protocol,
      String identity,
      Duration blockInterval,
      @Nullable Duration haltAfter,
      int confirmations,
      @Nullable Duration finalityStallAfter) {
    this.protocol = protocol;
    this.identity = identity;
    this.haltAfter = haltAfter;
    this.chainId = protocol == Protocol.APTOS ? Long.parseLong(identity) : 0;
    this.blockInterval = blockInterval;
    this.mode = NetworkMode.CONTINUOUS;
    this.confirmations = confirmations;
    this.finalityStallAfter = finalityStallAfter;
  }

  /** The chain id on EVM networks; 0 on others (see {@link #identity()}). */
  public long chainId() {
    return chainId;
  }

  /** The family of the network's nodes. */
  public Protocol protocol() {
    return protocol;
  }

  /** What the network's endpoints must answer: the chain id on EVM, the genesis hash on Bitcoin. */
  public String identity() {
    return identity;
  }

  /** The preset's {@code haltAfter}, or null where the default (10 block intervals) fits. */
  public @Nullable Duration haltAfter() {
    return haltAfter;
  }

  /** The expected block interval. */
  public Duration blockInterval() {
    return blockInterval;
  }

  /**
   * The preset named {@code name}, ignoring case and '-' versus '_' (e.g. {@code klaytn-testnet}).
   */
  public static NetworkPreset named(String name) {
    String key = String.valueOf(name).trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (NetworkPreset p : values()) {
      if (p.name().equals(key)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown network preset '"
            + name
            + "'; presets: "
            + Arrays.stream(values())
                .map(p -> p.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", ")));
  }

  void applyTo(NetworkConfig.Builder b) {
    if (protocol == Protocol.EVM) {
      b.chainId(chainId);
    } else {
      b.protocol(protocol).identity(identity);
    }
    b.blockInterval(blockInterval).mode(mode).confirmations(confirmations);
    if (haltAfter != null) {
      b.haltAfter(haltAfter);
    }
    if (finalityStallAfter != null) {
      b.finalityStallAfter(finalityStallAfter);
    }
  }
}
