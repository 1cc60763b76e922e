package io.chainbreaker.spring;

import io.chainbreaker.Direction;
import io.chainbreaker.NetworkPreset;
import io.chainbreaker.NetworkSettings;
import io.chainbreaker.Reason;
import io.chainbreaker.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Binds one network under {@code chain-breaker.networks.<name>}: each setting of {@link
 * NetworkSettings#ALL} under its kebab name ({@code halt-after}, bound from the environment by
 * {@link NetworkSettingsBinder}, read with {@link #get}), and the settings with structure below.
 */
public class NetworkProperties {

  /**
   * Named defaults (klaytn, klaytn-testnet, ethereum, bsc, polygon, arbitrum, optimism, base,
   * avalanche, bitcoin, litecoin, dogecoin, solana, cosmos-hub, tron, aptos, sui) for chain id or
   * identity, block interval, mode, confirmations and finality; values set here win. Case and '-'
   * versus '_' do not matter.
   */
  private @Nullable NetworkPreset preset;

  /**
   * Which directions each automatic reason suspends, e.g. slow-blocks: [withdrawal]; an empty list
   * reports only. Unset reasons keep the defaults.
   */
  private Map<Reason, List<Direction>> suspendOn = new LinkedHashMap<>();

  /** Planned maintenance windows, each with start, end and note. */
  private List<Maintenance> maintenance = new ArrayList<>();

  /**
   * RPC endpoints (http or https) that are polled; keys in them are masked wherever they are shown.
   * An endpoint that also pushes new heads is listed under endpoints instead.
   */
  private List<String> rpcUrls = new ArrayList<>();

  /** Endpoints that push new heads: each an rpc-url polled and a ws-url subscribed to. */
  private List<Endpoint> endpoints = new ArrayList<>();

  /** The provider plan of this network's endpoints (a name under rpc-plans, or a preset). */
  private @Nullable String rpcPlan;

  /** Recovery rules of this network's tokens. */
  private final RecoveryProperties recovery = new RecoveryProperties();

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

  public Map<Reason, List<Direction>> getSuspendOn() {
    return suspendOn;
  }

  public void setSuspendOn(Map<Reason, List<Direction>> suspendOn) {
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

  public RecoveryProperties getRecovery() {
    return recovery;
  }

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

  /** A planned maintenance window: start, end and note. */
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
}
