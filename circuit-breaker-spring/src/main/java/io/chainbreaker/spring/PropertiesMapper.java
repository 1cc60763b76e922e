package io.chainbreaker.spring;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.MaintenanceWindow;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.NetworkPreset;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.TokenConfig;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns {@link ChainBreakerProperties} into an engine builder. Every value goes through the
 * engine's own validating builders; a rejection is rethrown naming the property key, so start-up
 * fails with e.g. {@code chain-breaker.networks.klaytn.halt-after: haltAfter of network klaytn must be
 * positive but was PT-1S}.
 */
final class PropertiesMapper {

  private static final String PREFIX = "chain-breaker.";

  private PropertiesMapper() {}

  static ChainBreaker.Builder builder(ChainBreakerProperties properties) {
    if (properties.getNetworks().isEmpty()) {
      throw new InvalidChainBreakerConfigurationException(PREFIX + "networks",
          "at least one network must be configured");
    }
    ChainBreaker.Builder builder = ChainBreaker.builder();
    for (Map.Entry<String, ChainBreakerProperties.Network> e : properties.getNetworks().entrySet()) {
      builder.network(network(e.getKey(), e.getValue()));
    }
    for (Map.Entry<String, ChainBreakerProperties.Token> e : properties.getTokens().entrySet()) {
      String key = PREFIX + "tokens." + e.getKey();
      ChainBreakerProperties.Token t = e.getValue();
      if (t.getNetwork() == null || t.getNetwork().isBlank()) {
        throw new InvalidChainBreakerConfigurationException(key + ".network",
            "token " + e.getKey() + " needs a network");
      }
      if (!properties.getNetworks().containsKey(t.getNetwork())) {
        throw new InvalidChainBreakerConfigurationException(key + ".network",
            "token " + e.getKey() + " names the unknown network '" + t.getNetwork()
                + "'; configured networks: " + properties.getNetworks().keySet());
      }
      TokenConfig token = guard(key, () -> new TokenConfig(e.getKey(), t.getNetwork(),
          t.getContract()));
      ChainBreakerProperties.Rule deposit = t.getRecovery().getDeposit();
      if (deposit.isSet()) {
        token = token.withRecovery(Direction.DEPOSIT,
            rule(key + ".recovery.deposit", deposit, RecoveryRule.DEPOSIT_DEFAULT));
      }
      ChainBreakerProperties.Rule withdrawal = t.getRecovery().getWithdrawal();
      if (withdrawal.isSet()) {
        token = token.withRecovery(Direction.WITHDRAWAL,
            rule(key + ".recovery.withdrawal", withdrawal, RecoveryRule.WITHDRAWAL_DEFAULT));
      }
      builder.token(token);
    }
    return builder;
  }

