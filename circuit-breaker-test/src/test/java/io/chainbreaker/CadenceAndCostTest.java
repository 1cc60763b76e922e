package io.chainbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainbreaker.test.ChainBreakerRig;
import io.chainbreaker.test.ScriptedHeadSource;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The default cadence follows the halt bound (haltAfter + haltLateness), auxiliary checks keep
 * their own rule's cadence, every call is counted in the provider's units, and a budget slows the
 * auxiliary checks only. All on virtual time.
 */
class CadenceAndCostTest {

  private static NetworkConfig klaytn(UnaryOperator<NetworkConfig.Builder> tune) {
    return tune.apply(
            NetworkConfig.builder("klaytn")
                .chainId(8217)
                .rpcUrls("https://a.example/key0123456789", "https://b.example/key0123456789")
                .blockInterval(Duration.ofSeconds(1)))
        .build();
  }

  private static ChainBreakerRig rig(UnaryOperator<NetworkConfig.Builder> tune) {
    return ChainBreakerRig.builder().network(klaytn(tune)).token("PXL", "klaytn").build().start();
  }

  private static void mine(ChainBreakerRig rig) {
    rig.endpoints().forEach(e -> e.mine(1));
  }

  @Test
  void byDefaultPollsAtTheHaltLatenessAFifthOfHaltAfterNotAtEveryBlock() {
    NetworkConfig klaytn =
        NetworkConfig.builder("k")
            .preset(NetworkPreset.KLAYTN)
            .rpcUrls("https://a.example")
            .build();
    assertThat(klaytn.haltAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(klaytn.haltLateness()).isEqualTo(Duration.ofSeconds(6));
    assertThat(klaytn.pollInterval()).isEqualTo(Duration.ofSeconds(6));
    NetworkConfig eth =
        NetworkConfig.builder("e")
            .preset(NetworkPreset.ETHEREUM)
            .rpcUrls("https://a.example")
            .build();
    assertThat(eth.haltLateness()).isEqualTo(Duration.ofSeconds(24));
    assertThat(eth.finalityCheckInterval()).isEqualTo(Duration.ofSeconds(90));
    NetworkConfig btc =
        NetworkConfig.builder("b")
            .preset(NetworkPreset.BITCOIN)
            .rpcUrls("https://a.example")
            .build();
    assertThat(btc.haltLateness()).isEqualTo(Duration.ofSeconds(30));

    try (ChainBreakerRig rig = rig(b -> b)) {
      int before = rig.endpoint(0).headRequests();
      rig.produceBlocks(60);
      assertThat(rig.endpoint(0).headRequests() - before).isBetween(9, 11);
    }
  }

  @Test
  void aHaltIsCaughtByHaltAfterPlusHaltLatenessAfterTheLastRealBlock() {
    try (ChainBreakerRig rig = rig(b -> b)) {
      rig.produceBlocks(20);
      mine(rig);
      Instant lastBlock = rig.time().now();
      rig.halt(Duration.ofSeconds(29));
      assertThat(rig.breaker().allowsWithdrawal("PXL")).isTrue();
      rig.halt(Duration.ofSeconds(7));

      TokenTransition halt =
          rig.transitions().next("PXL", Direction.WITHDRAWAL, BreakerState.SUSPENDED);
      assertThat(halt.reason()).isEqualTo(Reason.HALTED);
      assertThat(Duration.between(lastBlock, halt.at()))
          .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(36));
    }
  }

  @Test
  void depositsRecoverAtTheDefaultCadenceThoughEachPollSeesSeveralNewBlocks() {
    try (ChainBreakerRig rig = rig(b -> b)) {
      rig.produceBlocks(20);
      rig.halt(Duration.ofSeconds(40));
      rig.transitions().next("PXL", Direction.DEPOSIT, BreakerState.SUSPENDED);
      // 5 blocks and 30 s (the deposit default), seen 6 blocks at a time.
      rig.produceBlocks(45);
      assertThat(rig.breaker().allowsDeposit("PXL")).isTrue();
    }
  }

