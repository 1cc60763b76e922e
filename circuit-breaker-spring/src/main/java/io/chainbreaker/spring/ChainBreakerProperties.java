package io.chainbreaker.spring;

import io.chainbreaker.NetworkPreset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Chain Breaker's configuration, under the prefix {@code chain-breaker}. Unset values take the
 * engine's defaults, documented in the README. An unknown key under the prefix fails start-up
 * (reported with the nearest valid key): a misspelt setting must not be silently ignored.
 */
@ConfigurationProperties(prefix = "chain-breaker", ignoreUnknownFields = false)
public class ChainBreakerProperties {

  /** Whether to create and start the chain breaker. */
  private boolean enabled = true;

  /** Networks to watch, by name (tokens refer to these names). */
  private Map<String, Network> networks = new LinkedHashMap<>();

  /** Tokens, by symbol as the exchange writes it (e.g. PXL). */
  private Map<String, Token> tokens = new LinkedHashMap<>();

  /** Where overrides and the audit trail are kept. */
  private final Store store = new Store();

  /** Several replicas as one watcher on PostgreSQL. */
  private final Fleet fleet = new Fleet();

  /** Health indicator settings. */
  private final Health health = new Health();

  /** Where more tokens are listed at run time. */
  private final CatalogSettings catalog = new CatalogSettings();

  /** Actuator endpoint settings. */
  private final Management management = new Management();

  /** The public wallet-status document. */
  private final WalletStatus walletStatus = new WalletStatus();

  /** Incident notifications and the heartbeat. */
  private final Notifications notifications = new Notifications();

  /** The operator console. */
  private final Console console = new Console();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * Provider plans by name, which networks and endpoints name in rpc-plan: each a preset (requests,
   * alchemy, quicknode, infura) or a unit and default weight, with weights per method and an
   * optional budget per day. The presets can be named without being listed.
   */
  private Map<String, RpcPlanProperties> rpcPlans = new LinkedHashMap<>();

  public Map<String, RpcPlanProperties> getRpcPlans() {
    return rpcPlans;
  }

  public void setRpcPlans(Map<String, RpcPlanProperties> rpcPlans) {
    this.rpcPlans = rpcPlans;
  }

  /** One provider plan: what each JSON-RPC method costs there, in its unit. */
  public static class RpcPlanProperties {

    /** The preset it starts from: requests, alchemy, quicknode or infura. Default requests. */
    private @Nullable String preset;

    /** The unit the provider bills in, e.g. CU or credits. Default the preset's. */
    private @Nullable String unit;

    /** What a call of a method without its own weight costs. Default the preset's. */
    private @Nullable Double defaultWeight;

    /** What one call of each method costs, e.g. eth_getBlockByNumber: 20. */
    private Map<String, Double> weights = new LinkedHashMap<>();

    /**
     * The budget per day over every endpoint on this plan: above it, auxiliary checks slow down
     * (never the polls the halt bound needs) and a warning says which network. Default none.
     */
    private @Nullable Double budgetPerDay;

    public @Nullable String getPreset() {
      return preset;
    }

    public void setPreset(@Nullable String preset) {
      this.preset = preset;
    }

    public @Nullable String getUnit() {
      return unit;
    }

    public void setUnit(@Nullable String unit) {
      this.unit = unit;
    }

    public @Nullable Double getDefaultWeight() {
      return defaultWeight;
    }

    public void setDefaultWeight(@Nullable Double defaultWeight) {
      this.defaultWeight = defaultWeight;
    }

    public Map<String, Double> getWeights() {
      return weights;
    }

    public void setWeights(Map<String, Double> weights) {
      this.weights = weights;
    }

    public @Nullable Double getBudgetPerDay() {
      return budgetPerDay;
    }

    public void setBudgetPerDay(@Nullable Double budgetPerDay) {
      this.budgetPerDay = budgetPerDay;
    }
  }

