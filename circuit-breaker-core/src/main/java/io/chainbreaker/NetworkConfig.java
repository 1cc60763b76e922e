package io.chainbreaker;

import io.chainbreaker.chain.RpcUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How to watch one network and when to suspend its tokens. Immutable; built by {@link #builder}
 * which checks each value as it is set and fills the defaults documented on each setter.
 */
public final class NetworkConfig {

  private static final Pattern FEED_ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  private final String name;
  private final long chainId;
  private final Protocol protocol;
  private final String identity;
  private final List<RpcUrl> rpcUrls;

  /** The WebSocket URL of each endpoint that has one, by its RPC URL. */
  private final Map<RpcUrl, RpcUrl> wsUrls;

  private final Duration blockInterval;
  private final Duration haltAfter;
  private final Duration pollInterval;
  private final Duration unreachableAfter;
  private final Duration requestTimeout;
  private final Duration timestampSkew;
  private final int maxLagBlocks;
  private final int quorum;
  private final Duration chainIdCheckInterval;
  private final Duration syncingCheckInterval;
  private final RecoveryRule depositRecovery;
  private final RecoveryRule withdrawalRecovery;
  private final NetworkMode mode;
  private final RpcNamespace namespace;
  private final int confirmations;
  private final int maxReorgDepth;
  private final @Nullable Duration finalityStallAfter;
  private final double slowFactor;
  private final int slowWindow;
  private final List<MaintenanceWindow> maintenance;
  private final @Nullable LivenessProbe livenessProbe;
  private final Duration livenessInterval;
  private final Map<Reason, Set<Direction>> policy;
  private final @Nullable String sequencerFeed;
  private final Duration sequencerCheckInterval;
  private final Duration sequencerGracePeriod;
  private final Duration haltLateness;
  private final @Nullable Duration finalityCheckInterval;
  private final RpcPlan rpcPlan;
  private final Map<RpcUrl, RpcPlan> endpointPlans;
  private final Duration reorgCheckInterval;

  private NetworkConfig(Builder b) {
    this.name = b.name;
    this.protocol = b.protocol;
    this.identity = b.identity != null ? b.identity : String.valueOf(b.chainId);
    this.chainId =
        b.identity == null
            ? b.chainId
            : b.protocol == Protocol.EVM || b.protocol == Protocol.APTOS ? numeric(b.identity) : 0;
    this.rpcUrls = List.copyOf(b.rpcUrls);
    this.wsUrls = Collections.unmodifiableMap(new LinkedHashMap<>(b.wsUrls));
    this.blockInterval = b.blockInterval;
    this.haltAfter =
        b.haltAfter != null
            ? b.haltAfter
            : max(b.blockInterval.multipliedBy(10), Duration.ofSeconds(30));
    // The cadence follows the halt bound, not the block: see haltLateness().
    this.haltLateness =
        b.haltLateness != null
            ? b.haltLateness
            : b.pollInterval != null
                ? b.pollInterval
                : defaultHaltLateness(blockInterval, haltAfter);
    this.pollInterval = b.pollInterval != null ? b.pollInterval : haltLateness;
    this.finalityCheckInterval =
        b.finalityStallAfter == null
            ? null
            : b.finalityCheckInterval != null
                ? b.finalityCheckInterval
                : max(pollInterval, b.finalityStallAfter.dividedBy(10));
    this.reorgCheckInterval =
        b.reorgCheckInterval != null
            ? b.reorgCheckInterval
            : pollInterval.compareTo(blockInterval) <= 0
                // Polled at least once a block, a poll seldom finds several: link each one.
                ? pollInterval
                : min(pollInterval.multipliedBy(10), max(pollInterval, Duration.ofMinutes(1)));
    this.rpcPlan = b.rpcPlan;
    this.endpointPlans = Collections.unmodifiableMap(new LinkedHashMap<>(b.endpointPlans));
    this.unreachableAfter = b.unreachableAfter != null ? b.unreachableAfter : haltAfter;
    this.requestTimeout =
        b.requestTimeout != null
            ? b.requestTimeout
            : defaultRequestTimeout(pollInterval, haltAfter);
    this.timestampSkew = b.timestampSkew;
    this.maxLagBlocks = b.maxLagBlocks;
    this.quorum = b.quorum;
    this.chainIdCheckInterval = b.chainIdCheckInterval;
    this.syncingCheckInterval = b.syncingCheckInterval;
    this.depositRecovery = b.depositRecovery;
    this.withdrawalRecovery = b.withdrawalRecovery;
    this.mode = b.mode;
    this.namespace = b.namespace;
    this.confirmations = b.confirmations;
    this.maxReorgDepth = b.maxReorgDepth != null ? b.maxReorgDepth : b.confirmations;
    this.finalityStallAfter = b.finalityStallAfter;
    this.slowFactor = b.slowFactor;
    this.slowWindow = b.slowWindow;
    this.maintenance = List.copyOf(b.maintenance);
    this.livenessProbe = b.livenessProbe;
    this.livenessInterval = b.livenessInterval;
    Map<Reason, Set<Direction>> p = new EnumMap<>(Reason.class);
    p.putAll(DEFAULT_POLICY);
    p.putAll(b.policy);
    this.policy = Collections.unmodifiableMap(p);
    this.sequencerFeed = b.sequencerFeed;
    this.sequencerCheckInterval = b.sequencerCheckInterval;
    this.sequencerGracePeriod = b.sequencerGracePeriod;
    if (haltAfter.compareTo(blockInterval.multipliedBy(2)) < 0) {
      throw new ConflictingSettingsException(
          "haltAfter of network "
              + name
              + " must be at least twice blockInterval ("
              + blockInterval.multipliedBy(2)
              + ") but was "
              + haltAfter
              + hint(haltAfter, blockInterval.multipliedBy(2)),
          "haltAfter",
          "blockInterval");
    }
    if (pollInterval.compareTo(haltAfter) >= 0) {
      throw new ConflictingSettingsException(
          "pollInterval of network "
              + name
              + " must be shorter than haltAfter ("
              + haltAfter
              + ") but was "
              + pollInterval,
          "pollInterval",
          "haltAfter");
    }
    if (haltLateness.compareTo(haltAfter) >= 0) {
      throw new ConflictingSettingsException(
          "haltLateness of network "
              + name
              + " must be shorter than haltAfter ("
              + haltAfter
              + ") but was "
              + haltLateness,
          "haltLateness",
          "haltAfter");
    }
    if (pollInterval.compareTo(haltLateness) > 0) {
      throw new ConflictingSettingsException(
          "pollInterval of network "
              + name
              + " must be at most haltLateness ("
              + haltLateness
              + "), or a halt could be caught later than haltAfter + haltLateness, but was "
              + pollInterval,
          "pollInterval",
          "haltLateness");
    }
    if (unreachableAfter.compareTo(pollInterval) <= 0) {
      throw new ConflictingSettingsException(
          "unreachableAfter of network "
              + name
              + " must be longer than pollInterval ("
              + pollInterval
              + ") but was "
              + unreachableAfter
              + hint(unreachableAfter, pollInterval.plusMillis(1)),
          "unreachableAfter",
          "pollInterval");
    }
    if (finalityStallAfter != null && finalityStallAfter.compareTo(pollInterval) <= 0) {
      throw new ConflictingSettingsException(
          "finalityStallAfter of network "
              + name
              + " must be longer than pollInterval ("
              + pollInterval
              + ") but was "
              + finalityStallAfter
              + hint(finalityStallAfter, pollInterval.plusMillis(1)),
          "finalityStallAfter",
          "pollInterval");
    }
    if (quorum > rpcUrls.size()) {
      throw new ConflictingSettingsException(
          "quorum of network "
              + name
              + " must be at most the number of RPC URLs ("
              + rpcUrls.size()
              + ") but was "
              + quorum,
          "quorum",
          "rpcUrls");
    }
  }

  /**
   * A value that is wrong only together with another setting, e.g. a {@code haltAfter} shorter than
   * two block intervals. {@link #settings()} names the builder settings involved, the one most
   * likely at fault first, so a configuration layer can point at the key the user wrote.
   */
  public static final class ConflictingSettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> settings;

    ConflictingSettingsException(String message, String... settings) {
      super(message);
      this.settings = List.of(settings);
    }

    /**
     * The settings involved, by their builder names (e.g. {@code haltAfter}), the suspect first.
     */
    public List<String> settings() {
      return settings;
    }
  }

  /** Shortest plausible block interval: faster chains do not exist; 1 ms means a missing unit. */
  static final Duration MIN_BLOCK_INTERVAL = Duration.ofMillis(50);

  /** Longest plausible block interval (Bitcoin targets 10 min). */
  static final Duration MAX_BLOCK_INTERVAL = Duration.ofHours(1);

  /** Shortest poll interval and request timeout: a round trip to a node takes longer. */
  static final Duration MIN_REQUEST_INTERVAL = Duration.ofMillis(50);

  /** Shortest haltAfter: two of the shortest block intervals. */
  static final Duration MIN_HALT_AFTER = MIN_BLOCK_INTERVAL.multipliedBy(2);

  /** Shortest interval of the chain id, syncing and liveness checks. */
  static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(100);

  /**
   * {@code ; did you mean 30s?} when {@code value} is a whole number of milliseconds below one
   * second that, read as seconds, would be at least {@code min}: the mark of a number written
   * without its unit (Spring reads {@code 30} as 30 ms).
   */
  static String hint(Duration value, Duration min) {
    long ms = value.toMillis();
    if (ms > 0
        && ms < 1000
        && value.equals(Duration.ofMillis(ms))
        && Duration.ofSeconds(ms).compareTo(min) >= 0) {
      return "; did you mean " + ms + "s?";
    }
    return "";
  }

  /**
   * Names what is wrong with an endpoint URL that cannot be one, without echoing a secret: an
   * unresolved {@code ${...}} placeholder, or a missing scheme.
   */
  static void checkUrlShape(String url, String schemes) {
    java.util.regex.Matcher placeholder = PLACEHOLDER.matcher(url);
    if (placeholder.find()) {
      String variable = placeholder.group(1);
      throw new IllegalArgumentException(
          "RPC URL contains the unresolved placeholder ${"
              + variable
              + "}: define "
              + variable
              + " (an environment variable or property) or remove this URL");
    }
    if (!url.contains("://")) {
      String suggestion =
          HOST_PORT.matcher(url).matches()
              ? "; did you mean " + schemes.split(" ", -1)[0] + url + "?"
              : "";
      throw new IllegalArgumentException(
          "RPC URL has no scheme: it must start with " + schemes.replace(" ", " or ") + suggestion);
    }
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]*)[^}]*}");

  /** Only a bare host and port is echoed back in a hint: nothing in it can be a secret. */
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]{1,5})?/?");

  /** A builder for a network named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The network's name, e.g. {@code klaytn}; tokens refer to it. */
  public String name() {
    return name;
  }

  /**
   * The chain id every endpoint must serve: on EVM networks, and on others whose identity is a
   * number (Aptos); 0 where the identity is not a number (see {@link #identity()}).
   */
  public long chainId() {
    return chainId;
  }

  /** The family of the network's nodes; {@link Protocol#EVM} unless set. */
  public Protocol protocol() {
    return protocol;
  }

  /**
   * What every endpoint must answer to prove it serves this chain, as text: the chain id on EVM
   * networks ({@code 8217}), the genesis hash on Bitcoin-family networks, and so on (see {@link
   * Protocol}).
   */
  public String identity() {
    return identity;
  }

  /** The identity with its name, for messages: {@code chain id 8217}. */
  String identityText() {
    return protocol.identityName() + " " + identity;
  }

  /** What a {@link io.chainbreaker.chain.HeadSource.Factory} needs of this network. */
  public io.chainbreaker.chain.SourceSettings sourceSettings() {
    return new io.chainbreaker.chain.SourceSettings(
        name, protocol, namespace, chainId, identity, requestTimeout);
  }

  private static long numeric(String identity) {
    try {
      return Long.parseLong(identity);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The endpoints, at least one. */
  public List<RpcUrl> rpcUrls() {
    return rpcUrls;
  }

  /**
   * The WebSocket URL on which the endpoint {@code rpcUrl} pushes new heads, or null for an
   * endpoint that is polled only. Set with {@link Builder#endpoint(String, String)}.
   */
  public @Nullable RpcUrl wsUrl(RpcUrl rpcUrl) {
    return wsUrls.get(rpcUrl);
  }

  /** The expected time between blocks. */
  public Duration blockInterval() {
    return blockInterval;
  }

  /** How long the head may stand still before the network counts as halted. */
  public Duration haltAfter() {
    return haltAfter;
  }

  /**
   * Twice the poll interval, at least 1 s (a remote provider's slow answers are not failures) and
   * at most 5 s, and never more than half of {@code haltAfter}: an endpoint's next poll waits at
   * most this long for its last one.
   */
  private static Duration defaultRequestTimeout(Duration pollInterval, Duration haltAfter) {
    Duration twice = pollInterval.multipliedBy(2);
    Duration d = twice.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : twice;
    d = min(d, Duration.ofSeconds(5));
    return min(d, haltAfter.dividedBy(2));
  }

  /** How often every endpoint is asked for its latest block; default {@link #haltLateness()}. */
  public Duration pollInterval() {
    return pollInterval;
  }

  /**
   * How late after {@code haltAfter} a halt may be caught, counted from the last real block: the
   * polls that the halt bound needs come this often, so a halt is caught by {@code haltAfter +
   * haltLateness + one request's latency} after the chain's last block (a subscription that
   * delivers heads catches it by {@code haltAfter} + its delivery delay). Default: a fifth of
   * {@code haltAfter}, at least the block interval and {@value #MIN_DEFAULT_LATENESS_MS} ms, at
   * most 30 s; the poll interval when that is set alone.
   */
  public Duration haltLateness() {
    return haltLateness;
  }

  /**
   * How often the {@code finalized} block is asked for where finality is watched, or null where it
   * is not: a tenth of {@code finalityStallAfter}, at least the poll interval, unless set.
   */
  public @Nullable Duration finalityCheckInterval() {
    return finalityCheckInterval;
  }

  /**
   * How often a poll that finds several new blocks also checks that the block seen at the last such
   * check is still on the endpoint's chain (one block-by-number call). A reorganisation that
   * replaces that block is caught at the next check; one that replaces only blocks seen since (at
   * most the blocks made in {@code reorgCheckInterval} + one poll) may pass unseen. A poll that
   * finds the next block, the same height or a lower one links it for free at every poll. Default:
   * ten poll intervals, at most 1 min, at least the poll interval; the poll interval where polls
   * come at least once a block interval.
   */
  public Duration reorgCheckInterval() {
    return reorgCheckInterval;
  }

  /** What this network's endpoints bill per call, unless one has a plan of its own. */
  public RpcPlan rpcPlan() {
    return rpcPlan;
  }

  /** The plan of one endpoint: its own if it was given one, else {@link #rpcPlan()}. */
  public RpcPlan rpcPlan(RpcUrl rpcUrl) {
    RpcPlan own = endpointPlans.get(rpcUrl);
    return own != null ? own : rpcPlan;
  }

  static final long MIN_DEFAULT_LATENESS_MS = 100;

  /** A fifth of haltAfter, at least the block interval and 100 ms, at most 30 s. */
  static Duration defaultHaltLateness(Duration blockInterval, Duration haltAfter) {
    Duration fifth = haltAfter.dividedBy(5);
    Duration d = max(blockInterval, fifth);
    d = min(d, Duration.ofSeconds(30));
    d = max(d, Duration.ofMillis(MIN_DEFAULT_LATENESS_MS));
    // Never as long as haltAfter itself (a 2-block haltAfter on a slow chain).
    return min(d, haltAfter.dividedBy(2));
  }

  /** How long no endpoint may answer before the network counts as unreachable. */
  public Duration unreachableAfter() {
    return unreachableAfter;
  }

  /** How long one request to an endpoint may take in all. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** How far block timestamps may run behind the wall clock beyond haltAfter. */
  public Duration timestampSkew() {
    return timestampSkew;
  }

  /** How many blocks an endpoint may trail the network head before it is LAGGING. */
  public int maxLagBlocks() {
    return maxLagBlocks;
  }

  /** How many endpoints must have reached a head for it to be the network head; 0 = majority. */
  public int quorum() {
    return quorum;
  }

  /** How often each endpoint's chain id is checked again. */
  public Duration chainIdCheckInterval() {
    return chainIdCheckInterval;
  }

  /** How often each endpoint's {@code eth_syncing} is checked again. */
  public Duration syncingCheckInterval() {
    return syncingCheckInterval;
  }

  /** The recovery rule for {@code direction}. */
  public RecoveryRule recovery(Direction direction) {
    return direction == Direction.DEPOSIT ? depositRecovery : withdrawalRecovery;
  }

  /** How the network produces blocks. */
  public NetworkMode mode() {
    return mode;
  }

  /** Which JSON-RPC method names its nodes understand. */
  public RpcNamespace namespace() {
    return namespace;
  }

  /** Blocks after which the exchange treats a deposit as final. */
  public int confirmations() {
    return confirmations;
  }

  /** A reorganisation this deep or deeper is {@link Reason#DEEP_REORG}. */
  public int maxReorgDepth() {
    return maxReorgDepth;
  }

  /** How long the finalized block may stand still while the head moves; null: not watched. */
  public @Nullable Duration finalityStallAfter() {
    return finalityStallAfter;
  }

  /** Mean block interval above this many times {@link #blockInterval()} is slow. */
  public double slowFactor() {
    return slowFactor;
  }

  /** How many recent blocks the slow-block mean is taken over. */
  public int slowWindow() {
    return slowWindow;
  }

  /** Planned maintenance windows. */
  public List<MaintenanceWindow> maintenance() {
    return maintenance;
  }

  /** The liveness probe of an on-demand network, or null. */
  public @Nullable LivenessProbe livenessProbe() {
    return livenessProbe;
  }

  /** How often the liveness probe runs. */
  public Duration livenessInterval() {
    return livenessInterval;
  }

  /**
   * The address of the rollup's Chainlink L2 sequencer uptime feed, read with {@code eth_call} of
   * {@code latestRoundData()} on the network's own endpoints; null: none is read.
   */
  public @Nullable String sequencerFeed() {
    return sequencerFeed;
  }

  /** How often the sequencer uptime feed is read. */
  public Duration sequencerCheckInterval() {
    return sequencerCheckInterval;
  }

  /**
   * How long after the sequencer came back (the feed's {@code startedAt}) {@link
   * Reason#SEQUENCER_GRACE} stays in force.
   */
  public Duration sequencerGracePeriod() {
    return sequencerGracePeriod;
  }

  /** The directions that {@code reason} suspends on this network. */
  public Set<Direction> suspends(Reason reason) {
    return policy.getOrDefault(reason, Set.of());
  }

  /**
   * Which directions each automatic reason suspends unless a network says otherwise: both for a
   * halt, an outage of our view, a stale monitor, a failed probe and maintenance; deposits only for
   * a deep reorganisation and stalled finality (crediting depends on them); none for slow blocks. A
   * rollup's sequencer reported down suspends both; its grace period after it is back holds
   * withdrawals (their broadcast and inclusion wait on the backlog), deposits only if a network
   * says so.
   */
  public static final Map<Reason, Set<Direction>> DEFAULT_POLICY = defaultPolicy();

  private static Map<Reason, Set<Direction>> defaultPolicy() {
    Map<Reason, Set<Direction>> p = new EnumMap<>(Reason.class);
    p.put(Reason.MONITOR_STALE, HaltRule.BOTH);
    for (HaltRule rule : HaltRule.ALL) {
      p.put(rule.reason(), rule.suspendsByDefault()); // each rule says its own
    }
    return Collections.unmodifiableMap(p);
  }

  /**
   * Whether {@code o} configures the same network in every setting; the catalog compares this way
   * to tell a changed network from an untouched one. A liveness probe is compared by identity.
   */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof NetworkConfig n)) {
      return false;
    }
    for (Setting<?> setting : NetworkSettings.ALL) {
      if (!Objects.equals(setting.read(this), setting.read(n))) {
        return false;
      }
    }
    // The settings with structure, which the registry does not hold.
    return name.equals(n.name)
        && rpcUrls.equals(n.rpcUrls)
        && wsUrls.equals(n.wsUrls)
        && depositRecovery.equals(n.depositRecovery)
        && withdrawalRecovery.equals(n.withdrawalRecovery)
        && maintenance.equals(n.maintenance)
        && livenessProbe == n.livenessProbe
        && livenessInterval.equals(n.livenessInterval)
        && policy.equals(n.policy)
        && rpcPlan.equals(n.rpcPlan)
        && endpointPlans.equals(n.endpointPlans);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, identity, rpcUrls, haltAfter, blockInterval);
  }

  @Override
  public String toString() {
    return "NetworkConfig{name="
        + name
        + ", protocol="
        + protocol
        + ", identity="
        + identity
        + ", rpcUrls="
        + rpcUrls
        + ", blockInterval="
        + blockInterval
        + ", haltAfter="
        + haltAfter
        + ", pollInterval="
        + pollInterval
        + ", unreachableAfter="
        + unreachableAfter
        + "}";
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Builds a {@link NetworkConfig}; each setter rejects a bad value at once, naming it. */
  public static final class Builder {
    private final String name;
    private long chainId = -1;
    private Protocol protocol = Protocol.EVM;
    private @Nullable String identity;
    private final List<RpcUrl> rpcUrls = new ArrayList<>();
    private final Map<RpcUrl, RpcUrl> wsUrls = new LinkedHashMap<>();
    private Duration blockInterval = Duration.ofSeconds(12);
    private @Nullable Duration haltAfter;
    private @Nullable Duration pollInterval;
    private @Nullable Duration unreachableAfter;
    private @Nullable Duration requestTimeout;
    private Duration timestampSkew = Duration.ofSeconds(15);
    private int maxLagBlocks = 5;
    private int quorum = 0;
    private Duration chainIdCheckInterval = Duration.ofMinutes(5);
    private Duration syncingCheckInterval = Duration.ofMinutes(1);
    private RecoveryRule depositRecovery = RecoveryRule.DEPOSIT_DEFAULT;
    private RecoveryRule withdrawalRecovery = RecoveryRule.WITHDRAWAL_DEFAULT;
    private NetworkMode mode = NetworkMode.CONTINUOUS;
    private RpcNamespace namespace = RpcNamespace.ETH;
    private int confirmations = 12;
    private @Nullable Integer maxReorgDepth;
    private @Nullable Duration finalityStallAfter;
    private double slowFactor = 3.0;
    private int slowWindow = 20;
    private final List<MaintenanceWindow> maintenance = new ArrayList<>();
    private @Nullable LivenessProbe livenessProbe;
    private Duration livenessInterval = Duration.ofMinutes(1);
    private final Map<Reason, Set<Direction>> policy = new EnumMap<>(Reason.class);
    private @Nullable String sequencerFeed;
    private Duration sequencerCheckInterval = Duration.ofSeconds(30);
    private Duration sequencerGracePeriod = Duration.ofHours(1);
    private @Nullable Duration haltLateness;
    private @Nullable Duration finalityCheckInterval;
    private @Nullable Duration reorgCheckInterval;
    private RpcPlan rpcPlan = RpcPlan.REQUESTS;
    private final Map<RpcUrl, RpcPlan> endpointPlans = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = Limits.checkNetwork("network name", name);
    }

    /** The chain id every endpoint must serve (required), e.g. 8217 for Klaytn. */
    public Builder chainId(long chainId) {
      if (chainId <= 0) {
        throw new IllegalArgumentException(
            "chainId of network " + name + " must be positive but was " + chainId);
      }
      this.chainId = chainId;
      this.identity = null;
      return this;
    }

    /**
     * The family of the network's nodes (default {@link Protocol#EVM}); a network of another family
     * is identified by {@link #identity(String)} instead of a chain id.
     */
    public Builder protocol(Protocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /**
     * What every endpoint must answer to prove it serves this chain (required unless a chain id is
     * set): e.g. the genesis block hash of a Bitcoin-family network, the {@code network} of a
     * CometBFT chain ({@code cosmoshub-4}). On EVM networks, the chain id as text.
     */
    public Builder identity(String identity) {
      Objects.requireNonNull(identity, "identity");
      String trimmed = identity.trim();
      if (trimmed.isEmpty()) {
        throw new IllegalArgumentException("identity of network " + name + " must not be empty");
      }
      this.identity = trimmed;
      this.chainId = -1;
      return this;
    }

    /** Adds endpoints (at least one in all); {@code http} or {@code https} URLs. */
    public Builder rpcUrls(String... urls) {
      return rpcUrls(Arrays.asList(urls));
    }

    /** Adds endpoints (at least one in all); {@code http} or {@code https} URLs. */
    public Builder rpcUrls(List<String> urls) {
      for (String url : urls) {
        RpcUrl parsed;
        try {
          checkUrlShape(url, "http:// https://");
          parsed = RpcUrl.parse(url);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("network " + name + ": " + e.getMessage(), e);
        }
        if (rpcUrls.contains(parsed)) {
          throw new IllegalArgumentException(
              "network " + name + " lists the RPC URL " + parsed + " twice");
        }
        rpcUrls.add(parsed);
      }
      return this;
    }

    /**
     * Adds an endpoint that pushes new heads: {@code rpcUrl} ({@code http}/{@code https}) is polled
     * as every endpoint is, and {@code wsUrl} ({@code ws}/{@code wss}) of the same node is
     * subscribed to {@code eth_subscribe("newHeads")}. EVM networks only. Endpoints added with
     * {@link #rpcUrls} are polled only.
     */
    public Builder endpoint(String rpcUrl, String wsUrl) {
      RpcUrl ws;
      try {
        checkUrlShape(wsUrl, "ws:// wss://");
        ws = RpcUrl.parseWebSocket(wsUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("network " + name + ": " + e.getMessage(), e);
      }
      rpcUrls(rpcUrl);
      wsUrls.put(rpcUrls.get(rpcUrls.size() - 1), ws);
      return this;
    }

    /** The expected block interval; default 12 s. */
    public Builder blockInterval(Duration interval) {
      positive("blockInterval", interval);
      this.blockInterval =
          within("blockInterval", interval, MIN_BLOCK_INTERVAL, MAX_BLOCK_INTERVAL);
      return this;
    }

    /** Halt after the head stands still this long; default the larger of 10 blocks and 30 s. */
    public Builder haltAfter(Duration haltAfter) {
      this.haltAfter = atLeast("haltAfter", positive("haltAfter", haltAfter), MIN_HALT_AFTER);
      return this;
    }

    /** Poll every endpoint this often; default the block interval, within 100 ms and 5 s. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval =
          atLeast("pollInterval", positive("pollInterval", pollInterval), MIN_REQUEST_INTERVAL);
      return this;
    }

    /** Unreachable after no endpoint answered this long; default {@code haltAfter}. */
    public Builder unreachableAfter(Duration unreachableAfter) {
      this.unreachableAfter = positive("unreachableAfter", unreachableAfter);
      return this;
    }

    /**
     * One request may take this long in all; default twice the poll interval, within 1 s to 5 s and
     * at most half of haltAfter.
     */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout =
          atLeast(
              "requestTimeout", positive("requestTimeout", requestTimeout), MIN_REQUEST_INTERVAL);
      return this;
    }

    /** Allowance for clock skew in the stale-timestamp rule; default 15 s. */
    public Builder timestampSkew(Duration skew) {
      Objects.requireNonNull(skew, "timestampSkew");
      if (skew.isNegative()) {
        throw new IllegalArgumentException(
            "timestampSkew of network " + name + " must not be negative but was " + skew);
      }
      this.timestampSkew = skew;
      return this;
    }

    /** An endpoint trailing the network head by more blocks is LAGGING; default 5. */
    public Builder maxLagBlocks(int blocks) {
      if (blocks < 0) {
        throw new IllegalArgumentException(
            "maxLagBlocks of network " + name + " must not be negative but was " + blocks);
      }
      this.maxLagBlocks = blocks;
      return this;
    }

    /**
     * How many endpoints must have reached a head for it to count; default 0 = a majority of the
     * endpoints currently answering on the right chain.
     */
    public Builder quorum(int quorum) {
      if (quorum < 0) {
        throw new IllegalArgumentException(
            "quorum of network " + name + " must not be negative but was " + quorum);
      }
      this.quorum = quorum;
      return this;
    }

    /** Check each endpoint's chain id again this often; default 5 min. */
    public Builder chainIdCheckInterval(Duration interval) {
      this.chainIdCheckInterval =
          atLeast(
              "chainIdCheckInterval",
              positive("chainIdCheckInterval", interval),
              MIN_CHECK_INTERVAL);
      return this;
    }

    /** Check each endpoint's {@code eth_syncing} this often; default 1 min. */
    public Builder syncingCheckInterval(Duration interval) {
      this.syncingCheckInterval =
          atLeast(
              "syncingCheckInterval",
              positive("syncingCheckInterval", interval),
              MIN_CHECK_INTERVAL);
      return this;
    }

    /** The recovery rule for deposits; default {@link RecoveryRule#DEPOSIT_DEFAULT}. */
    public Builder depositRecovery(RecoveryRule rule) {
      this.depositRecovery = Objects.requireNonNull(rule, "depositRecovery");
      return this;
    }

    /** The recovery rule for withdrawals; default {@link RecoveryRule#WITHDRAWAL_DEFAULT}. */
    public Builder withdrawalRecovery(RecoveryRule rule) {
      this.withdrawalRecovery = Objects.requireNonNull(rule, "withdrawalRecovery");
      return this;
    }

    /**
     * Fills chain id, block interval, mode, confirmations and finality watching from a preset;
     * anything set after it overrides the preset's value.
     */
    public Builder preset(NetworkPreset preset) {
      Objects.requireNonNull(preset, "preset").applyTo(this);
      return this;
    }

    /** How the network produces blocks; default {@link NetworkMode#CONTINUOUS}. */
    public Builder mode(NetworkMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Which JSON-RPC names its nodes understand; default {@link RpcNamespace#ETH}. */
    public Builder namespace(RpcNamespace namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /** Blocks after which a deposit is final for the exchange; default 12. */
    public Builder confirmations(int confirmations) {
      if (confirmations < 1) {
        throw new IllegalArgumentException(
            "confirmations of network " + name + " must be at least 1 but was " + confirmations);
      }
      this.confirmations = confirmations;
      return this;
    }

    /** A reorganisation at least this deep is DEEP_REORG; default the confirmations. */
    public Builder maxReorgDepth(int depth) {
      if (depth < 1) {
        throw new IllegalArgumentException(
            "maxReorgDepth of network " + name + " must be at least 1 but was " + depth);
      }
      this.maxReorgDepth = depth;
      return this;
    }

    /**
     * Watches the {@code finalized} block: stalled when it has not advanced for this long while the
     * head moves. Default: not watched (networks without the tag).
     */
    public Builder finalityStallAfter(Duration after) {
      this.finalityStallAfter = positive("finalityStallAfter", after);
      return this;
    }

    /** Slow when the mean interval exceeds this many block intervals; default 3. */
    public Builder slowFactor(double factor) {
      if (!(factor > 1.0) || Double.isInfinite(factor)) {
        throw new IllegalArgumentException(
            "slowFactor of network " + name + " must be above 1 but was " + factor);
      }
      this.slowFactor = factor;
      return this;
    }

    /** How many recent blocks the slow-block mean covers; default 20. */
    public Builder slowWindow(int blocks) {
      if (blocks < 2) {
        throw new IllegalArgumentException(
            "slowWindow of network " + name + " must be at least 2 blocks but was " + blocks);
      }
      this.slowWindow = blocks;
      return this;
    }

    /** Adds a planned maintenance window. */
    public Builder maintenance(MaintenanceWindow window) {
      maintenance.add(Objects.requireNonNull(window, "maintenance"));
      return this;
    }

    /** A liveness probe for an on-demand network, run every {@code interval}. */
    public Builder livenessProbe(LivenessProbe probe, Duration interval) {
      this.livenessProbe = Objects.requireNonNull(probe, "livenessProbe");
      this.livenessInterval =
          atLeast("livenessInterval", positive("livenessInterval", interval), MIN_CHECK_INTERVAL);
      return this;
    }

    /**
     * Which directions {@code reason} suspends on this network (none: report only), replacing the
     * default in {@link NetworkConfig#DEFAULT_POLICY}. E.g. {@code suspendOn(SLOW_BLOCKS,
     * DEPOSIT)}.
     */
    public Builder suspendOn(Reason reason, Direction... directions) {
      if (reason == Reason.HEALTHY
          || reason == Reason.STARTING
          || reason == Reason.OPERATOR
          || reason == Reason.STORE_UNAVAILABLE) {
        throw new IllegalArgumentException(
            "suspendOn of network " + name + " takes an automatic reason but was " + reason);
      }
      Set<Direction> set = EnumSet.noneOf(Direction.class);
      set.addAll(Arrays.asList(directions));
      policy.put(reason, Collections.unmodifiableSet(set));
      return this;
    }

    /**
     * Reads the rollup's Chainlink L2 sequencer uptime feed at this address (EVM networks: {@code
     * 0x} and 40 hex digits, e.g. Arbitrum One's {@code 0xFdB631F5EE196F0ed6FAa767959853A9F217697D}
     * from Chainlink's list of L2 sequencer uptime feeds): answer 1 suspends with {@link
     * Reason#SEQUENCER_DOWN} at once; once it is back, {@link Reason#SEQUENCER_GRACE} holds for
     * {@link #sequencerGracePeriod}. Default: no feed.
     */
    public Builder sequencerFeed(String address) {
      Objects.requireNonNull(address, "sequencerFeed");
      String trimmed = address.trim();
      if (!FEED_ADDRESS.matcher(trimmed).matches()) {
        throw new IllegalArgumentException(
            "sequencerFeed of network "
                + name
                + " must be a contract address (0x and 40 hex digits) but was '"
                + SafeText.escape(address)
                + "'");
      }
      this.sequencerFeed = trimmed;
      return this;
    }

    /** Reads the sequencer uptime feed this often; default 30 s, at least 100 ms. */
    public Builder sequencerCheckInterval(Duration interval) {
      this.sequencerCheckInterval =
          atLeast(
              "sequencerCheckInterval",
              positive("sequencerCheckInterval", interval),
              MIN_CHECK_INTERVAL);
      return this;
    }

    /**
     * How late after {@code haltAfter} a halt may be caught, from the last real block; the polls
     * the halt bound needs come this often (see {@link NetworkConfig#haltLateness()}). Default a
     * fifth of {@code haltAfter}, at least the block interval, at most 30 s.
     */
    public Builder haltLateness(Duration lateness) {
      this.haltLateness =
          atLeast("haltLateness", positive("haltLateness", lateness), MIN_REQUEST_INTERVAL);
      return this;
    }

    /**
     * Check this often that a poll finding several new blocks still links to the block seen at the
     * last check (see {@link NetworkConfig#reorgCheckInterval()}); default ten poll intervals, at
     * most 1 min, at least the poll interval (the poll interval where polls come at least once a
     * block interval). Set it to the poll interval to check at every poll.
     */
    public Builder reorgCheckInterval(Duration interval) {
      this.reorgCheckInterval =
          atLeast(
              "reorgCheckInterval", positive("reorgCheckInterval", interval), MIN_REQUEST_INTERVAL);
      return this;
    }

    /**
     * Ask for the {@code finalized} block this often where finality is watched; default a tenth of
     * {@code finalityStallAfter}, at least the poll interval.
     */
    public Builder finalityCheckInterval(Duration interval) {
      this.finalityCheckInterval =
          atLeast(
              "finalityCheckInterval",
              positive("finalityCheckInterval", interval),
              MIN_CHECK_INTERVAL);
      return this;
    }

    /**
     * How long after the sequencer is back up (the feed's {@code startedAt}) {@link
     * Reason#SEQUENCER_GRACE} holds; default 1 h, Chainlink's example; zero: no grace.
     */
    public Builder sequencerGracePeriod(Duration grace) {
      Objects.requireNonNull(grace, "sequencerGracePeriod");
      if (grace.isNegative()) {
        throw new IllegalArgumentException(
            "sequencerGracePeriod of network " + name + " must not be negative but was " + grace);
      }
      this.sequencerGracePeriod = grace;
      return this;
    }

    /** What every endpoint of this network bills per call; default {@link RpcPlan#REQUESTS}. */
    public Builder rpcPlan(RpcPlan plan) {
      this.rpcPlan = Objects.requireNonNull(plan, "rpcPlan");
      return this;
    }

    /** What one endpoint (one of {@link #rpcUrls}) bills, when it differs from the network's. */
    public Builder rpcPlan(String rpcUrl, RpcPlan plan) {
      endpointPlans.put(RpcUrl.parse(rpcUrl), Objects.requireNonNull(plan, "rpcPlan"));
      return this;
    }

    /** The same recovery rule for both directions. */
    public Builder recovery(RecoveryRule rule) {
      return depositRecovery(rule).withdrawalRecovery(rule);
    }

    /** Builds the configuration, checking that chain id and endpoints were given. */
    public NetworkConfig build() {
      if (identity == null && chainId <= 0) {
        throw new IllegalArgumentException(
            protocol == Protocol.EVM
                ? "network " + name + " needs a chainId"
                : "network " + name + " needs an identity (its " + protocol.identityName() + ")");
      }
      String id = identity != null ? identity : String.valueOf(chainId);
      if (!protocol.accepts(id)) {
        throw new IllegalArgumentException(
            "identity of "
                + protocol
                + " network "
                + name
                + " must be a "
                + protocol.identityName()
                + " but was '"
                + SafeText.escape(id)
                + "'");
      }
      if (rpcUrls.isEmpty()) {
        throw new IllegalArgumentException("network " + name + " needs at least one RPC URL");
      }
      if (!wsUrls.isEmpty() && protocol != Protocol.EVM) {
        throw new IllegalArgumentException(
            "network "
                + name
                + " is a "
                + protocol
                + " network:"
                + " WebSocket URLs subscribe to eth_subscribe(\"newHeads\"), which only EVM nodes"
                + " serve");
      }
      if (sequencerFeed != null && protocol != Protocol.EVM) {
        throw new IllegalArgumentException(
            "network "
                + name
                + " is a "
                + protocol
                + " network: sequencerFeed is read with eth_call, which only EVM nodes serve");
      }
      if (new HashSet<>(rpcUrls).size() != rpcUrls.size()) {
        throw new IllegalArgumentException("network " + name + " lists an RPC URL twice");
      }
      for (RpcUrl planned : endpointPlans.keySet()) {
        if (!rpcUrls.contains(planned)) {
          throw new IllegalArgumentException(
              "network "
                  + name
                  + " has an RPC plan for "
                  + planned
                  + ", which is not one of its RPC URLs");
        }
      }
      return new NetworkConfig(this);
    }

    private Duration atLeast(String what, Duration value, Duration min) {
      if (value.compareTo(min) < 0) {
        throw new IllegalArgumentException(
            what
                + " of network "
                + name
                + " must be at least "
                + min
                + " but was "
                + value
                + hint(value, min));
      }
      return value;
    }

    private Duration within(String what, Duration value, Duration min, Duration max) {
      atLeast(what, value, min);
      if (value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            what + " of network " + name + " must be at most " + max + " but was " + value);
      }
      return value;
    }

    private Duration positive(String what, Duration value) {
      Objects.requireNonNull(value, what);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            what + " of network " + name + " must be positive but was " + value);
      }
      return value;
    }
  }
}
