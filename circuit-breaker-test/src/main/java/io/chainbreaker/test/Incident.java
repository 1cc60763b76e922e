package io.chainbreaker.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A real chain incident as a replayable script, of one {@link Kind}: a {@link Kind#HALT} (blocks
 * every {@link #blockInterval()} up to the last block at {@link #haltStart()}, none for {@link
 * #haltDuration()}, then blocks again; with a {@link #reorgDepth()}, the newest blocks before the
 * halt are replaced when blocks come again), a {@link Kind#FINALITY_STALL} (blocks go on, the
 * finalized block stays at the last block for the duration) or a {@link Kind#SPLIT} (blocks go on,
 * and at the end of the duration every block since the start is replaced by the other branch's).
 * The figures come from the cited public {@link #source()}; where they are rounded or inferred, the
 * {@link #note()} says so.
 *
 * @param name the catalog name, e.g. {@code solana-2022-09-30}
 * @param chain the chain, in words
 * @param preset the Chain Breaker network preset for it, e.g. {@code cosmos-hub}; empty where there
 *     is none and the {@code options} give the network
 * @param tokens tokens an exchange listed on it, the replay's default
 * @param blockInterval the chain's usual interval between blocks
 * @param lastBlock the last block (or slot, checkpoint) before the halt where public, else null
 * @param haltStart when the last block before the halt was produced (UTC)
 * @param haltDuration how long no block came
 * @param note one line on the cause, and on which figures are approximate
 * @param source a public account of the halt that gives these figures
 * @param kind what the chain did
 * @param reorgDepth for a halt, how many blocks before it were replaced on resume (0: none)
 * @param options watcher options the replay needs besides the preset (e.g. {@code --mode
 *     continuous}, or a network of its own where no preset exists), each option then its value
 */
public record Incident(
    String name,
    String chain,
    String preset,
    List<String> tokens,
    Duration blockInterval,
    @Nullable Long lastBlock,
    Instant haltStart,
    Duration haltDuration,
    String note,
    String source,
    Kind kind,
    int reorgDepth,
    List<String> options) {

  /** What the chain did during an incident. */
  public enum Kind {
    /** No block for the duration. */
    HALT,
    /** Blocks went on; the finalized block did not move for the duration. */
    FINALITY_STALL,
    /** Blocks went on, on a branch that was abandoned at the end of the duration. */
    SPLIT
  }

  /** A halt without reorganisation that needs no option besides its preset. */
  public Incident(
      String name,
      String chain,
      String preset,
      List<String> tokens,
      Duration blockInterval,
      @Nullable Long lastBlock,
      Instant haltStart,
      Duration haltDuration,
      String note,
      String source) {
    this(
        name,
        chain,
        preset,
        tokens,
        blockInterval,
        lastBlock,
        haltStart,
        haltDuration,
        note,
        source,
        Kind.HALT,
        0,
        List.of());
  }

  /** The number given to the last block where the real one is not public. */
  public static final long NOMINAL_LAST_BLOCK = 1_000_000;

  private static final List<Incident> CATALOG =
      sortedByStart(
          new Incident(
              "klaytn-2020-03-29",
              "Klaytn Cypress",
              "klaytn",
              List.of("COSM", "DTA", "PXL"),
              Duration.ofSeconds(1),
              24_002_379L,
              Instant.parse("2020-03-29T14:32:00Z"),
              Duration.ofHours(13),
              "consensus nodes stopped talking after #24002379 (23:32 KST); restored 'after about 13 "
                  + "hours': duration approximate",
              "https://blockinpress.com/archives/30623"),
          new Incident(
              "solana-2021-09-14",
              "Solana mainnet-beta",
              "solana",
              List.of("SOL", "USDC"),
              Duration.ofMillis(400),
              96_542_804L,
              Instant.parse("2021-09-14T12:12:00Z"),
              Duration.ofHours(17),
              "bot flood of the Grape IDO; no rooted slots from 12:12 UTC, restart from slot 96542804;"
                  + " 'offline for 17 hours': duration approximate",
              "https://solana.com/news/9-14-network-outage-initial-overview"),
          new Incident(
              "solana-2022-06-01",
              "Solana mainnet-beta",
              "solana",
              List.of("SOL", "USDC"),
              Duration.ofMillis(400),
              null,
              Instant.parse("2022-06-01T16:55:00Z"),
              Duration.ofMinutes(245),
              "durable nonce bug; halted 16:55 UTC, restarted 'around 21:00 UTC': end approximate",
              "https://coinscreed.com/solana-faces-another-network-outage-leading-to-price-drop.html"),
          new Incident(
              "solana-2022-09-30",
              "Solana mainnet-beta",
              "solana",
              List.of("SOL", "USDC"),
              Duration.ofMillis(400),
              153_139_220L,
              Instant.parse("2022-09-30T22:41:00Z"),
              Duration.ofMinutes(496),
              "duplicate blocks from a hot-spare validator; 'approximately' 22:41 to 06:57 UTC, restart"
                  + " from slot 153139220",
              "https://solana.blog/solana-outage-report-released-wtf-happened/"),
          new Incident(
              "solana-2024-02-06",
              "Solana mainnet-beta",
              "solana",
              List.of("SOL", "USDC"),
              Duration.ofMillis(400),
              246_464_040L,
              Instant.parse("2024-02-06T10:22:00Z"),
              Duration.ofMinutes(275),
              "restart from slot 246464040 on v1.17.20; start is when Solana Status reported it (the "
                  + "halt began earlier), resumed 14:57 UTC: start approximate",
              "https://coinletter.org/solana-network-down-validators-act-to-restore-service"),
          new Incident(
              "aptos-2023-10-18",
              "Aptos mainnet",
              "aptos",
              List.of("APT"),
              Duration.ofMillis(250),
              104_621_314L,
              Instant.parse("2023-10-18T23:15:00Z"),
              Duration.ofMinutes(315),
              "non-deterministic gas accounting; 'approximately' 16:15 to 21:30 PDT, stopped at block "
                  + "104621314",
              "https://aptosfoundation.org/currents/10-18-23-aptos-mainnet-incident-report"),
          new Incident(
              "sui-2024-11-21",
              "Sui mainnet",
              "sui",
              List.of("SUI"),
              Duration.ofMillis(250),
              null,
              Instant.parse("2024-11-21T09:15:00Z"),
              Duration.ofMinutes(150),
              "validators crash-looped on a congestion-control assert; 1:15 to 3:45 am PT",
              "https://4pillars.io/en/issues/sui-outage-why"),
          new Incident(
              "cosmos-hub-2024-06-05",
              "Cosmos Hub (cosmoshub-4)",
              "cosmos-hub",
              List.of("ATOM"),
              Duration.ofSeconds(6),
              20_740_970L,
              Instant.parse("2024-06-05T19:21:00Z"),
              Duration.ofMinutes(281),
              "v17 upgrade bug when a validator left the active set; halted at 20740970 19:21 UTC, "
                  + "resumed 00:02 UTC (minutes only)",
              "https://forum.cosmos.network/t/cosmos-hub-v17-1-chain-halt-post-mortem/13899"),
          new Incident(
              "polygon-2022-03-10",
              "Polygon PoS",
              "polygon",
              List.of("MATIC", "USDC"),
              Duration.ofSeconds(2),
              null,
              Instant.parse("2022-03-10T17:50:00Z"),
              Duration.ofMinutes(610),
              "a Heimdall upgrade split its validators, so Bor could not select block producers; down"
                  + " 'from 5:50 PM UTC ... until about 4 AM UTC': end approximate",
              "https://www.coindailynews.io/2022/03/11/heres-why-polygon-matic-network-was-down-for-11-hours/"),
          new Incident(
              "bsc-2022-10-06",
              "BNB Smart Chain",
              "bsc",
              List.of("BNB", "USDT", "CAKE"),
              Duration.ofSeconds(3),
              null,
              Instant.parse("2022-10-06T22:53:00Z"),
              Duration.ofHours(8),
              "validators halted the chain after the BSC Token Hub bridge exploit; 'suspended for"
                  + " more than 8 hours', resumed 'around 6:53 AM UTC': start inferred; watched at"
                  + " the 3 s blocks of 2022 (the preset has today's 0.75 s)",
              "https://todayincrypto.com/news/binance-smart-chain-network-is-back-online-following-a-100-million-cross-chain-bridge-exploit/",
              Kind.HALT,
              0,
              List.of("--block-interval", "3s")),
          new Incident(
              "solana-2023-02-25",
              "Solana mainnet-beta",
              "solana",
              List.of("SOL", "USDC"),
              Duration.ofMillis(400),
              179_526_408L,
              Instant.parse("2023-02-25T06:37:00Z"),
              Duration.ofHours(12),
              "a large forking event after the v1.14 upgrade slowed root production while slots"
                  + " went on, until a restart on v1.13.6 from slot 179526408; replayed as the"
                  + " finalized root standing still; end approximate, the restart itself not scripted",
              "https://bitcoin-trader.org/news/514410/solana-blockchain-experiences-technical-glitch-causing-transaction-slowdowns",
              Kind.FINALITY_STALL,
              0,
              List.of()),
          new Incident(
              "arbitrum-2023-12-15",
              "Arbitrum One",
              "arbitrum",
              List.of("ETH", "ARB", "USDC"),
              Duration.ofMillis(250),
              null,
              Instant.parse("2023-12-15T13:29:00Z"),
              Duration.ofMinutes(78),
              "a surge of inscriptions stalled the sequencer at 13:29 UTC for 'approximately 78"
                  + " minutes'; watched as continuous (the preset is on-demand, where an idle head"
                  + " is no halt: name a sequencer feed there)",
              "https://fastcrypto.trade/arbitrum-network-went-offline-for-78-minutes-because-of-inscriptions",
              Kind.HALT,
              0,
              List.of("--mode", "continuous")),
          new Incident(
              "kusama-2024-02-15",
              "Kusama (Substrate relay chain)",
              "",
              List.of("KSM"),
              Duration.ofSeconds(6),
              null,
              Instant.parse("2024-02-15T22:00:00Z"),
              Duration.ofHours(1),
              "disputes from disabled validators blocked GRANDPA finality while BABE blocks went on;"
                  + " 'around 22:00 UTC', 'around an hour' (the lag reached 500 blocks): approximate;"
                  + " no Substrate preset on this branch: a network of its own",
              "https://forum.polkadot.network/t/finality-stall-on-kusama-15-02-2024-post-mortem/6398",
              Kind.FINALITY_STALL,
              0,
              List.of(
                  "--network", "kusama", "--chain-id", "900005", "--finality-stall-after", "3m")),
          new Incident(
              "ton-2024-08-27",
              "TON mainnet (masterchain)",
              "",
              List.of("TON", "USDT", "DOGS"),
              Duration.ofSeconds(5),
              45_341_899L,
              Instant.parse("2024-08-27T22:11:00Z"),
              Duration.ofMinutes(390),
              "validators lost consensus under the DOGS load; stopped 'at around 10:11 p.m. UTC'"
                  + " for over six hours (block 45341899 as reported by Cryptotimes): end approximate;"
                  + " no TON preset on this branch: a network of its own",
              "https://www.theblock.co/post/313367/ton-blockchain-now-down-six-hours",
              Kind.HALT,
              0,
              List.of("--network", "ton", "--chain-id", "900001")),
          new Incident(
              "xrpl-2025-02-04",
              "XRP Ledger mainnet",
              "",
              List.of("XRP", "RLUSD"),
              Duration.ofSeconds(4),
              93_927_174L,
              Instant.parse("2025-02-04T09:54:00Z"),
              Duration.ofMinutes(64),
              "consensus ran but validations were not published: the validated ledger stood at"
                  + " 93927174 for 64 minutes to 10:58 UTC while servers still proposed (replayed as"
                  + " the validated ledger, what deposits wait for, halting); no XRPL preset on this"
                  + " branch: a network of its own",
              "https://chainaffairs.com/ripple-restores-xrp-ledger-after-hourlong-halt-investigation-underway/",
              Kind.HALT,
              0,
              List.of("--network", "xrpl", "--chain-id", "900002")),
          new Incident(
              "polygon-2025-07-30",
              "Polygon PoS",
              "polygon",
              List.of("POL", "USDT"),
              Duration.ofSeconds(2),
              74_592_238L,
              Instant.parse("2025-07-30T09:30:00Z"),
              Duration.ofHours(1),
              "an unexpected validator exit halted Heimdall 'around 09:30 UTC' for 'approximately one"
                  + " hour' while Bor went on producing blocks: finality (milestones) stood still;"
                  + " #74592238 is where RPC providers saw the head stall",
              "https://vcpcryptonews.com/2025/07/30/polygon-team-blames-temporary-outage-on-suspected-consensus-bug",
              Kind.FINALITY_STALL,
              0,
              List.of("--finality-stall-after", "3m")),
          new Incident(
              "base-2025-08-05",
              "Base",
              "base",
              List.of("ETH", "USDC"),
              Duration.ofSeconds(2),
              33_792_704L,
              Instant.parse("2025-08-05T06:07:00Z"),
              Duration.ofMinutes(33),
              "the sequencer handoff elected a backup that was not provisioned; no block from 06:07"
                  + " to 06:40 UTC (block number as the issue reports it)",
              "https://zioncoins.net/base-says-sequencer-failure-caused-block-production-halt-of-33-minutes/coin-list"),
          new Incident(
              "starknet-2025-09-02",
              "Starknet mainnet",
              "",
              List.of("STRK", "ETH", "USDC"),
              Duration.ofSeconds(6),
              null,
              Instant.parse("2025-09-02T02:23:00Z"),
              Duration.ofMinutes(133),
              "after the Grinta (v0.14.0) upgrade the sequencers diverged; halted 02:23 to 04:36 UTC,"
                  + " and the restart reverted 'roughly one hour' of blocks (600 at ~6 s: depth"
                  + " inferred); no Starknet preset on this branch: a network of its own",
              "https://www.starknet.io/blog/starknet-incident-report-september-2-2025/",
              Kind.HALT,
              600,
              List.of("--network", "starknet", "--chain-id", "900003")),
          new Incident(
              "cardano-2025-11-21",
              "Cardano mainnet",
              "",
              List.of("ADA"),
              Duration.ofSeconds(20),
              null,
              Instant.parse("2025-11-21T08:00:00Z"),
              Duration.ofHours(14),
              "a malformed delegation transaction split nodes by version into a 'poisoned' and a"
                  + " healthy chain until upgrades converged them: replayed as an exchange node on the"
                  + " poisoned branch, replaced at the end; start and length approximate; no Cardano"
                  + " preset on this branch: a network of its own",
              "https://coininsighthub.xyz/cardano-network-recovers-after-malformed-transaction-triggers-chain-partition",
              Kind.SPLIT,
              0,
              List.of("--network", "cardano", "--chain-id", "900004")));

  /** Validates the fields. */
  public Incident {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(preset, "preset");
    tokens = List.copyOf(tokens);
    Objects.requireNonNull(haltStart, "haltStart");
    Objects.requireNonNull(note, "note");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(kind, "kind");
    options = List.copyOf(options);
    if (reorgDepth < 0 || (reorgDepth > 0 && kind != Kind.HALT)) {
      throw new IllegalArgumentException(
          "reorgDepth of incident "
              + name
              + " must be 0, or positive on a halt, but was "
              + reorgDepth);
    }
    if (options.size() % 2 != 0) {
      throw new IllegalArgumentException(
          "options of incident " + name + " must be pairs of option and value but were " + options);
    }
    if (blockInterval.isNegative() || blockInterval.isZero()) {
      throw new IllegalArgumentException(
          "blockInterval of incident " + name + " must be positive but was " + blockInterval);
    }
    if (haltDuration.isNegative() || haltDuration.isZero()) {
      throw new IllegalArgumentException(
          "haltDuration of incident " + name + " must be positive but was " + haltDuration);
    }
  }

  private static List<Incident> sortedByStart(Incident... incidents) {
    return java.util.Arrays.stream(incidents)
        .sorted(java.util.Comparator.comparing(Incident::haltStart))
        .toList();
  }

  /** Every incident in the catalog, oldest first. */
  public static List<Incident> all() {
    return CATALOG;
  }

  /** The incident named {@code name}, ignoring case; throws listing the names if there is none. */
  public static Incident named(String name) {
    String key = String.valueOf(name).trim().toLowerCase(Locale.ROOT);
    for (Incident i : CATALOG) {
      if (i.name.equals(key)) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "unknown incident '"
            + name
            + "'; incidents: "
            + CATALOG.stream().map(Incident::name).collect(Collectors.joining(", ")));
  }

  /** When blocks came again: {@link #haltStart()} plus {@link #haltDuration()}. */
  public Instant haltEnd() {
    return haltStart.plus(haltDuration);
  }

  /** The last block before the halt, or {@link #NOMINAL_LAST_BLOCK} where it is not public. */
  public long lastBlockOrNominal() {
    return lastBlock == null ? NOMINAL_LAST_BLOCK : lastBlock;
  }

  /** Whether blocks stop during the incident (a halt) or go on. */
  public boolean blocksStop() {
    return kind == Kind.HALT;
  }

  /** The finalized block at {@code at}: the head, except during a finality stall. */
  public long finalizedAt(Instant at) {
    long head = headAt(at);
    if (kind == Kind.FINALITY_STALL && !at.isBefore(haltStart) && at.isBefore(haltEnd())) {
      return Math.min(head, lastBlockOrNominal());
    }
    return head;
  }

  /**
   * Which branch block {@code number} is on at {@code at}: 0, or 1 once blocks from the incident's
   * replaced ones onward were replaced (after a halt with a reorg, or at the end of a split).
   */
  public int branchAt(long number, Instant at) {
    if (at.isBefore(haltEnd())) {
      return 0;
    }
    long last = lastBlockOrNominal();
    if (kind == Kind.SPLIT) {
      return number > last ? 1 : 0;
    }
    return reorgDepth > 0 && number > last - reorgDepth ? 1 : 0;
  }

  /** The number of the newest block produced at or before {@code at}. */
  public long headAt(Instant at) {
    long last = lastBlockOrNominal();
    long interval = blockInterval.toNanos();
    if (!blocksStop()) {
      return at.isBefore(haltStart)
          ? last - (Duration.between(at, haltStart).toNanos() + interval - 1) / interval
          : last + Duration.between(haltStart, at).toNanos() / interval;
    }
    if (at.isBefore(haltStart)) {
      long behind = Duration.between(at, haltStart).toNanos();
      return last - (behind + interval - 1) / interval;
    }
    Instant end = haltEnd();
    if (at.isBefore(end)) {
      return last;
    }
    return last + 1 + Duration.between(end, at).toNanos() / interval;
  }

  /** When block {@code number} was produced, per this script. */
  public Instant blockTime(long number) {
    long last = lastBlockOrNominal();
    if (!blocksStop()) {
      return haltStart.plus(blockInterval.multipliedBy(number - last));
    }
    if (number <= last) {
      return haltStart.minus(blockInterval.multipliedBy(last - number));
    }
    return haltEnd().plus(blockInterval.multipliedBy(number - last - 1));
  }
}