  public Map<String, Network> getNetworks() {
    return networks;
  }

  public void setNetworks(Map<String, Network> networks) {
    this.networks = networks;
  }

  public Map<String, Token> getTokens() {
    return tokens;
  }

  public void setTokens(Map<String, Token> tokens) {
    this.tokens = tokens;
  }

  public Store getStore() {
    return store;
  }

  public CatalogSettings getCatalog() {
    return catalog;
  }

  public Health getHealth() {
    return health;
  }

  /** Where state is kept. */
  public enum StoreType {
    /** In this JVM only: overrides are lost on restart. */
    MEMORY,
    /** In the application's DataSource (PostgreSQL or H2), shared by every instance. */
    JDBC
  }

  /** State store settings. */
  public static class Store {

    /**
     * Where overrides and the audit trail are kept: memory, or jdbc with the application's
     * DataSource.
     */
    private StoreType type = StoreType.MEMORY;

    /** Whether to create the chain_breaker_* tables if they do not exist (jdbc only). */
    private boolean createSchema = false;

    /** Id of this instance in the audit trail. Default host name and process id. */
    private @Nullable String instanceId;

    /** How long the store's writer waits before retrying after a database failure. */
    private Duration retryInterval = Duration.ofSeconds(1);

    /** How often overrides are read back from the store, to apply those made on other instances. */
    private Duration syncInterval = Duration.ofSeconds(1);

    public StoreType getType() {
      return type;
    }

    public void setType(StoreType type) {
      this.type = type;
    }

    public boolean isCreateSchema() {
      return createSchema;
    }

    public void setCreateSchema(boolean createSchema) {
      this.createSchema = createSchema;
    }

    public @Nullable String getInstanceId() {
      return instanceId;
    }

    public void setInstanceId(@Nullable String instanceId) {
      this.instanceId = instanceId;
    }

    public Duration getRetryInterval() {
      return retryInterval;
    }

    public void setRetryInterval(Duration retryInterval) {
      this.retryInterval = retryInterval;
    }

    public Duration getSyncInterval() {
      return syncInterval;
    }

    public void setSyncInterval(Duration syncInterval) {
      this.syncInterval = syncInterval;
    }
  }

  public Fleet getFleet() {
    return fleet;
  }

  /**
   * Several replicas of the service as one watcher on PostgreSQL: one leads (a lease with an epoch)
   * and watches the chains, the others apply its verdicts and watch no provider.
   */
  public static class Fleet {

    /**
     * Whether this instance is a member of a fleet. Default: on when the JDBC store is on a
     * PostgreSQL DataSource (more than one replica may run against it), off otherwise.
     */
    private @Nullable Boolean enabled;

    /** The fleet's name: the replicas of one service share it (several fleets may share a DB). */
    private String name = "chain-breaker";

    /** This instance's id in the lease. Default the store's instance id, else host and pid. */
    private @Nullable String instanceId;

    /** How long the lease lasts unless renewed; a dead leader is replaced within it + one poll. */
    private Duration leaseTtl = Duration.ofSeconds(10);

    /** How often a follower reads the leader's verdicts (it is also told at once by NOTIFY). */
    private Duration pollInterval = Duration.ofSeconds(1);

    /**
     * Verdict age past which this instance suspends a network's tokens with VIEW_STALE. Default
     * lease-ttl + 2 poll intervals.
     */
    private @Nullable Duration staleAfter;

    /** How long one call to the database may take before it counts as failed. */
    private Duration queryTimeout = Duration.ofSeconds(3);

    /** Whether to create the fleet's tables (lease, verdicts, outbox) if they do not exist. */
    private boolean createSchema = false;

    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public @Nullable String getInstanceId() {
      return instanceId;
    }

    public void setInstanceId(@Nullable String instanceId) {
      this.instanceId = instanceId;
    }

    public Duration getLeaseTtl() {
      return leaseTtl;
    }