  private static NetworkConfig network(String name, ChainBreakerProperties.Network n) {
    String key = PREFIX + "networks." + name;
    NetworkConfig.Builder b = guard(key, () -> NetworkConfig.builder(name));
    // The keys this network sets, so that a conflict between settings is reported against the
    // key the user wrote rather than a default derived from it.
    Set<String> given = new LinkedHashSet<>();
    if (n.getPreset() != null) {
      set(given, key + ".preset", n.getPreset(), p -> b.preset(NetworkPreset.named(p)));
    } else if (n.getChainId() == null && n.getIdentity() == null) {
      throw new InvalidChainBreakerConfigurationException(key + ".chain-id",
          "network " + name + " needs a chain id, an identity or a preset");
    }
    set(given, key + ".protocol", n.getProtocol(), b::protocol);
    set(given, key + ".chain-id", n.getChainId(), b::chainId);
    set(given, key + ".identity", n.getIdentity(), b::identity);
    set(given, key + ".mode", n.getMode(), b::mode);
    set(given, key + ".namespace", n.getNamespace(), b::namespace);
    set(given, key + ".confirmations", n.getConfirmations(), b::confirmations);
    set(given, key + ".max-reorg-depth", n.getMaxReorgDepth(), b::maxReorgDepth);
    set(given, key + ".finality-stall-after", n.getFinalityStallAfter(), b::finalityStallAfter);
    set(given, key + ".slow-factor", n.getSlowFactor(), b::slowFactor);
    set(given, key + ".slow-window", n.getSlowWindow(), b::slowWindow);
    n.getSuspendOn().forEach((reason, directions) -> set(given, key + ".suspend-on." + reason,
        directions, d -> b.suspendOn(reason, d.toArray(new Direction[0]))));
    for (int i = 0; i < n.getMaintenance().size(); i++) {
      ChainBreakerProperties.Maintenance m = n.getMaintenance().get(i);
      set(given, key + ".maintenance[" + i + "]", m, w -> {
        if (w.getStart() == null || w.getEnd() == null) {
          throw new IllegalArgumentException("a maintenance window needs a start and an end");
        }
        b.maintenance(new MaintenanceWindow(w.getStart(), w.getEnd(), w.getNote()));
      });
    }
    if (n.getRpcUrls().isEmpty() && n.getEndpoints().isEmpty()) {
      throw new InvalidChainBreakerConfigurationException(key + ".rpc-urls",
          "network " + name + " needs at least one RPC URL (rpc-urls, or endpoints[i].rpc-url)");
    }
    for (int i = 0; i < n.getRpcUrls().size(); i++) {
      set(given, key + ".rpc-urls[" + i + "]", n.getRpcUrls().get(i), b::rpcUrls);
    }
    for (int i = 0; i < n.getEndpoints().size(); i++) {
      ChainBreakerProperties.Endpoint e = n.getEndpoints().get(i);
      String at = key + ".endpoints[" + i + "]";
      if (e.getRpcUrl() == null) {
        throw new InvalidChainBreakerConfigurationException(at + ".rpc-url",
            "an endpoint needs its rpc-url (http or https)");
      }
      if (e.getWsUrl() == null) {
        set(given, at + ".rpc-url", e.getRpcUrl(), b::rpcUrls);
      } else {
        // Checked on its own first, so that a bad RPC URL is reported against its own key.
        set(given, at + ".rpc-url", e.getRpcUrl(),
            u -> NetworkConfig.builder(name).rpcUrls(u));
        set(given, at + ".ws-url", e.getWsUrl(), ws -> b.endpoint(e.getRpcUrl(), ws));
      }
    }
    set(given, key + ".block-interval", n.getBlockInterval(), b::blockInterval);
    set(given, key + ".halt-after", n.getHaltAfter(), b::haltAfter);
    set(given, key + ".poll-interval", n.getPollInterval(), b::pollInterval);
    set(given, key + ".unreachable-after", n.getUnreachableAfter(), b::unreachableAfter);
    set(given, key + ".request-timeout", n.getRequestTimeout(), b::requestTimeout);
    set(given, key + ".timestamp-skew", n.getTimestampSkew(), b::timestampSkew);
    set(given, key + ".max-lag-blocks", n.getMaxLagBlocks(), b::maxLagBlocks);
    set(given, key + ".quorum", n.getQuorum(), b::quorum);
    set(given, key + ".chain-id-check-interval", n.getChainIdCheckInterval(), b::chainIdCheckInterval);
    set(given, key + ".syncing-check-interval", n.getSyncingCheckInterval(), b::syncingCheckInterval);
    ChainBreakerProperties.Rule deposit = n.getRecovery().getDeposit();
    if (deposit.isSet()) {
      b.depositRecovery(rule(key + ".recovery.deposit", deposit, RecoveryRule.DEPOSIT_DEFAULT));
    }
    ChainBreakerProperties.Rule withdrawal = n.getRecovery().getWithdrawal();
    if (withdrawal.isSet()) {
      b.withdrawalRecovery(
          rule(key + ".recovery.withdrawal", withdrawal, RecoveryRule.WITHDRAWAL_DEFAULT));
    }
    try {
      return b.build();
    } catch (NetworkConfig.ConflictingSettingsException e) {
      throw new InvalidChainBreakerConfigurationException(suspect(key, e.settings(), given),
          e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new InvalidChainBreakerConfigurationException(key, e.getMessage());
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
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Sets a value through the engine's builder, remembering its key in {@code given}. */
  private static <T> void set(Set<String> given, String key, T value, Consumer<T> setter) {
    if (value != null) {
      given.add(key);
      set(key, value, setter);
    }
  }

  private static RecoveryRule rule(String key, ChainBreakerProperties.Rule r, RecoveryRule dflt) {
    int blocks = r.getBlocks() != null ? r.getBlocks() : dflt.blocks();
    Duration grace = r.getGrace() != null ? r.getGrace() : dflt.grace();
    return guard(key, () -> RecoveryRule.of(blocks, grace));
  }

  private static <T> void set(String key, T value, Consumer<T> setter) {
    if (value != null) {
      guard(key, () -> {
        setter.accept(value);
        return null;
      });
    }
  }

  private static <T> T guard(String key, java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidChainBreakerConfigurationException(key, e.getMessage());
    }
  }
}
