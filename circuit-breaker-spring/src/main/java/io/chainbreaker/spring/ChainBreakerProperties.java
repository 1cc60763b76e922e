package io.chainbreaker.spring;

import io.chainbreaker.NetworkSettings;
import java.util.LinkedHashMap;
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
  private Map<String, NetworkProperties> networks = new LinkedHashMap<>();

  /** Tokens, by symbol as the exchange writes it (e.g. PXL). */
  private Map<String, TokenProperties> tokens = new LinkedHashMap<>();

  /** Where overrides and the audit trail are kept. */
  private final StoreProperties store = new StoreProperties();

  /** Several replicas as one watcher on PostgreSQL. */
  private final FleetProperties fleet = new FleetProperties();

  /** Health indicator settings. */
  private final Health health = new Health();

  /** Where more tokens are listed at run time. */
  private final CatalogProperties catalog = new CatalogProperties();

  /** Actuator endpoint settings. */
  private final Management management = new Management();

  /** The public wallet-status document. */
  private final WalletStatusProperties walletStatus = new WalletStatusProperties();

  /** Incident notifications and the heartbeat. */
  private final NotificationsProperties notifications = new NotificationsProperties();

  /** The operator console. */
  private final ConsoleProperties console = new ConsoleProperties();

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

  public Map<String, NetworkProperties> getNetworks() {
    return networks;
  }

  public void setNetworks(Map<String, NetworkProperties> networks) {
    this.networks = networks;
  }

  public Map<String, TokenProperties> getTokens() {
    return tokens;
  }

  public void setTokens(Map<String, TokenProperties> tokens) {
    this.tokens = tokens;
  }

  public StoreProperties getStore() {
    return store;
  }

  public CatalogProperties getCatalog() {
    return catalog;
  }

  public Health getHealth() {
    return health;
  }

  public FleetProperties getFleet() {
    return fleet;
  }

  public Management getManagement() {
    return management;
  }

  public WalletStatusProperties getWalletStatus() {
    return walletStatus;
  }

  public NotificationsProperties getNotifications() {
    return notifications;
  }

  public ConsoleProperties getConsole() {
    return console;
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
}