    public void setLeaseTtl(Duration leaseTtl) {
      this.leaseTtl = leaseTtl;
    }

    public Duration getPollInterval() {
      return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    public @Nullable Duration getStaleAfter() {
      return staleAfter;
    }

    public void setStaleAfter(@Nullable Duration staleAfter) {
      this.staleAfter = staleAfter;
    }

    public Duration getQueryTimeout() {
      return queryTimeout;
    }

    public void setQueryTimeout(Duration queryTimeout) {
      this.queryTimeout = queryTimeout;
    }

    public boolean isCreateSchema() {
      return createSchema;
    }

    public void setCreateSchema(boolean createSchema) {
      this.createSchema = createSchema;
    }
  }

  public Management getManagement() {
    return management;
  }

  public WalletStatus getWalletStatus() {
    return walletStatus;
  }

  public Notifications getNotifications() {
    return notifications;
  }

  public Console getConsole() {
    return console;
  }

  /** One network. */
  public static class Network {

    /**
     * Named defaults (klaytn, klaytn-testnet, ethereum, bsc, polygon, arbitrum, optimism, base,
     * avalanche, bitcoin, litecoin, dogecoin, solana, cosmos-hub, tron, aptos, sui) for chain id or
     * identity, block interval, mode, confirmations and finality; values set here win. Case and '-'
     * versus '_' do not matter.
     */
    private @Nullable NetworkPreset preset;

    /** Chain id every endpoint must serve, e.g. 8217 for Klaytn (Kaia) mainnet. */
    private @Nullable Long chainId;

    /**
     * Family of the network's nodes: evm (default), bitcoin, solana, cometbft, tron, aptos, sui,
     * ton, xrpl, starknet, substrate, near, algorand, stellar or cardano.
     */
    private io.chainbreaker.@Nullable Protocol protocol;

    /**
     * What every endpoint must answer to prove it serves the chain, for networks that are not
     * identified by a chain id: e.g. the genesis hash of a Bitcoin-family network, or cosmoshub-4.
     */
    private @Nullable String identity;

    /** How the network produces blocks: continuous, or on-demand (an idle head is never a halt). */
    private io.chainbreaker.@Nullable NetworkMode mode;

    /** JSON-RPC method names the nodes understand: eth, or klay for Klaytn nodes before v1.10. */
    private io.chainbreaker.@Nullable RpcNamespace namespace;

    /** Blocks after which a deposit is final for the exchange. Default 12. */
    private @Nullable Integer confirmations;

    /**
     * A reorganisation at least this deep suspends deposits (DEEP_REORG). Default confirmations.
     */
    private @Nullable Integer maxReorgDepth;

    /** Watch the finalized block: stalled (FINALITY_STALLED) when it stands still this long. */
    private @Nullable Duration finalityStallAfter;

    /** Mean block interval above this many block intervals is SLOW_BLOCKS. Default 3. */
    private @Nullable Double slowFactor;

    /** Blocks the slow-block mean covers. Default 20. */
    private @Nullable Integer slowWindow;

    /**
     * Address of the rollup's Chainlink L2 sequencer uptime feed (EVM networks), read with eth_call
     * of latestRoundData(): answer 1 suspends at once (SEQUENCER_DOWN). Default none.
     */
    private @Nullable String sequencerFeed;

    /** How often the sequencer uptime feed is read. Default 30s. */
    private @Nullable Duration sequencerCheckInterval;

    /**
     * How long after the sequencer is back (the feed's startedAt) withdrawals stay held
     * (SEQUENCER_GRACE). Default 1h.
     */
    private @Nullable Duration sequencerGracePeriod;

    /**
     * Which directions each automatic reason suspends, e.g. slow-blocks: [withdrawal]; an empty
     * list reports only. Unset reasons keep the defaults.
     */
    private Map<io.chainbreaker.Reason, List<io.chainbreaker.Direction>> suspendOn =
        new LinkedHashMap<>();

