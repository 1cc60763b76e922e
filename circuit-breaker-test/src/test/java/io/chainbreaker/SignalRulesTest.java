package io.chainbreaker;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.RECOVERING;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Finality, reorgs, slow blocks, on-demand networks, maintenance and presets, on virtual time. */
class SignalRulesTest {

  @Test
  void stalledFinalitySuspendsDepositsOnlyUntilItMovesAgain() {
    try (Rig rig =
        new Rig(
                1,
                b ->
                    b.finalityStallAfter(Duration.ofSeconds(60))
                        .finalityCheckInterval(Duration.ofSeconds(1)))
            .started()) {
      rig.produce(5);
      rig.endpoint(0).freezeFinalized(rig.endpoint(0).number() - 2);
      rig.produce(59);
      assertThat(rig.breaker.allowsDeposit("PXL")).isTrue();
      rig.produce(2);

      DirectionStatus deposit = rig.status("PXL", DEPOSIT);
      assertThat(deposit.state()).isEqualTo(SUSPENDED);
      assertThat(deposit.reason()).isEqualTo(Reason.FINALITY_STALLED);
      assertThat(deposit.detail()).contains("has not advanced for PT1M");
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
      assertThat(rig.network().health()).isEqualTo(NetworkHealth.DEGRADED);
      assertThat(rig.network().reason()).isEqualTo(Reason.FINALITY_STALLED);

      rig.endpoint(0).thawFinalized();
      rig.produce(1);
      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(RECOVERING);
      rig.produce(6);
      assertThat(rig.breaker.allowsDeposit("PXL")).isTrue();
    }
  }

  @Test
  void aNodeThatRefusesTheFinalizedTagSwitchesTheSignalOffForItself() {
    try (Rig rig = new Rig(1, b -> b.finalityStallAfter(Duration.ofSeconds(10)))) {
      rig.endpoint(0).refusesFinalizedTag(true);
      rig.started();
      rig.produce(60);
      assertThat(rig.breaker.allowsDeposit("PXL")).isTrue();
      assertThat(rig.network().finalized()).isNull();
      assertThat(rig.network().endpoints().get(0).state()).isEqualTo(EndpointState.OK);
    }
  }

  @Test
  void aFinalizedBlockAboveTheHeadIsIgnored() {
    try (Rig rig = new Rig(1, b -> b.finalityStallAfter(Duration.ofSeconds(30)))) {
      rig.endpoint(0).finalityLag(0);
      rig.started();
      rig.produce(3);
      long finalized = rig.network().finalized().number();
      assertThat(finalized).isEqualTo(rig.network().head().number());
      rig.endpoint(0).freezeFinalized(finalized + 100); // a node answering nonsense
      rig.produce(3);
      assertThat(rig.network().finalized().number()).isEqualTo(finalized);
      assertThat(rig.network().endpoints().get(0).state()).isEqualTo(EndpointState.OK);
    }
  }

  @Test
  void aDeepReorgSuspendsDepositsAtOnceAndWithdrawalsNot() {
    try (Rig rig = new Rig(1, b -> b.maxReorgDepth(3)).started()) {
      rig.produce(10);
      rig.idle(Duration.ofSeconds(1));
      rig.endpoint(0).reorg(4);
      rig.idle(Duration.ofSeconds(1));

      DirectionStatus deposit = rig.status("COSM", DEPOSIT);
      assertThat(deposit.state()).isEqualTo(SUSPENDED);
      assertThat(deposit.reason()).isEqualTo(Reason.DEEP_REORG);
      assertThat(deposit.detail()).contains("4 blocks deep");
      assertThat(rig.breaker.allowsWithdrawal("COSM")).isTrue();
      assertThat(rig.network().reorgs()).isEqualTo(1);

      // It ends once the new branch is maxReorgDepth blocks deep, then the recovery rule runs.
      rig.produce(4);
      assertThat(rig.status("COSM", DEPOSIT).state()).isEqualTo(RECOVERING);
      rig.produce(6);
      assertThat(rig.breaker.allowsDeposit("COSM")).isTrue();
    }
  }

  @Test
  void aShallowReorgIsOnlyCounted() {
    try (Rig rig = new Rig(1, b -> b.maxReorgDepth(3)).started()) {
      rig.produce(10);
      rig.endpoint(0).reorg(2);
      rig.produce(2);
      assertThat(rig.breaker.allowsDeposit("COSM")).isTrue();
      assertThat(rig.network().reorgs()).isEqualTo(1);
      assertThat(rig.transitions).noneMatch(t -> t.reason() == Reason.DEEP_REORG);
    }
  }

