package io.chainbreaker.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A real chain halt as a replayable script: blocks every {@link #blockInterval()} up to the last
 * block at {@link #haltStart()}, none for {@link #haltDuration()}, then blocks again. The figures
 * come from the cited public {@link #source()}; where they are rounded or inferred, the {@link
 * #note()} says so.
 *
 * @param name the catalog name, e.g. {@code solana-2022-09-30}
 * @param chain the chain, in words
 * @param preset the Chain Breaker network preset for it, e.g. {@code cosmos-hub}
 * @param tokens tokens an exchange listed on it, the replay's default
 * @param blockInterval the chain's usual interval between blocks
 * @param lastBlock the last block (or slot, checkpoint) before the halt where public, else null
 * @param haltStart when the last block before the halt was produced (UTC)
 * @param haltDuration how long no block came
 * @param note one line on the cause, and on which figures are approximate
 * @param source a public account of the halt that gives these figures
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
    String source) {

  /** The number given to the last block where the real one is not public. */
  public static final long NOMINAL_LAST_BLOCK = 1_000_000;

  private static final List<Incident> CATALOG =
      List.of(
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
              "https://forum.cosmos.network/t/cosmos-hub-v17-1-chain-halt-post-mortem/13899"));

  /** Validates the fields. */
  public Incident {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(preset, "preset");
    tokens = List.copyOf(tokens);
    Objects.requireNonNull(haltStart, "haltStart");
    Objects.requireNonNull(note, "note");
    Objects.requireNonNull(source, "source");
    if (blockInterval.isNegative() || blockInterval.isZero()) {
      throw new IllegalArgumentException(
          "blockInterval of incident " + name + " must be positive but was " + blockInterval);
    }
    if (haltDuration.isNegative() || haltDuration.isZero()) {
      throw new IllegalArgumentException(
          "haltDuration of incident " + name + " must be positive but was " + haltDuration);
    }
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

  /** The number of the newest block produced at or before {@code at}. */
  public long headAt(Instant at) {
    long last = lastBlockOrNominal();
    long interval = blockInterval.toNanos();
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
    if (number <= last) {
      return haltStart.minus(blockInterval.multipliedBy(last - number));
    }
    return haltEnd().plus(blockInterval.multipliedBy(number - last - 1));
  }
}