    /** Planned maintenance windows, each with start, end and note. */
    private List<Maintenance> maintenance = new ArrayList<>();

    /**
     * RPC endpoints (http or https) that are polled; keys in them are masked wherever they are
     * shown. An endpoint that also pushes new heads is listed under endpoints instead.
     */
    private List<String> rpcUrls = new ArrayList<>();

    /** Endpoints that push new heads: each an rpc-url polled and a ws-url subscribed to. */
    private List<Endpoint> endpoints = new ArrayList<>();

    /** Expected time between blocks. Default 12s. */
    private @Nullable Duration blockInterval;

    /**
     * How long the head may stand still before the network counts as halted. Default max(10 blocks,
     * 30s).
     */
    private @Nullable Duration haltAfter;

    /** How often every endpoint is polled. Default halt-lateness. */
    private @Nullable Duration pollInterval;

    /**
     * How late after halt-after a halt may be caught, from the last real block: the polls the halt
     * bound needs come this often. Default a fifth of halt-after, at least the block interval, at
     * most 30s (poll-interval when only that is set).
     */
    private @Nullable Duration haltLateness;

    /**
     * How often the finalized block is asked for, where finality-stall-after is set. Default a
     * tenth of finality-stall-after, at least the poll interval.
     */
    private @Nullable Duration finalityCheckInterval;

    /** The provider plan of this network's endpoints (a name under rpc-plans, or a preset). */
    private @Nullable String rpcPlan;

    public @Nullable Duration getHaltLateness() {
      return haltLateness;
    }

    public void setHaltLateness(@Nullable Duration haltLateness) {
      this.haltLateness = haltLateness;
    }

    public @Nullable Duration getFinalityCheckInterval() {
      return finalityCheckInterval;
    }

    public void setFinalityCheckInterval(@Nullable Duration finalityCheckInterval) {
      this.finalityCheckInterval = finalityCheckInterval;
    }

    public @Nullable String getRpcPlan() {
      return rpcPlan;
    }

    public void setRpcPlan(@Nullable String rpcPlan) {
      this.rpcPlan = rpcPlan;
    }

    /**
     * How long no endpoint may answer before the network counts as unreachable. Default halt-after.
     */
    private @Nullable Duration unreachableAfter;

    /** How long one RPC request may take in all. Default min(5s, halt-after). */
    private @Nullable Duration requestTimeout;

    /** Clock-skew allowance of the stale block timestamp rule. Default 15s. */
    private @Nullable Duration timestampSkew;

    /** Blocks an endpoint may trail the network head before it is LAGGING. Default 5. */
    private @Nullable Integer maxLagBlocks;

    /** Endpoints that must have reached a head for it to count; 0 means a majority. Default 0. */
    private @Nullable Integer quorum;

    /** How often each endpoint's chain id is checked again. Default 5m. */
    private @Nullable Duration chainIdCheckInterval;

    /** How often each endpoint's eth_syncing is checked again. Default 1m. */
    private @Nullable Duration syncingCheckInterval;

    /** Recovery rules of this network's tokens. */
    private final Recovery recovery = new Recovery();

    public @Nullable NetworkPreset getPreset() {
      return preset;
    }

    public void setPreset(@Nullable NetworkPreset preset) {
      this.preset = preset;
    }

    public io.chainbreaker.@Nullable NetworkMode getMode() {
      return mode;
    }

    public void setMode(io.chainbreaker.@Nullable NetworkMode mode) {
      this.mode = mode;
    }

    public io.chainbreaker.@Nullable RpcNamespace getNamespace() {
      return namespace;
    }

    public void setNamespace(io.chainbreaker.@Nullable RpcNamespace namespace) {
      this.namespace = namespace;
    }

    public @Nullable Integer getConfirmations() {
      return confirmations;
    }

    public void setConfirmations(@Nullable Integer confirmations) {
      this.confirmations = confirmations;
    }

