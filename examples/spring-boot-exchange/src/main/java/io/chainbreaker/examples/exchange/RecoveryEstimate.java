package io.chainbreaker.examples.exchange;

import io.chainbreaker.BreakerState;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkSettings;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.TokenSuspendedException;
import io.chainbreaker.spring.ChainBreakerProperties;
import io.chainbreaker.spring.NetworkProperties;
import io.chainbreaker.spring.RecoveryProperties;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * How long a suspended direction will still take, for {@code Retry-After}. A recovering direction
 * needs whichever is longer of its remaining grace and its remaining blocks at the network's block
 * interval; for a suspension nobody can time (a halted chain, an operator's hold) it is {@link
 * #UNKNOWN}.
 */
final class RecoveryEstimate {

  /** When the end of a suspension cannot be known. */
  static final Duration UNKNOWN = Duration.ofSeconds(30);

  private RecoveryEstimate() {}

  /**
   * The wait for {@code e}, at least one second. A {@code RECOVERING} status began when the chain
   * came back, so its {@code since} is the start of the grace and its {@code head} the restart
   * head.
   *
   * @param rule the recovery rule of the token and direction
   * @param blockInterval the network's expected block interval
   * @param head the network head now, or null if unknown
   */
  static Duration of(
      TokenSuspendedException e,
      RecoveryRule rule,
      Duration blockInterval,
      @Nullable Long head,
      Instant now) {
    if (e.state() != BreakerState.RECOVERING || e.head() == null || head == null) {
      return UNKNOWN;
    }
    Duration graceLeft = rule.grace().minus(Duration.between(e.since(), now));
    long blocksLeft = Math.max(0, rule.blocks() - (head - e.head()));
    Duration blocks = blockInterval.multipliedBy(blocksLeft);
    Duration need = graceLeft.compareTo(blocks) >= 0 ? graceLeft : blocks;
    return need.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : need;
  }

  /** The rule in force for {@code token} as the properties configure it (token over network). */
  static RecoveryRule rule(
      ChainBreakerProperties properties, String token, String network, Direction direction) {
    RecoveryRule dflt =
        direction == Direction.DEPOSIT
            ? RecoveryRule.DEPOSIT_DEFAULT
            : RecoveryRule.WITHDRAWAL_DEFAULT;
    RecoveryProperties.Rule tokenRule =
        pick(
            properties.getTokens().get(token) == null
                ? null
                : properties.getTokens().get(token).getRecovery(),
            direction);
    NetworkProperties n = properties.getNetworks().get(network);
    RecoveryProperties.Rule networkRule = pick(n == null ? null : n.getRecovery(), direction);
    Integer blocks =
        first(
            tokenRule == null ? null : tokenRule.getBlocks(),
            networkRule == null ? null : networkRule.getBlocks());
    Duration grace =
        first(
            tokenRule == null ? null : tokenRule.getGrace(),
            networkRule == null ? null : networkRule.getGrace());
    return RecoveryRule.of(
        blocks != null ? blocks : dflt.blocks(), grace != null ? grace : dflt.grace());
  }

  /** The network's block interval: its own, else its preset's, else the engine's 12 s. */
  static Duration blockInterval(ChainBreakerProperties properties, String network) {
    NetworkProperties n = properties.getNetworks().get(network);
    Duration own = n == null ? null : n.get(NetworkSettings.BLOCK_INTERVAL);
    if (own != null) {
      return own;
    }
    if (n != null && n.getPreset() != null) {
      return n.getPreset().blockInterval();
    }
    return Duration.ofSeconds(12);
  }

  private static RecoveryProperties.@Nullable Rule pick(
      @Nullable RecoveryProperties recovery, Direction direction) {
    if (recovery == null) {
      return null;
    }
    return direction == Direction.DEPOSIT ? recovery.getDeposit() : recovery.getWithdrawal();
  }

  private static <T> @Nullable T first(@Nullable T a, @Nullable T b) {
    return a != null ? a : b;
  }
}
