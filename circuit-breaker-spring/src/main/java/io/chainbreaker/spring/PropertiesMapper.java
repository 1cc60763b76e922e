package io.chainbreaker.spring;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.MaintenanceWindow;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.NetworkPreset;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.TokenConfig;
import java.time.Duration;
import java.util.Map;
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
    if (n.getPreset() != null) {
      set(key + ".preset", n.getPreset(), p -> b.preset(NetworkPreset.named(p)));
    } else if (n.getChainId() == null) {
      throw new InvalidChainBreakerConfigurationException(key + ".chain-id",
          "network " + name + " needs a chain id or a preset");
    }
    set(key + ".chain-id", n.getChainId(), b::chainId);
    set(key + ".mode", n.getMode(), b::mode);
    set(key + ".namespace", n.getNamespace(), b::namespace);
    set(key + ".confirmations", n.getConfirmations(), b::confirmations);
    set(key + ".max-reorg-depth", n.getMaxReorgDepth(), b::maxReorgDepth);
    set(key + ".finality-stall-after", n.getFinalityStallAfter(), b::finalityStallAfter);
    set(key + ".slow-factor", n.getSlowFactor(), b::slowFactor);
    set(key + ".slow-window", n.getSlowWindow(), b::slowWindow);
    n.getSuspendOn().forEach((reason, directions) -> set(key + ".suspend-on." + reason, directions,
        d -> b.suspendOn(reason, d.toArray(new Direction[0]))));
    for (int i = 0; i < n.getMaintenance().size(); i++) {
      ChainBreakerProperties.Maintenance m = n.getMaintenance().get(i);
      set(key + ".maintenance[" + i + "]", m, w -> {
        if (w.getStart() == null || w.getEnd() == null) {
          throw new IllegalArgumentException("a maintenance window needs a start and an end");
        }
        b.maintenance(new MaintenanceWindow(w.getStart(), w.getEnd(), w.getNote()));
      });
    }
    if (n.getRpcUrls().isEmpty()) {
      throw new InvalidChainBreakerConfigurationException(key + ".rpc-urls",
          "network " + name + " needs at least one RPC URL");
    }
    for (int i = 0; i < n.getRpcUrls().size(); i++) {
      set(key + ".rpc-urls[" + i + "]", n.getRpcUrls().get(i), b::rpcUrls);
    }
    for (int i = 0; i < n.getWsUrls().size(); i++) {
      set(key + ".ws-urls[" + i + "]", n.getWsUrls().get(i), u -> b.wsUrls(u));
    }
    set(key + ".block-interval", n.getBlockInterval(), b::blockInterval);
    set(key + ".halt-after", n.getHaltAfter(), b::haltAfter);
    set(key + ".poll-interval", n.getPollInterval(), b::pollInterval);
    set(key + ".unreachable-after", n.getUnreachableAfter(), b::unreachableAfter);
    set(key + ".request-timeout", n.getRequestTimeout(), b::requestTimeout);
    set(key + ".timestamp-skew", n.getTimestampSkew(), b::timestampSkew);
    set(key + ".max-lag-blocks", n.getMaxLagBlocks(), b::maxLagBlocks);
    set(key + ".quorum", n.getQuorum(), b::quorum);
    set(key + ".chain-id-check-interval", n.getChainIdCheckInterval(), b::chainIdCheckInterval);
    set(key + ".syncing-check-interval", n.getSyncingCheckInterval(), b::syncingCheckInterval);
    ChainBreakerProperties.Rule deposit = n.getRecovery().getDeposit();
    if (deposit.isSet()) {
      b.depositRecovery(rule(key + ".recovery.deposit", deposit, RecoveryRule.DEPOSIT_DEFAULT));
    }
    ChainBreakerProperties.Rule withdrawal = n.getRecovery().getWithdrawal();
    if (withdrawal.isSet()) {
      b.withdrawalRecovery(
          rule(key + ".recovery.withdrawal", withdrawal, RecoveryRule.WITHDRAWAL_DEFAULT));
    }
    return guard(key, b::build);
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