    public @Nullable Integer getMaxReorgDepth() {
      return maxReorgDepth;
    }

    public void setMaxReorgDepth(@Nullable Integer maxReorgDepth) {
      this.maxReorgDepth = maxReorgDepth;
    }

    public @Nullable Duration getFinalityStallAfter() {
      return finalityStallAfter;
    }

    public void setFinalityStallAfter(@Nullable Duration finalityStallAfter) {
      this.finalityStallAfter = finalityStallAfter;
    }

    public @Nullable Double getSlowFactor() {
      return slowFactor;
    }

    public void setSlowFactor(@Nullable Double slowFactor) {
      this.slowFactor = slowFactor;
    }

    public @Nullable Integer getSlowWindow() {
      return slowWindow;
    }

    public void setSlowWindow(@Nullable Integer slowWindow) {
      this.slowWindow = slowWindow;
    }

    public @Nullable String getSequencerFeed() {
      return sequencerFeed;
    }

    public void setSequencerFeed(@Nullable String sequencerFeed) {
      this.sequencerFeed = sequencerFeed;
    }

    public @Nullable Duration getSequencerCheckInterval() {
      return sequencerCheckInterval;
    }

    public void setSequencerCheckInterval(@Nullable Duration sequencerCheckInterval) {
      this.sequencerCheckInterval = sequencerCheckInterval;
    }

    public @Nullable Duration getSequencerGracePeriod() {
      return sequencerGracePeriod;
    }

    public void setSequencerGracePeriod(@Nullable Duration sequencerGracePeriod) {
      this.sequencerGracePeriod = sequencerGracePeriod;
    }

    public Map<io.chainbreaker.Reason, List<io.chainbreaker.Direction>> getSuspendOn() {
      return suspendOn;
    }

    public void setSuspendOn(
        Map<io.chainbreaker.Reason, List<io.chainbreaker.Direction>> suspendOn) {
      this.suspendOn = suspendOn;
    }

    public List<Maintenance> getMaintenance() {
      return maintenance;
    }

    public void setMaintenance(List<Maintenance> maintenance) {
      this.maintenance = maintenance;
    }

    public @Nullable Long getChainId() {
      return chainId;
    }

    public io.chainbreaker.@Nullable Protocol getProtocol() {
      return protocol;
    }

    public void setProtocol(io.chainbreaker.@Nullable Protocol protocol) {
      this.protocol = protocol;
    }

    public @Nullable String getIdentity() {
      return identity;
    }

    public void setIdentity(@Nullable String identity) {
      this.identity = identity;
    }

    public void setChainId(@Nullable Long chainId) {
      this.chainId = chainId;
    }

    public List<String> getRpcUrls() {
      return rpcUrls;
    }

    public List<Endpoint> getEndpoints() {
      return endpoints;
    }

    public void setEndpoints(List<Endpoint> endpoints) {
      this.endpoints = endpoints;
    }

    public void setRpcUrls(List<String> rpcUrls) {
      this.rpcUrls = rpcUrls;
    }

    public @Nullable Duration getBlockInterval() {
      return blockInterval;
    }

    public void setBlockInterval(@Nullable Duration blockInterval) {
      this.blockInterval = blockInterval;
    }

    public @Nullable Duration getHaltAfter() {
      return haltAfter;
    }

    public void setHaltAfter(@Nullable Duration haltAfter) {
      this.haltAfter = haltAfter;
    }

    public @Nullable Duration getPollInterval() {
      return pollInterval;
    }