  @Test
  void aSetHaltLatenessSetsThePollsAndAPollIntervalAloneSetsTheLateness() {
    NetworkConfig tight =
        NetworkConfig.builder("k")
            .chainId(1)
            .rpcUrls("https://a.example")
            .blockInterval(Duration.ofSeconds(1))
            .haltLateness(Duration.ofSeconds(2))
            .build();
    assertThat(tight.pollInterval()).isEqualTo(Duration.ofSeconds(2));
    NetworkConfig polled =
        NetworkConfig.builder("k")
            .chainId(1)
            .rpcUrls("https://a.example")
            .blockInterval(Duration.ofSeconds(1))
            .pollInterval(Duration.ofSeconds(1))
            .build();
    assertThat(polled.haltLateness()).isEqualTo(Duration.ofSeconds(1));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                NetworkConfig.builder("k")
                    .chainId(1)
                    .rpcUrls("https://a.example")
                    .haltLateness(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofSeconds(3))
                    .build())
        .hasMessageContaining("pollInterval of network k must be at most haltLateness (PT2S)");
  }

  @Test
  void finalitySyncingAndChainIdAreAskedAtTheirOwnRulesCadenceNotAtEveryPoll() {
    try (ChainBreakerRig rig =
        rig(
            b ->
                b.pollInterval(Duration.ofSeconds(1)).finalityStallAfter(Duration.ofMinutes(10)))) {
      ScriptedHeadSource e = rig.endpoint(0);
      rig.produceBlocks(600);
      long polls = e.headRequests();
      // One header a poll, and the finalized block every minute (a tenth of finalityStallAfter).
      assertThat(e.calls("eth_getBlockByNumber") - polls).isBetween(9L, 12L);
      assertThat(e.calls("eth_syncing")).isBetween(10L, 12L);
      assertThat(e.calls("eth_chainId")).isBetween(2L, 4L);
    }
  }

  /** Requests per endpoint-minute over ten minutes of blocks once a minute has warmed up. */
  private static double requestsPerMinute(ChainBreakerRig rig) {
    rig.produceBlocks(60);
    long before = rig.endpoint(0).requestCount();
    rig.produceBlocks(600);
    return (rig.endpoint(0).requestCount() - before) / 10.0;
  }

  @Test
  void aPollThatFindsSeveralNewBlocksLinksThemAtTheReorgChecksCadenceNotAtEveryPoll() {
    NetworkConfig klaytn =
        NetworkConfig.builder("k")
            .preset(NetworkPreset.KLAYTN)
            .rpcUrls("https://a.example")
            .build();
    assertThat(klaytn.reorgCheckInterval()).isEqualTo(Duration.ofMinutes(1));
    NetworkConfig perBlock =
        NetworkConfig.builder("k")
            .preset(NetworkPreset.KLAYTN)
            .rpcUrls("https://a.example")
            .pollInterval(Duration.ofSeconds(1))
            .build();
    assertThat(perBlock.reorgCheckInterval()).isEqualTo(Duration.ofSeconds(1));
    NetworkConfig every2s =
        NetworkConfig.builder("k")
            .preset(NetworkPreset.KLAYTN)
            .rpcUrls("https://a.example")
            .pollInterval(Duration.ofSeconds(2))
            .build();
    assertThat(every2s.reorgCheckInterval()).isEqualTo(Duration.ofSeconds(20));

    try (ChainBreakerRig rig = rig(b -> b)) {
      ScriptedHeadSource e = rig.endpoint(0);
      rig.produceBlocks(60);
      long links = e.calls("eth_getBlockByNumber") - e.headRequests();
      rig.produceBlocks(600);
      // Each 6 s poll finds 6 new blocks; one of them a minute also asks the block linked last.
      assertThat(e.calls("eth_getBlockByNumber") - e.headRequests() - links).isBetween(9L, 11L);
    }
  }

  @Test
  void atTheDefaultsAOneSecondChainCostsAtLeastFiveTimesFewerRequestsThanOnePollPerBlock() {
    double perBlock;
    try (ChainBreakerRig rig =
        rig(b -> b.pollInterval(Duration.ofSeconds(1)).reorgCheckInterval(Duration.ofSeconds(1)))) {
      perBlock = requestsPerMinute(rig);
    }
    double byDefault;
    try (ChainBreakerRig rig = rig(b -> b)) {
      byDefault = requestsPerMinute(rig);
    }
    assertThat(perBlock).isBetween(60.0, 62.0);
    assertThat(perBlock / byDefault).isGreaterThanOrEqualTo(5.0);
  }

  @Test
  void aReorgThatReplacesTheBlockLinkedAtTheLastCheckIsCaughtByTheNextCheck() {
    try (ChainBreakerRig rig = rig(b -> b.maxReorgDepth(3))) {
      rig.produceBlocks(150);
      Instant replaced = rig.time().now();
      // Deeper than the blocks made in one check interval and a poll: it reaches the block linked
      // at the last check, however long ago that check was.
      rig.endpoints().forEach(e -> e.reorg(70));
      rig.produceBlocks(70);

      TokenTransition reorg =
          rig.transitions().next("PXL", Direction.DEPOSIT, BreakerState.SUSPENDED);
      assertThat(reorg.reason()).isEqualTo(Reason.DEEP_REORG);
      assertThat(Duration.between(replaced, reorg.at()))
          .isLessThanOrEqualTo(Duration.ofSeconds(60 + 6));
      assertThat(rig.breaker().allowsWithdrawal("PXL")).isTrue();
    }
  }

  @Test
  void aReorgCheckAtEveryPollCatchesAReorgOfTheLastHeadAtTheNextPoll() {
    try (ChainBreakerRig rig =
        rig(b -> b.maxReorgDepth(3).reorgCheckInterval(Duration.ofSeconds(6)))) {
      rig.produceBlocks(150);
      Instant replaced = rig.time().now();
      rig.endpoints().forEach(e -> e.reorg(4));
      rig.produceBlocks(20);

      TokenTransition reorg =
          rig.transitions().next("PXL", Direction.DEPOSIT, BreakerState.SUSPENDED);
      assertThat(reorg.reason()).isEqualTo(Reason.DEEP_REORG);
      assertThat(Duration.between(replaced, reorg.at())).isLessThanOrEqualTo(Duration.ofSeconds(7));
    }
  }

  @Test
  void aCatalogChangeToTheReorgCadenceTakesEffectAtTheNextCheckOnTheKeptEndpoints() {
    try (ChainBreakerRig rig = rig(b -> b.maxReorgDepth(3))) {
      rig.produceBlocks(150);
      NetworkConfig faster =
          klaytn(b -> b.maxReorgDepth(3).reorgCheckInterval(Duration.ofSeconds(6)));
      rig.breaker().change(CatalogChange.by("test").putNetwork(faster).build());
      rig.produceBlocks(12);
      Instant replaced = rig.time().now();
      // It replaces the block linked at the last check (polls and checks every 6 s): the minute
      // between checks it replaces would take up to 60 s to catch it; the new cadence 6 s.
      rig.endpoints().forEach(e -> e.reorg(4));
      rig.produceBlocks(20);

      TokenTransition reorg =
          rig.transitions().next("PXL", Direction.DEPOSIT, BreakerState.SUSPENDED);
      assertThat(reorg.reason()).isEqualTo(Reason.DEEP_REORG);
      assertThat(Duration.between(replaced, reorg.at())).isLessThanOrEqualTo(Duration.ofSeconds(7));
    }
  }

  @Test
  void everyCallIsCountedInTheProvidersUnitsAndProjectedPerDay() {
    try (ChainBreakerRig rig =
        rig(
            b ->
                b.pollInterval(Duration.ofSeconds(1))
                    .rpcPlan(RpcPlan.ALCHEMY)
                    .rpcPlan("https://b.example/key0123456789", RpcPlan.INFURA))) {
      rig.produceBlocks(130);
      EndpointStatus a =
          rig.breaker().snapshot().network("klaytn").orElseThrow().endpoints().get(0);
      EndpointStatus b =
          rig.breaker().snapshot().network("klaytn").orElseThrow().endpoints().get(1);
      assertThat(a.provider()).isEqualTo("alchemy");
      assertThat(a.costUnit()).isEqualTo("CU");
      assertThat(b.provider()).isEqualTo("infura");
      long headers = rig.endpoint(0).calls("eth_getBlockByNumber");
      assertThat(a.costByMethod().get("eth_getBlockByNumber"))
          .isCloseTo(headers * 20.0, within(40.0));
      assertThat(a.costByMethod().get("eth_syncing"))
          .isCloseTo(rig.endpoint(0).calls("eth_syncing") * 10.0, within(10.0));
      // One header a second at 20 CU, plus a syncing check a minute: ~1.74 M CU a day.
      assertThat(a.costPerDay()).isCloseTo(86_400 * 20 + 1_440 * 10, within(30_000.0));
      assertThat(b.costPerDay()).isCloseTo(86_400 * 80 + 1_440 * 5, within(120_000.0));
      assertThat(rig.breaker().snapshot().providers())
          .extracting(ProviderCost::provider, ProviderCost::unit, ProviderCost::endpoints)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("alchemy", "CU", 1),
              org.assertj.core.groups.Tuple.tuple("infura", "credits", 1));
      assertThat(rig.breaker().snapshot().providers().get(0).costPerDay())
          .isEqualTo(a.costPerDay());
    }
  }

  @Test
  void overBudgetSlowsAuxiliaryChecksOnlyNeverTheHaltBoundAndWarnsOnce() throws Exception {
    try (ChainBreakerRig rig =
        rig(
            b ->
                b.pollInterval(Duration.ofSeconds(1))
                    .rpcPlan(RpcPlan.REQUESTS.withBudgetPerDay(10_000)))) {
      String log = LogCapture.of(() -> rig.produceBlocks(120));
      assertThat(log)
          .containsOnlyOnce("network klaytn: the projected cost at provider requests is")
          .contains("over its budget of 10000")
          .contains("syncing checks from PT1M to PT4M")
          .contains("chain id checks from PT5M to PT20M")
          .contains("the polls the halt bound needs are not slowed");
      ScriptedHeadSource e = rig.endpoint(0);
      long syncing = e.calls("eth_syncing");
      long polls = e.headRequests();
      rig.produceBlocks(600);
      assertThat(e.calls("eth_syncing") - syncing).isBetween(2L, 4L);
      assertThat(e.headRequests() - polls).isBetween(595L, 605L);

      mine(rig);
      Instant lastBlock = rig.time().now();
      rig.halt(Duration.ofSeconds(32));
      TokenTransition halt =
          rig.transitions().next("PXL", Direction.WITHDRAWAL, BreakerState.SUSPENDED);
      assertThat(Duration.between(lastBlock, halt.at()))
          .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(31));
    }
  }
}
