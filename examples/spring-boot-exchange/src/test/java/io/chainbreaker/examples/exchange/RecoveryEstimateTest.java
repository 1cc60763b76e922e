package io.chainbreaker.examples.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.BreakerState;
import io.chainbreaker.Direction;
import io.chainbreaker.DirectionStatus;
import io.chainbreaker.NetworkPreset;
import io.chainbreaker.Reason;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.TokenSuspendedException;
import io.chainbreaker.spring.ChainBreakerProperties;
import io.chainbreaker.spring.NetworkProperties;
import io.chainbreaker.spring.TokenProperties;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Retry-After says what recovery still needs, not a fixed 30 s. */
class RecoveryEstimateTest {

  private static final Instant CAME_BACK = Instant.parse("2020-03-30T04:00:00Z");
  private static final RecoveryRule FIVE_BLOCKS_FIVE_SECONDS =
      RecoveryRule.of(5, Duration.ofSeconds(5));
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);

  private static TokenSuspendedException recovering() {
    return new TokenSuspendedException(
        "PXL",
        "klaytn",
        Direction.WITHDRAWAL,
        new DirectionStatus(
            BreakerState.RECOVERING, Reason.HALTED, CAME_BACK, "waiting", 24_002_380L, null));
  }

  @Test
  void aRecoveringTokenWaitsForTheLongerOfTheGraceLeftAndTheBlocksLeft() {
    // 1 s after the restart, 1 block past it: 4 s of grace and 4 blocks (4 s) are left.
    assertThat(
            RecoveryEstimate.of(
                recovering(),
                FIVE_BLOCKS_FIVE_SECONDS,
                ONE_SECOND,
                24_002_381L,
                CAME_BACK.plusSeconds(1)))
        .isEqualTo(Duration.ofSeconds(4));
    // Grace nearly over but no block yet: the blocks decide.
    assertThat(
            RecoveryEstimate.of(
                recovering(),
                FIVE_BLOCKS_FIVE_SECONDS,
                Duration.ofSeconds(12),
                24_002_380L,
                CAME_BACK.plusSeconds(4)))
        .isEqualTo(Duration.ofSeconds(60));
    // Everything met but the cadence: at least a second, never zero.
    assertThat(
            RecoveryEstimate.of(
                recovering(),
                FIVE_BLOCKS_FIVE_SECONDS,
                ONE_SECOND,
                24_002_390L,
                CAME_BACK.plusSeconds(20)))
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aSuspensionNobodyCanTimeGetsTheDefault() {
    TokenSuspendedException halted =
        new TokenSuspendedException(
            "PXL",
            "klaytn",
            Direction.WITHDRAWAL,
            new DirectionStatus(
                BreakerState.SUSPENDED,
                Reason.HALTED,
                CAME_BACK,
                "no new head",
                24_002_379L,
                null));
    assertThat(
            RecoveryEstimate.of(
                halted, FIVE_BLOCKS_FIVE_SECONDS, ONE_SECOND, 24_002_379L, CAME_BACK))
        .isEqualTo(RecoveryEstimate.UNKNOWN);
  }

  @Test
  void theRuleIsTheTokensOverTheNetworksOverTheDefault() {
    ChainBreakerProperties p = new ChainBreakerProperties();
    NetworkProperties klaytn = new NetworkProperties();
    klaytn.getRecovery().getWithdrawal().setBlocks(5);
    klaytn.getRecovery().getWithdrawal().setGrace(Duration.ofSeconds(5));
    klaytn.setPreset(NetworkPreset.KLAYTN);
    p.getNetworks().put("klaytn", klaytn);
    TokenProperties pxl = new TokenProperties();
    pxl.getRecovery().getWithdrawal().setGrace(Duration.ofSeconds(20));
    p.getTokens().put("PXL", pxl);

    assertThat(RecoveryEstimate.rule(p, "PXL", "klaytn", Direction.WITHDRAWAL))
        .isEqualTo(RecoveryRule.of(5, Duration.ofSeconds(20)));
    assertThat(RecoveryEstimate.rule(p, "COSM", "klaytn", Direction.DEPOSIT))
        .isEqualTo(RecoveryRule.DEPOSIT_DEFAULT);
    assertThat(RecoveryEstimate.blockInterval(p, "klaytn")).isEqualTo(ONE_SECOND);
  }
}