    public void setPollInterval(@Nullable Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    public @Nullable Duration getUnreachableAfter() {
      return unreachableAfter;
    }

    public void setUnreachableAfter(@Nullable Duration unreachableAfter) {
      this.unreachableAfter = unreachableAfter;
    }

    public @Nullable Duration getRequestTimeout() {
      return requestTimeout;
    }

    public void setRequestTimeout(@Nullable Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
    }

    public @Nullable Duration getTimestampSkew() {
      return timestampSkew;
    }

    public void setTimestampSkew(@Nullable Duration timestampSkew) {
      this.timestampSkew = timestampSkew;
    }

    public @Nullable Integer getMaxLagBlocks() {
      return maxLagBlocks;
    }

    public void setMaxLagBlocks(@Nullable Integer maxLagBlocks) {
      this.maxLagBlocks = maxLagBlocks;
    }

    public @Nullable Integer getQuorum() {
      return quorum;
    }

    public void setQuorum(@Nullable Integer quorum) {
      this.quorum = quorum;
    }

    public @Nullable Duration getChainIdCheckInterval() {
      return chainIdCheckInterval;
    }

    public void setChainIdCheckInterval(@Nullable Duration chainIdCheckInterval) {
      this.chainIdCheckInterval = chainIdCheckInterval;
    }

    public @Nullable Duration getSyncingCheckInterval() {
      return syncingCheckInterval;
    }

    public void setSyncingCheckInterval(@Nullable Duration syncingCheckInterval) {
      this.syncingCheckInterval = syncingCheckInterval;
    }

    public Recovery getRecovery() {
      return recovery;
    }
  }

  /** A planned maintenance window. */
  /**
   * One endpoint of a network that pushes new heads: its HTTP URL and the same node's WebSocket.
   */
  public static class Endpoint {

    /** The node's JSON-RPC URL (http or https), polled like every endpoint. */
    private @Nullable String rpcUrl;

    /** The same node's WebSocket URL (ws or wss), subscribed to eth_subscribe("newHeads"). */
    private @Nullable String wsUrl;

    /** This endpoint's provider plan, when it differs from the network's rpc-plan. */
    private @Nullable String rpcPlan;

    public @Nullable String getRpcPlan() {
      return rpcPlan;
    }

    public void setRpcPlan(@Nullable String rpcPlan) {
      this.rpcPlan = rpcPlan;
    }

    public @Nullable String getRpcUrl() {
      return rpcUrl;
    }

    public void setRpcUrl(@Nullable String rpcUrl) {
      this.rpcUrl = rpcUrl;
    }

    public @Nullable String getWsUrl() {
      return wsUrl;
    }

    public void setWsUrl(@Nullable String wsUrl) {
      this.wsUrl = wsUrl;
    }
  }

  public static class Maintenance {

    /** When it begins (ISO-8601 instant). */
    private java.time.@Nullable Instant start;

    /** When it ends (ISO-8601 instant). */
    private java.time.@Nullable Instant end;

    /** What it is, for people. */
    private String note = "planned maintenance";

    public java.time.@Nullable Instant getStart() {
      return start;
    }

    public void setStart(java.time.@Nullable Instant start) {
      this.start = start;
    }

    public java.time.@Nullable Instant getEnd() {
      return end;
    }

    public void setEnd(java.time.@Nullable Instant end) {
      this.end = end;
    }

    public String getNote() {
      return note;
    }

    public void setNote(String note) {
      this.note = note;
    }
  }

  /** Recovery rules per direction. */
  public static class Recovery {

    /** When deposits resume after an automatic suspension. Default 5 blocks and 30s. */
    private final Rule deposit = new Rule();

    /** When withdrawals resume after an automatic suspension. Default 10 blocks and 60s. */
    private final Rule withdrawal = new Rule();

    public Rule getDeposit() {
      return deposit;
    }

    public Rule getWithdrawal() {
      return withdrawal;
    }
  }

  /** A recovery rule; unset parts take the default. */
  public static class Rule {

    /** Blocks the head must advance past the restart. */
    private @Nullable Integer blocks;

    /** Time that must pass after the restart. */
    private @Nullable Duration grace;

    public @Nullable Integer getBlocks() {
      return blocks;
    }

    public void setBlocks(@Nullable Integer blocks) {
      this.blocks = blocks;
    }

