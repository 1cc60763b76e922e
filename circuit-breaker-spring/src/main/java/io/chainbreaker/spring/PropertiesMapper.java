package io.chainbreaker.spring;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.MaintenanceWindow;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.NetworkSettings;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.Setting;
import io.chainbreaker.TokenConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Turns {@link ChainBreakerProperties} into an engine builder: each network's settings of {@link
 * NetworkSettings#ALL} in one loop, then those with structure, and the tokens. Every value goes
 * through the engine's own validating builders; a rejection is rethrown naming the property key, so
 * start-up fails with e.g. {@code chain-breaker.networks.klaytn.halt-after: haltAfter of network
 * klaytn must be positive but was PT-1S}.
 */
final class PropertiesMapper {

  private static final String PREFIX = "chain-breaker.";

  private PropertiesMapper() {}

  static ChainBreaker.Builder builder(ChainBreakerProperties properties) {
    if (properties.getNetworks().isEmpty()) {
      throw new InvalidChainBreakerConfigurationException(
          PREFIX + "networks", "at least one network must be configured");
    }
    ChainBreaker.Builder builder = ChainBreaker.builder();
    for (Map.Entry<String, NetworkProperties> e : properties.getNetworks().entrySet()) {
      builder.network(network(e.getKey(), e.getValue(), properties.getRpcPlans()));
    }
    for (Map.Entry<String, TokenProperties> e : properties.getTokens().entrySet()) {
      tokens(properties, e.getKey(), e.getValue()).forEach(builder::token);
    }
    return builder;
  }