  @Test
  void aReorgDeeperThanTheCacheIsDeep() {
    try (Rig rig = new Rig(1, b -> b.maxReorgDepth(3)).started()) {
      rig.produce(100);
      rig.idle(Duration.ofSeconds(1));
      rig.endpoint(0).reorg(90);
      rig.idle(Duration.ofSeconds(1));
      assertThat(rig.status("DTA", DEPOSIT).reason()).isEqualTo(Reason.DEEP_REORG);
      assertThat(rig.status("DTA", DEPOSIT).detail()).contains("at least");
    }
  }

  @Test
  void aParentHashThatNeverLinksIsAnEndpointFailureNotAReorg() {
    try (Rig rig = new Rig(1, b -> b.maxReorgDepth(3)).started()) {
      rig.produce(5);
      rig.endpoint(0).forgetsParents(true);
      rig.endpoint(0).reorg(4);
      rig.idle(Duration.ofSeconds(1));
      EndpointStatus e = rig.network().endpoints().get(0);
      assertThat(e.state()).isEqualTo(EndpointState.FAILING);
      assertThat(e.lastError()).contains("does not link to any block the node knows");
      assertThat(rig.transitions).noneMatch(t -> t.reason() == Reason.DEEP_REORG);
    }
  }

  @Test
  void slowBlocksAreReportedAndSuspendOnlyWhereThePolicySaysSo() {
    try (Rig rig =
        new Rig(
                1,
                b -> b.haltAfter(Duration.ofSeconds(30)).suspendOn(Reason.SLOW_BLOCKS, WITHDRAWAL))
            .started()) {
      rig.produce(3);
      for (int i = 0; i < 25; i++) {
        rig.time.advance(Duration.ofSeconds(4));
        rig.endpoint(0).mine(1);
      }
      rig.idle(Duration.ofSeconds(1));
      assertThat(rig.network().health()).isEqualTo(NetworkHealth.DEGRADED);
      assertThat(rig.network().reason()).isEqualTo(Reason.SLOW_BLOCKS);
      assertThat(rig.network().detail()).contains("mean block interval").contains("expected 1.0 s");
      assertThat(rig.status("PXL", WITHDRAWAL).reason()).isEqualTo(Reason.SLOW_BLOCKS);
      assertThat(rig.breaker.allowsDeposit("PXL")).isTrue();
    }
  }

  @Test
  void slowBlocksAloneSuspendNothingByDefault() {
    try (Rig rig = new Rig(1, b -> b.haltAfter(Duration.ofSeconds(30))).started()) {
      for (int i = 0; i < 25; i++) {
        rig.time.advance(Duration.ofSeconds(4));
        rig.endpoint(0).mine(1);
      }
      rig.idle(Duration.ofSeconds(1));
      assertThat(rig.network().reason()).isEqualTo(Reason.SLOW_BLOCKS);
      assertThat(rig.breaker.allowsDeposit("PXL")).isTrue();
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
    }
  }

  @Test
  void anIdleOnDemandNetworkIsNeverHalted() {
    try (Rig rig = new Rig(1, b -> b.mode(NetworkMode.ON_DEMAND)).started()) {
      rig.idle(Duration.ofHours(3));
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
      assertThat(rig.network().health()).isEqualTo(NetworkHealth.HEALTHY);
      rig.endpoint(0).fail("connection refused");
      rig.idle(Duration.ofSeconds(11));
      assertThat(rig.status("PXL", WITHDRAWAL).reason()).isEqualTo(Reason.UNREACHABLE);
    }
  }

  @Test
  void aFailingLivenessProbeSuspendsAnOnDemandNetwork() {
    AtomicBoolean live = new AtomicBoolean(true);
    try (Rig rig =
        new Rig(
                1,
                b ->
                    b.mode(NetworkMode.ON_DEMAND)
                        .livenessProbe(network -> live.get(), Duration.ofSeconds(30)))
            .started()) {
      rig.idle(Duration.ofSeconds(31));
      assertThat(rig.breaker.allowsDeposit("DTA")).isTrue();
      live.set(false);
      rig.idle(Duration.ofSeconds(30));
      assertThat(rig.status("DTA", DEPOSIT).reason()).isEqualTo(Reason.PROBE_FAILED);
      assertThat(rig.status("DTA", WITHDRAWAL).state()).isEqualTo(SUSPENDED);
      live.set(true);
      rig.idle(Duration.ofSeconds(30));
      assertThat(rig.status("DTA", DEPOSIT).state()).isEqualTo(RECOVERING);
      rig.produce(12);
      assertThat(rig.breaker.allowsWithdrawal("DTA")).isTrue();
    }
  }