    public @Nullable Duration getGrace() {
      return grace;
    }

    public void setGrace(@Nullable Duration grace) {
      this.grace = grace;
    }

    boolean isSet() {
      return blocks != null || grace != null;
    }
  }

  /** One token. */
  public static class Token {

    /** Name of the token's network, a key under chain-breaker.networks. */
    private @Nullable String network;

    /**
     * Names of the networks an asset is listed on, when more than one (e.g. ethereum,tron): one
     * token per network, each with its own breakers. Use instead of network.
     */
    private List<String> networks = new ArrayList<>();

    /**
     * Contract address per network, for an asset on several networks (e.g.
     * contracts.ethereum=0x...); a network not named here is the token with no contract.
     */
    private Map<String, String> contracts = new LinkedHashMap<>();

    /** Contract address (0x and 40 hex digits); unset for the network's native coin. */
    private @Nullable String contract;

    /** This token's own recovery rules, overriding its network's. */
    private final Recovery recovery = new Recovery();

    public @Nullable String getNetwork() {
      return network;
    }

    public void setNetwork(@Nullable String network) {
      this.network = network;
    }

    public @Nullable String getContract() {
      return contract;
    }

    public void setContract(@Nullable String contract) {
      this.contract = contract;
    }

    public List<String> getNetworks() {
      return networks;
    }

    public void setNetworks(List<String> networks) {
      this.networks = networks;
    }

    public Map<String, String> getContracts() {
      return contracts;
    }

    public void setContracts(Map<String, String> contracts) {
      this.contracts = contracts;
    }

    public Recovery getRecovery() {
      return recovery;
    }
  }

  /** Where more tokens are listed at run time, beside chain-breaker.tokens. */
  public static class CatalogSettings {

    /** The catalog table in the application's database. */
    private final JdbcCatalogSettings jdbc = new JdbcCatalogSettings();

    public JdbcCatalogSettings getJdbc() {
      return jdbc;
    }
  }

  /** The catalog table chain_breaker_catalog, shared by every instance. */
  public static class JdbcCatalogSettings {

    /**
     * Whether tokens listed in the table chain_breaker_catalog of the application's DataSource are
     * watched too (read at start and every store.sync-interval), and whether the actuator's catalog
     * operations write there.
     */
    private boolean enabled = false;

    /** Whether to create the table if it does not exist. */
    private boolean createSchema = false;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isCreateSchema() {
      return createSchema;
    }

    public void setCreateSchema(boolean createSchema) {
      this.createSchema = createSchema;
    }
  }

  /** Health indicator settings. */
  public static class Health {

    /**
     * Whether to contribute network health to the actuator health endpoint. It always reports UP: a
     * halted chain is business state, not a broken application.
     */
    private boolean enabled = false;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Actuator endpoint settings. */
  public static class Management {

    /** Role an authenticated principal needs to force or clear overrides through the endpoint. */
    private String operatorRole = "CHAIN_BREAKER_OPERATOR";

    public String getOperatorRole() {
      return operatorRole;
    }

    public void setOperatorRole(String operatorRole) {
      this.operatorRole = operatorRole;
    }
  }

  /** The public wallet-status document (per asset and network: may users deposit, withdraw). */
  public static class WalletStatus {

    /**
     * Whether to serve the wallet status to anyone, signed in or not. It shows states and reason
     * codes only: never operators' names, their free text or RPC URLs.
     */
    private boolean enabled = true;

    /** Path the wallet status is served at. */
    private String path = "/chain-breaker/wallet-status";

    /**
     * Longest time a cached document is served. Every token transition replaces it at once; this
     * bound only covers a transition whose notification was lost.
     */
    private Duration maxAge = Duration.ofSeconds(10);

    /**
     * Asset code of each token symbol that differs from it, e.g. USDT-TRON: USDT, so that one asset
     * listed on several networks is one entry with several networks.
     */
    private Map<String, String> assetCodes = new LinkedHashMap<>();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public Duration getMaxAge() {
      return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
    }