  /**
   * The tokens of one {@code tokens.<SYMBOL>} entry: one on {@code network}, or one per name in
   * {@code networks} (an asset on several networks), each with its contract from {@code
   * contracts.<network>}.
   */
  static List<TokenConfig> tokens(
      ChainBreakerProperties properties, String symbol, TokenProperties t) {
    String key = PREFIX + "tokens." + symbol;
    boolean one = t.getNetwork() != null && !t.getNetwork().isBlank();
    if (one && !t.getNetworks().isEmpty()) {
      throw new InvalidChainBreakerConfigurationException(
          key + ".networks",
          "token "
              + symbol
              + " sets both network and networks; use networks alone for an asset"
              + " on several networks");
    }
    if (!one && t.getNetworks().isEmpty()) {
      throw new InvalidChainBreakerConfigurationException(
          key + ".network",
          "token " + symbol + " needs a network (or networks, for an asset on several)");
    }
    if (!one && t.getContract() != null) {
      throw new InvalidChainBreakerConfigurationException(
          key + ".contract",
          "token "
              + symbol
              + " is on several networks; give its contract per network under "
              + key
              + ".contracts.<network>");
    }
    if (one && !t.getContracts().isEmpty()) {
      throw new InvalidChainBreakerConfigurationException(
          key + ".contracts",
          "token " + symbol + " is on one network; give its contract as " + key + ".contract");
    }
    List<String> networks = one ? List.of(t.getNetwork()) : t.getNetworks();
    for (String c : t.getContracts().keySet()) {
      if (!networks.contains(c)) {
        throw new InvalidChainBreakerConfigurationException(
            key + ".contracts." + c,
            "token "
                + symbol
                + " has a contract on '"
                + c
                + "', which is not among its networks "
                + networks);
      }
    }
    List<TokenConfig> result = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < networks.size(); i++) {
      String network = networks.get(i);
      String networkKey = one ? key + ".network" : key + ".networks[" + i + "]";
      if (!properties.getNetworks().containsKey(network)) {
        throw new InvalidChainBreakerConfigurationException(
            networkKey,
            "token "
                + symbol
                + " names the unknown network '"
                + network
                + "'; configured networks: "
                + properties.getNetworks().keySet());
      }
      if (!seen.add(network)) {
        throw new InvalidChainBreakerConfigurationException(
            networkKey, "token " + symbol + " names the network '" + network + "' twice");
      }
      String contract = one ? t.getContract() : t.getContracts().get(network);
      String contractKey = one ? key + ".contract" : key + ".contracts." + network;
      TokenConfig token =
          guard(
              contract == null ? key : contractKey,
              () -> new TokenConfig(symbol, network, contract));
      RecoveryProperties.Rule deposit = t.getRecovery().getDeposit();
      if (deposit.isSet()) {
        token =
            token.withRecovery(
                Direction.DEPOSIT,
                rule(key + ".recovery.deposit", deposit, RecoveryRule.DEPOSIT_DEFAULT));
      }
      RecoveryProperties.Rule withdrawal = t.getRecovery().getWithdrawal();
      if (withdrawal.isSet()) {
        token =
            token.withRecovery(
                Direction.WITHDRAWAL,
                rule(key + ".recovery.withdrawal", withdrawal, RecoveryRule.WITHDRAWAL_DEFAULT));
      }
      result.add(token);
    }
    return result;
  }

  /**
   * The plan {@code name} refers to: one under {@code rpc-plans}, else a preset; the key names
   * where it was referred to.
   */
  private static io.chainbreaker.RpcPlan plan(
      String key, String name, Map<String, RpcPlanProperties> plans) {
    RpcPlanProperties p = plans.get(name);
    if (p == null) {
      return guard(key, () -> io.chainbreaker.RpcPlan.named(name));
    }
    String at = PREFIX + "rpc-plans." + name;
    return guard(
        at,
        () -> {
          io.chainbreaker.RpcPlan base =
              p.getPreset() == null
                  ? io.chainbreaker.RpcPlan.REQUESTS
                  : io.chainbreaker.RpcPlan.named(p.getPreset());
          io.chainbreaker.RpcPlan plan =
              p.getDefaultWeight() != null
                  ? io.chainbreaker.RpcPlan.of(
                      name, p.getUnit() != null ? p.getUnit() : base.unit(), p.getDefaultWeight())
                  : base.named(name, p.getUnit() != null ? p.getUnit() : base.unit());
          if (p.getDefaultWeight() != null) {
            for (Map.Entry<String, Double> w : base.weights().entrySet()) {
              plan = plan.withWeight(w.getKey(), w.getValue());
            }
          }
          for (Map.Entry<String, Double> w : p.getWeights().entrySet()) {
            plan = plan.withWeight(w.getKey(), w.getValue());
          }
          if (p.getBudgetPerDay() != null) {
            plan = plan.withBudgetPerDay(p.getBudgetPerDay());
          }
          return plan;
        });
  }

  private static NetworkConfig network(
      String name, NetworkProperties n, Map<String, RpcPlanProperties> plans) {
    String key = PREFIX + "networks." + name;
    NetworkConfig.Builder b = guard(key, () -> NetworkConfig.builder(name));
    // The keys this network sets, so that a conflict between settings is reported against the
    // key the user wrote rather than a default derived from it.
    Set<String> given = new LinkedHashSet<>();
    if (n.getPreset() != null) {
      set(given, key + ".preset", n.getPreset(), b::preset);
    } else if (n.get(NetworkSettings.CHAIN_ID) == null && n.get(NetworkSettings.IDENTITY) == null) {
      throw new InvalidChainBreakerConfigurationException(
          key + ".chain-id", "network " + name + " needs a chain id, an identity or a preset");
    }
    for (Setting<?> setting : NetworkSettings.ALL) {
      set(given, key, n, setting, b);
    }
    n.getSuspendOn()
        .forEach(
            (reason, directions) ->
                set(
                    given,
                    key + ".suspend-on." + reason,
                    directions,
                    d -> b.suspendOn(reason, d.toArray(new Direction[0]))));
    for (int i = 0; i < n.getMaintenance().size(); i++) {
      NetworkProperties.Maintenance m = n.getMaintenance().get(i);
      set(
          given,
          key + ".maintenance[" + i + "]",
          m,
          w -> {
            if (w.getStart() == null || w.getEnd() == null) {
              throw new IllegalArgumentException("a maintenance window needs a start and an end");
            }
            b.maintenance(new MaintenanceWindow(w.getStart(), w.getEnd(), w.getNote()));
          });
    }
    if (n.getRpcUrls().isEmpty() && n.getEndpoints().isEmpty()) {
      throw new InvalidChainBreakerConfigurationException(
          key + ".rpc-urls",
          "network " + name + " needs at least one RPC URL (rpc-urls, or endpoints[i].rpc-url)");
    }
    for (int i = 0; i < n.getRpcUrls().size(); i++) {
      set(given, key + ".rpc-urls[" + i + "]", n.getRpcUrls().get(i), b::rpcUrls);
    }
    for (int i = 0; i < n.getEndpoints().size(); i++) {
      NetworkProperties.Endpoint e = n.getEndpoints().get(i);
      String at = key + ".endpoints[" + i + "]";
      String rpc = e.getRpcUrl();
      String ws = e.getWsUrl();
      if (rpc == null) {
        throw new InvalidChainBreakerConfigurationException(
            at + ".rpc-url", "an endpoint needs its rpc-url (http or https)");
      }
      if (ws == null) {
        set(given, at + ".rpc-url", rpc, b::rpcUrls);
      } else {
        // Checked on its own first, so that a bad RPC URL is reported against its own key.
        set(given, at + ".rpc-url", rpc, u -> NetworkConfig.builder(name).rpcUrls(u));
        set(given, at + ".ws-url", ws, w -> b.endpoint(rpc, w));
      }
    }
    if (n.getRpcPlan() != null) {
      b.rpcPlan(plan(key + ".rpc-plan", n.getRpcPlan(), plans));
    }
    for (int i = 0; i < n.getEndpoints().size(); i++) {
      NetworkProperties.Endpoint e = n.getEndpoints().get(i);
      String rpc = e.getRpcUrl();
      if (e.getRpcPlan() != null && rpc != null) {
        String at = key + ".endpoints[" + i + "].rpc-plan";
        io.chainbreaker.RpcPlan plan = plan(at, e.getRpcPlan(), plans);
        set(given, at, plan, p -> b.rpcPlan(rpc, p));
      }
    }
    RecoveryProperties.Rule deposit = n.getRecovery().getDeposit();
    if (deposit.isSet()) {
      b.depositRecovery(rule(key + ".recovery.deposit", deposit, RecoveryRule.DEPOSIT_DEFAULT));
    }
    RecoveryProperties.Rule withdrawal = n.getRecovery().getWithdrawal();
    if (withdrawal.isSet()) {
      b.withdrawalRecovery(
          rule(key + ".recovery.withdrawal", withdrawal, RecoveryRule.WITHDRAWAL_DEFAULT));
    }
    try {
      return b.build();
    } catch (NetworkConfig.ConflictingSettingsException e) {
      throw new InvalidChainBreakerConfigurationException(
          suspect(key, e.settings(), given), String.valueOf(e.getMessage()));
    } catch (IllegalArgumentException e) {
      throw new InvalidChainBreakerConfigurationException(key, String.valueOf(e.getMessage()));
    }
  }

  /** The first of {@code settings} that the user set, as a key; else the network's key. */
  private static String suspect(String key, List<String> settings, Set<String> given) {
    for (String setting : settings) {
      String candidate = key + "." + kebab(setting);
      if (given.contains(candidate)) {
        return candidate;
      }
    }
    return key;
  }

  /** {@code haltAfter} to {@code halt-after}. */
  static String kebab(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Sets the value given for {@code setting}, if any, under its key {@code network.kebab-name}. */
  private static <T> void set(
      Set<String> given,
      String network,
      NetworkProperties n,
      Setting<T> setting,
      NetworkConfig.Builder b) {
    set(given, network + "." + setting.kebabName(), n.get(setting), v -> setting.apply(b, v));
  }

  /** Sets a value through the engine's builder, remembering its key in {@code given}. */
  private static <T> void set(
      Set<String> given, String key, @Nullable T value, Consumer<T> setter) {
    if (value != null) {
      given.add(key);
      set(key, value, setter);
    }
  }

  private static RecoveryRule rule(String key, RecoveryProperties.Rule r, RecoveryRule dflt) {
    int blocks = r.getBlocks() != null ? r.getBlocks() : dflt.blocks();
    Duration grace = r.getGrace() != null ? r.getGrace() : dflt.grace();
    return guard(key, () -> RecoveryRule.of(blocks, grace));
  }

  private static <T> void set(String key, @Nullable T value, Consumer<T> setter) {
    if (value != null) {
      guard(
          key,
          () -> {
            setter.accept(value);
            return null;
          });
    }
  }

  private static <T> T guard(String key, java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidChainBreakerConfigurationException(key, String.valueOf(e.getMessage()));
    }
  }
}