  @Test
  void aMaintenanceWindowSuspendsFromItsStartAndRecoversAfterItsEnd() {
    Instant start = Rig.START.plusSeconds(100);
    try (Rig rig =
        new Rig(
                1,
                b ->
                    b.maintenance(
                        new MaintenanceWindow(
                            start, start.plusSeconds(60), "hard fork at #24002400")))
            .started()) {
      rig.produce(99);
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
      rig.produce(1);
      DirectionStatus s = rig.status("PXL", WITHDRAWAL);
      assertThat(s.reason()).isEqualTo(Reason.MAINTENANCE);
      assertThat(s.since()).isEqualTo(start);
      assertThat(s.detail()).contains("hard fork");
      assertThat(rig.network().health()).isEqualTo(NetworkHealth.MAINTENANCE);
      rig.produce(60);
      assertThat(rig.status("PXL", WITHDRAWAL).state()).isEqualTo(RECOVERING);
      rig.produce(10);
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
    }
  }

  @Test
  void awaitAllowedCompletesWhenTheDirectionResumes() {
    try (Rig rig = new Rig().started()) {
      assertThat(rig.breaker.awaitAllowed("PXL", WITHDRAWAL)).isCompleted();
      rig.produce(2);
      rig.idle(Duration.ofSeconds(11));
      CompletableFuture<TokenStatus> resumed = rig.breaker.awaitAllowed("PXL", WITHDRAWAL);
      CompletableFuture<TokenStatus> cancelled = rig.breaker.awaitAllowed("PXL", DEPOSIT);
      cancelled.cancel(false);
      rig.produce(5);
      assertThat(resumed).isNotDone();
      rig.produce(10);
      assertThat(resumed).isCompleted();
      assertThat(resumed.join().withdrawal().state()).isEqualTo(ALLOWED);
      assertThatThrownBy(() -> rig.breaker.awaitAllowed("DOGE", DEPOSIT))
          .isInstanceOf(UnknownTokenException.class);
    }
  }

  @Test
  void presetsFillTheDefaultsAndTheUsersValuesWin() {
    NetworkConfig eth =
        NetworkConfig.builder("ethereum")
            .preset(NetworkPreset.ETHEREUM)
            .rpcUrls("https://node.example/")
            .build();
    assertThat(eth.chainId()).isEqualTo(1);
    assertThat(eth.blockInterval()).isEqualTo(Duration.ofSeconds(12));
    assertThat(eth.haltAfter()).isEqualTo(Duration.ofSeconds(120));
    assertThat(eth.finalityStallAfter()).isEqualTo(Duration.ofMinutes(15));
    assertThat(eth.maxReorgDepth()).isEqualTo(12);
    NetworkConfig arb =
        NetworkConfig.builder("arb")
            .preset(NetworkPreset.named("arbitrum"))
            .confirmations(40)
            .rpcUrls("https://node.example/")
            .build();
    assertThat(arb.mode()).isEqualTo(NetworkMode.ON_DEMAND);
    assertThat(arb.confirmations()).isEqualTo(40);
    assertThat(NetworkPreset.named("klaytn-testnet").chainId()).isEqualTo(1001);
    assertThatThrownBy(() -> NetworkPreset.named("ripple"))
        .hasMessageContaining("unknown network preset 'ripple'; presets: klaytn, klaytn-testnet,");
  }

  @ParameterizedTest
  @EnumSource(NetworkPreset.class)
  void everyPresetBuildsANetworkOfItsFamilyThatToleratesARoutineGapBetweenBlocks(
      NetworkPreset preset) {
    NetworkConfig n =
        NetworkConfig.builder("n").preset(preset).rpcUrls("https://node.example/").build();
    assertThat(n.protocol()).isEqualTo(preset.protocol());
    assertThat(n.identity()).isEqualTo(preset.identity());
    assertThat(n.blockInterval()).isEqualTo(preset.blockInterval());
    // At least 9 mean intervals: for Poisson blocks, e^-9 ≈ 0.012 % per block.
    assertThat(n.haltAfter()).isGreaterThanOrEqualTo(preset.blockInterval().multipliedBy(9));
  }

  @Test
  void theBitcoinPresetHaltsAfterNinetyMinutesWithoutABlock() {
    NetworkConfig btc =
        NetworkConfig.builder("btc")
            .preset(NetworkPreset.named("bitcoin"))
            .rpcUrls("http://user:pw@node.example:8332/")
            .build();
    assertThat(btc.protocol()).isEqualTo(Protocol.BITCOIN);
    assertThat(btc.haltAfter()).isEqualTo(Duration.ofMinutes(90));
    assertThat(btc.identity())
        .isEqualTo("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
  }
}