    public Map<String, String> getAssetCodes() {
      return assetCodes;
    }

    public void setAssetCodes(Map<String, String> assetCodes) {
      this.assetCodes = assetCodes;
    }
  }

  /** Incident notifications and the heartbeat. */
  public static class Notifications {

    /** The incident webhook. */
    private final Webhook webhook = new Webhook();

    /** The heartbeat to a dead-man's switch. */
    private final HeartbeatSettings heartbeat = new HeartbeatSettings();

    public Webhook getWebhook() {
      return webhook;
    }

    public HeartbeatSettings getHeartbeat() {
      return heartbeat;
    }
  }

  /** The incident webhook: one message per network incident and one when it is resolved. */
  public static class Webhook {

    /** URL to POST incident messages to (a secret: shown only as scheme and host). Unset: none. */
    private @Nullable String url;

    /** How messages are written: json (a generic object) or slack ({"text": ...}). */
    private WebhookFormat format = WebhookFormat.JSON;

    /**
     * How long a network must stay recovered before its incident is resolved; a relapse within it
     * continues the incident without a new message.
     */
    private Duration dedupWindow = Duration.ofMinutes(1);

    /** Deliveries tried per message (connection errors, 429 and 5xx are retried). */
    private int maxAttempts = 5;

    /** Wait after the first failed delivery; doubled after each, at most 1 minute. */
    private Duration initialBackoff = Duration.ofSeconds(1);

    /** Network changes held while the notifier is busy; more are dropped with a WARN. */
    private int queueCapacity = 1000;

    public @Nullable String getUrl() {
      return url;
    }

    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    public WebhookFormat getFormat() {
      return format;
    }

    public void setFormat(WebhookFormat format) {
      this.format = format;
    }

    public Duration getDedupWindow() {
      return dedupWindow;
    }

    public void setDedupWindow(Duration dedupWindow) {
      this.dedupWindow = dedupWindow;
    }

    public int getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getInitialBackoff() {
      return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    public int getQueueCapacity() {
      return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
    }

    @Override
    public String toString() {
      return "Webhook[url=" + (url == null ? null : "***") + ", format=" + format + "]";
    }
  }

  /** The heartbeat: a GET to a dead-man's switch so people learn when the monitor is gone. */
  public static class HeartbeatSettings {

    /** URL to GET every interval (a secret: shown only as scheme and host). Unset: none. */
    private @Nullable String url;

    /** Time between pings; the switch should alert after missing a few. */
    private Duration interval = Duration.ofMinutes(1);

    public @Nullable String getUrl() {
      return url;
    }

    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }

    @Override
    public String toString() {
      return "Heartbeat[url=" + (url == null ? null : "***") + ", interval=" + interval + "]";
    }
  }

  /**
   * The operator console: a page and its JSON API for signed-in users with the viewer or operator
   * role; overrides need the operator role ({@code chain-breaker.management.operator-role}).
   */
  public static class Console {

    /**
     * Whether to serve the console (off unless asked for). Its data and actions check roles
     * themselves: without a signed-in user in a role, every request is refused.
     */
    private boolean enabled = false;

    /** Path of the console page; its JSON API is under {path}/api. */
    private String path = "/chain-breaker";

    /** Role a signed-in user needs to read the console (operators may read too). */
    private String viewerRole = "CHAIN_BREAKER_VIEWER";

    /** How often the page asks for fresh status. */
    private Duration refreshInterval = Duration.ofSeconds(3);

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public String getViewerRole() {
      return viewerRole;
    }

    public void setViewerRole(String viewerRole) {
      this.viewerRole = viewerRole;
    }

    public Duration getRefreshInterval() {
      return refreshInterval;
    }

    public void setRefreshInterval(Duration refreshInterval) {
      this.refreshInterval = refreshInterval;
    }
  }
}
