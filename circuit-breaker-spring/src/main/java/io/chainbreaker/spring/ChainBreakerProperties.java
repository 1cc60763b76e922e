package io.chainbreaker.spring;

import io.chainbreaker.NetworkPreset;
import io.chainbreaker.NetworkSettings;
import io.chainbreaker.Setting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Chain Breaker's configuration, under the prefix {@code chain-breaker}: one properties class per
 * feature below it. Unset values take the engine's defaults (docs/configuration.md). The settings
 * of each network that take one value are those of {@link NetworkSettings#ALL}, bound by {@link
 * NetworkSettingsBinder}, which also fails start-up on any unknown key under the prefix (reported
 * with the nearest valid key): a misspelt setting must not be silently ignored.
 */
@ConfigurationProperties(prefix = "chain-breaker")
public class ChainBreakerProperties implements EnvironmentAware, InitializingBean {

  private @Nullable Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  /** Binds each network's settings of the registry and refuses unknown keys. */
  @Override
  public void afterPropertiesSet() {
    if (environment != null) {
      NetworkSettingsBinder.bind(environment, this);
    }
  }

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

  /**
   * One network: each setting of {@link NetworkSettings#ALL} under its kebab name ({@code
   * halt-after}, bound from the environment by {@link NetworkSettingsBinder}, read with {@link
   * #get}), and the settings with structure below.
   */
  public static class Network {

    /**
     * Named defaults (klaytn, klaytn-testnet, ethereum, bsc, polygon, arbitrum, optimism, base,
     * avalanche, bitcoin, litecoin, dogecoin, solana, cosmos-hub, tron, aptos, sui) for chain id or
     * identity, block interval, mode, confirmations and finality; values set here win. Case and '-'
     * versus '_' do not matter.
     */
    private @Nullable NetworkPreset preset;

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

    /** The provider plan of this network's endpoints (a name under rpc-plans, or a preset). */
    private @Nullable String rpcPlan;

    /** Recovery rules of this network's tokens. */
    private final Recovery recovery = new Recovery();

    /** The values of the registry's settings that were given, by setting name. */
    private final Map<String, Object> settings = new LinkedHashMap<>();

    /** The value given for {@code setting}, or null where it takes its default. */
    public <T> @Nullable T get(Setting<T> setting) {
      return setting.type().cast(settings.get(setting.name()));
    }

    /** Gives {@code setting} a value (null: its default). */
    public <T> void set(Setting<T> setting, @Nullable T value) {
      if (value == null) {
        settings.remove(setting.name());
      } else {
        settings.put(setting.name(), value);
      }
    }

    public @Nullable String getRpcPlan() {
      return rpcPlan;
    }

    public void setRpcPlan(@Nullable String rpcPlan) {
      this.rpcPlan = rpcPlan;
    }

    public @Nullable NetworkPreset getPreset() {
      return preset;
    }

    public void setPreset(@Nullable NetworkPreset preset) {
      this.preset = preset;
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

    public List<String> getRpcUrls() {
      return rpcUrls;
    }

    public void setRpcUrls(List<String> rpcUrls) {
      this.rpcUrls = rpcUrls;
    }

    public List<Endpoint> getEndpoints() {
      return endpoints;
    }

    public void setEndpoints(List<Endpoint> endpoints) {
      this.endpoints = endpoints;
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
