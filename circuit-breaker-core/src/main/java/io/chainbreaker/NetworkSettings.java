package io.chainbreaker;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The registry of per-network settings that take one value: each {@link Setting} described once, in
 * the order the configuration reference lists them and the binders apply them. Spring properties
 * ({@code chain-breaker.networks.<name>.<kebab-name>}), catalog files, the watcher's command-line
 * flags, the reference table in {@code docs/configuration.md} and the Spring metadata all iterate
 * {@link #ALL}; a new setting is one constant here (added to {@link #ALL}) and its builder method
 * and getter on {@link NetworkConfig}.
 *
 * <p>Settings with structure (endpoints, recovery rules, maintenance windows, the suspend policy, a
 * preset, a provider plan) are not in the registry: each source binds them in its own shape.
 */
public final class NetworkSettings {

  private NetworkSettings() {}

  /** The family of the network's nodes. */
  public static final Setting<Protocol> PROTOCOL =
      Setting.of(
              "protocol",
              Protocol.class,
              NetworkConfig.Builder::protocol,
              NetworkConfig::protocol,
              "The family of the network's nodes; a network of another family than EVM is"
                  + " identified by its identity instead of a chain id.",
              "aptos")
          .byDefault(Protocol.EVM);

  /** The chain id every endpoint must serve. */
  public static final Setting<Long> CHAIN_ID =
      Setting.of(
              "chainId",
              Long.class,
              NetworkConfig.Builder::chainId,
              NetworkConfig::chainId,
              "The chain id every endpoint must serve, e.g. 8217 for Klaytn (Kaia) mainnet.",
              "8217")
          .derived("required on EVM networks, unless identity or a preset gives it")
          .accepting("positive");

  /** What every endpoint must answer to prove it serves the chain. */
  public static final Setting<String> IDENTITY =
      Setting.of(
              "identity",
              String.class,
              NetworkConfig.Builder::identity,
              NetworkConfig::identity,
              "What every endpoint must answer to prove it serves the chain: the genesis hash of a"
                  + " Bitcoin-family network, cosmoshub-4 for a CometBFT chain, the chain id as"
                  + " text on EVM networks.",
              "8217")
          .derived("required unless chainId is set")
          .accepting("the protocol's identity form (see chain families)");

  /** How the network produces blocks. */
  public static final Setting<NetworkMode> MODE =
      Setting.of(
              "mode",
              NetworkMode.class,
              NetworkConfig.Builder::mode,
              NetworkConfig::mode,
              "How the network produces blocks: on-demand networks make a block only for"
                  + " transactions, so an idle head is never a halt.",
              "on-demand")
          .byDefault(NetworkMode.CONTINUOUS);

  /** Which JSON-RPC method names the nodes understand. */
  public static final Setting<RpcNamespace> NAMESPACE =
      Setting.of(
              "namespace",
              RpcNamespace.class,
              NetworkConfig.Builder::namespace,
              NetworkConfig::namespace,
              "Which JSON-RPC method names the nodes understand: klay for Klaytn nodes before"
                  + " v1.10.",
              "klay")
          .byDefault(RpcNamespace.ETH);

  /** The expected time between blocks. */
  public static final Setting<Duration> BLOCK_INTERVAL =
      Setting.of(
              "blockInterval",
              Duration.class,
              NetworkConfig.Builder::blockInterval,
              NetworkConfig::blockInterval,
              "The expected time between blocks.",
              "6s")
          .byDefault(Duration.ofSeconds(12))
          .accepting(
              Setting.format(NetworkConfig.MIN_BLOCK_INTERVAL)
                  + " to "
                  + Setting.format(NetworkConfig.MAX_BLOCK_INTERVAL));

  /** How long the head may stand still before the network counts as halted. */
  public static final Setting<Duration> HALT_AFTER =
      Setting.of(
              "haltAfter",
              Duration.class,
              NetworkConfig.Builder::haltAfter,
              NetworkConfig::haltAfter,
              "How long the head may stand still before the network counts as halted (HALTED).",
              "90s")
          .derived("max(10 × blockInterval, 30s)")
          .accepting(
              "at least "
                  + Setting.format(NetworkConfig.MIN_HALT_AFTER)
                  + " and 2 × blockInterval; longer than pollInterval and haltLateness");

  /** How late after haltAfter a halt may be caught. */
  public static final Setting<Duration> HALT_LATENESS =
      Setting.of(
              "haltLateness",
              Duration.class,
              NetworkConfig.Builder::haltLateness,
              NetworkConfig::haltLateness,
              "How late after haltAfter a halt may be caught, from the last real block: the polls"
                  + " the halt bound needs come this often.",
              "10s")
          .derived(
              "a fifth of haltAfter, at least blockInterval and 100ms, at most 30s;"
                  + " pollInterval when only that is set")
          .accepting(
              "at least "
                  + Setting.format(NetworkConfig.MIN_REQUEST_INTERVAL)
                  + "; shorter than"
                  + " haltAfter");

  /** How often every endpoint is asked for its latest block. */
  public static final Setting<Duration> POLL_INTERVAL =
      Setting.of(
              "pollInterval",
              Duration.class,
              NetworkConfig.Builder::pollInterval,
              NetworkConfig::pollInterval,
              "How often every endpoint is asked for its latest block.",
              "5s")
          .derived("haltLateness")
          .accepting(
              "at least "
                  + Setting.format(NetworkConfig.MIN_REQUEST_INTERVAL)
                  + "; shorter than haltAfter and at most haltLateness");

  /** How long no endpoint may answer before the network counts as unreachable. */
  public static final Setting<Duration> UNREACHABLE_AFTER =
      Setting.of(
              "unreachableAfter",
              Duration.class,
              NetworkConfig.Builder::unreachableAfter,
              NetworkConfig::unreachableAfter,
              "How long no endpoint may answer before the network counts as UNREACHABLE.",
              "3m")
          .derived("haltAfter")
          .accepting("longer than pollInterval");

  /** How long one request to an endpoint may take in all. */
  public static final Setting<Duration> REQUEST_TIMEOUT =
      Setting.of(
              "requestTimeout",
              Duration.class,
              NetworkConfig.Builder::requestTimeout,
              NetworkConfig::requestTimeout,
              "How long one request to an endpoint may take in all (connect, write, read).",
              "3s")
          .derived("2 × pollInterval, within 1s to 5s, at most half of haltAfter")
          .accepting("at least " + Setting.format(NetworkConfig.MIN_REQUEST_INTERVAL));

  /** How far block timestamps may run behind the wall clock beyond haltAfter. */
  public static final Setting<Duration> TIMESTAMP_SKEW =
      Setting.of(
              "timestampSkew",
              Duration.class,
              NetworkConfig.Builder::timestampSkew,
              NetworkConfig::timestampSkew,
              "How far block timestamps may run behind the wall clock beyond haltAfter (the"
                  + " stale-timestamp rule's allowance for clock skew).",
              "20s")
          .byDefault(Duration.ofSeconds(15))
          .accepting("not negative");

  /** How many blocks an endpoint may trail the network head before it is LAGGING. */
  public static final Setting<Integer> MAX_LAG_BLOCKS =
      Setting.of(
              "maxLagBlocks",
              Integer.class,
              NetworkConfig.Builder::maxLagBlocks,
              NetworkConfig::maxLagBlocks,
              "How many blocks an endpoint may trail the network head before it is LAGGING.",
              "7")
          .byDefault(5)
          .accepting("not negative");

  /** How many endpoints must have reached a head for it to count. */
  public static final Setting<Integer> QUORUM =
      Setting.of(
              "quorum",
              Integer.class,
              NetworkConfig.Builder::quorum,
              NetworkConfig::quorum,
              "How many endpoints must have reached a head for it to be the network head; 0 is a"
                  + " majority of the endpoints answering on the right chain.",
              "1")
          .byDefault(0)
          .accepting("0 to the number of RPC URLs");

  /** How often each endpoint's chain id is checked again. */
  public static final Setting<Duration> CHAIN_ID_CHECK_INTERVAL =
      Setting.of(
              "chainIdCheckInterval",
              Duration.class,
              NetworkConfig.Builder::chainIdCheckInterval,
              NetworkConfig::chainIdCheckInterval,
              "How often each endpoint's chain id (identity) is checked again.",
              "10m")
          .byDefault(Duration.ofMinutes(5))
          .accepting("at least " + Setting.format(NetworkConfig.MIN_CHECK_INTERVAL));

  /** How often each endpoint's eth_syncing is checked again. */
  public static final Setting<Duration> SYNCING_CHECK_INTERVAL =
      Setting.of(
              "syncingCheckInterval",
              Duration.class,
              NetworkConfig.Builder::syncingCheckInterval,
              NetworkConfig::syncingCheckInterval,
              "How often each endpoint's eth_syncing is checked again.",
              "2m")
          .byDefault(Duration.ofMinutes(1))
          .accepting("at least " + Setting.format(NetworkConfig.MIN_CHECK_INTERVAL));

  /** Blocks after which the exchange treats a deposit as final. */
  public static final Setting<Integer> CONFIRMATIONS =
      Setting.of(
              "confirmations",
              Integer.class,
              NetworkConfig.Builder::confirmations,
              NetworkConfig::confirmations,
              "Blocks after which a deposit is final for the exchange.",
              "20")
          .byDefault(12)
          .accepting("at least 1");

  /** A reorganisation this deep or deeper is DEEP_REORG. */
  public static final Setting<Integer> MAX_REORG_DEPTH =
      Setting.of(
              "maxReorgDepth",
              Integer.class,
              NetworkConfig.Builder::maxReorgDepth,
              NetworkConfig::maxReorgDepth,
              "A reorganisation at least this deep suspends deposits (DEEP_REORG).",
              "30")
          .derived("confirmations")
          .accepting("at least 1");

  /** How long the finalized block may stand still while the head moves. */
  public static final Setting<Duration> FINALITY_STALL_AFTER =
      Setting.of(
              "finalityStallAfter",
              Duration.class,
              NetworkConfig.Builder::finalityStallAfter,
              NetworkConfig::finalityStallAfter,
              "Watches the finalized block: stalled (FINALITY_STALLED) when it has not advanced"
                  + " for this long while the head moves.",
              "20m")
          .derived("not watched")
          .accepting("longer than pollInterval");

  /** How often the finalized block is asked for. */
  public static final Setting<Duration> FINALITY_CHECK_INTERVAL =
      Setting.of(
              "finalityCheckInterval",
              Duration.class,
              NetworkConfig.Builder::finalityCheckInterval,
              NetworkConfig::finalityCheckInterval,
              "How often the finalized block is asked for, where finalityStallAfter is set.",
              "1m")
          .derived("a tenth of finalityStallAfter, at least pollInterval")
          .accepting("at least " + Setting.format(NetworkConfig.MIN_CHECK_INTERVAL));

  /** How often a poll that finds several new blocks checks that they link to the last check. */
  public static final Setting<Duration> REORG_CHECK_INTERVAL =
      Setting.of(
              "reorgCheckInterval",
              Duration.class,
              NetworkConfig.Builder::reorgCheckInterval,
              NetworkConfig::reorgCheckInterval,
              "How often a poll that finds several new blocks also checks that they link to the"
                  + " block seen at the last check (a deep reorg is caught by the next check).",
              "30s")
          .derived("ten pollIntervals, at most 1 min; pollInterval where polls come once a block")
          .accepting("at least " + Setting.format(NetworkConfig.MIN_REQUEST_INTERVAL));

  /** A mean block interval above this many block intervals is SLOW_BLOCKS. */
  public static final Setting<Double> SLOW_FACTOR =
      Setting.of(
              "slowFactor",
              Double.class,
              NetworkConfig.Builder::slowFactor,
              NetworkConfig::slowFactor,
              "A mean block interval above this many block intervals is SLOW_BLOCKS.",
              "4.5")
          .byDefault(3.0)
          .accepting("above 1");

  /** How many recent blocks the slow-block mean covers. */
  public static final Setting<Integer> SLOW_WINDOW =
      Setting.of(
              "slowWindow",
              Integer.class,
              NetworkConfig.Builder::slowWindow,
              NetworkConfig::slowWindow,
              "How many recent blocks the slow-block mean covers.",
              "40")
          .byDefault(20)
          .accepting("at least 2");

  /** The address of the rollup's Chainlink L2 sequencer uptime feed. */
  public static final Setting<String> SEQUENCER_FEED =
      Setting.of(
              "sequencerFeed",
              String.class,
              NetworkConfig.Builder::sequencerFeed,
              NetworkConfig::sequencerFeed,
              "Address of the rollup's Chainlink L2 sequencer uptime feed, read with eth_call of"
                  + " latestRoundData(): answer 1 suspends at once (SEQUENCER_DOWN).",
              "0xFdB631F5EE196F0ed6FAa767959853A9F217697D")
          .derived("none")
          .accepting("a contract address (0x and 40 hex digits); EVM networks only");

  /** How often the sequencer uptime feed is read. */
  public static final Setting<Duration> SEQUENCER_CHECK_INTERVAL =
      Setting.of(
              "sequencerCheckInterval",
              Duration.class,
              NetworkConfig.Builder::sequencerCheckInterval,
              NetworkConfig::sequencerCheckInterval,
              "How often the sequencer uptime feed is read.",
              "10s")
          .byDefault(Duration.ofSeconds(30))
          .accepting("at least " + Setting.format(NetworkConfig.MIN_CHECK_INTERVAL));

  /** How long after the sequencer came back SEQUENCER_GRACE stays in force. */
  public static final Setting<Duration> SEQUENCER_GRACE_PERIOD =
      Setting.of(
              "sequencerGracePeriod",
              Duration.class,
              NetworkConfig.Builder::sequencerGracePeriod,
              NetworkConfig::sequencerGracePeriod,
              "How long after the sequencer is back (the feed's startedAt) withdrawals stay held"
                  + " (SEQUENCER_GRACE).",
              "0s")
          .byDefault(Duration.ofHours(1))
          .accepting("not negative; 0s: no grace");

  /** Every setting, in the order of the reference; binders apply them in this order. */
  public static final List<Setting<?>> ALL =
      List.of(
          PROTOCOL,
          CHAIN_ID,
          IDENTITY,
          MODE,
          NAMESPACE,
          BLOCK_INTERVAL,
          HALT_AFTER,
          HALT_LATENESS,
          POLL_INTERVAL,
          UNREACHABLE_AFTER,
          REQUEST_TIMEOUT,
          TIMESTAMP_SKEW,
          MAX_LAG_BLOCKS,
          QUORUM,
          CHAIN_ID_CHECK_INTERVAL,
          SYNCING_CHECK_INTERVAL,
          CONFIRMATIONS,
          MAX_REORG_DEPTH,
          FINALITY_STALL_AFTER,
          FINALITY_CHECK_INTERVAL,
          REORG_CHECK_INTERVAL,
          SLOW_FACTOR,
          SLOW_WINDOW,
          SEQUENCER_FEED,
          SEQUENCER_CHECK_INTERVAL,
          SEQUENCER_GRACE_PERIOD);

  /**
   * The setting written {@code key} in any form Spring's relaxed binding accepts ({@code
   * halt-after}, {@code haltAfter}, {@code halt_after}, {@code HALT-AFTER}), or null.
   */
  public static @Nullable Setting<?> named(String key) {
    String u = uniform(key);
    for (Setting<?> s : ALL) {
      if (uniform(s.name()).equals(u)) {
        return s;
      }
    }
    return null;
  }

  private static String uniform(String s) {
    return s.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }
}
