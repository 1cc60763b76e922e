package io.chainbreaker;

import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Endpoint problems exclude the endpoint and are reported; they never suspend while a quorum
 * remains.
 */
class EndpointRulesTest {

  @Test
  void oneEndpointFarAheadDoesNotSetTheNetworkHead() {
    try (Rig rig = new Rig(3, b -> b)) {
      rig.endpoint(2).number(30_000_000);
      rig.started();
      assertThat(rig.network().head().number()).isEqualTo(24_002_300);
    }
  }

  @Test
  void theNetworkHeadIsTheHighestThatAMajorityHasReached() {
    try (Rig rig = new Rig(3, b -> b)) {
      rig.endpoint(0).number(100);
      rig.endpoint(1).number(105);
      rig.endpoint(2).number(110);
      rig.started();
      assertThat(rig.network().head().number()).isEqualTo(105);
    }
  }

  @Test
  void wrongChainFailingAndSyncingEndpointsAreExcludedButDoNotSuspend() {
    try (Rig rig = new Rig(4, b -> b)) {
      rig.endpoint(1).chainId(1);
      rig.endpoint(1).number(99_000_000); // another chain's head must never count
      rig.endpoint(2).fail("HTTP 429");
      rig.endpoint(3).syncing(true);
      rig.endpoint(3).number(98_000_000);
      rig.started();
      rig.produce(5);

      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
      NetworkStatus n = rig.network();
      assertThat(n.health()).isEqualTo(NetworkHealth.DEGRADED);
      // The block mined at 5 s is seen by the poll at 6 s.
      assertThat(n.head().number()).isEqualTo(24_002_304);
      assertThat(n.endpoints())
          .extracting(EndpointStatus::state)
          .containsExactly(
              EndpointState.OK,
              EndpointState.WRONG_CHAIN,
              EndpointState.FAILING,
              EndpointState.SYNCING);
      assertThat(n.endpoints().get(2).lastError()).isEqualTo("HTTP 429");
    }
  }

  @Test
  void anEndpointThatServesAnotherChainAloneMakesTheNetworkUnreachable() {
    try (Rig rig = new Rig(1, b -> b)) {
      rig.endpoint(0).chainId(1);
      rig.started();
      rig.produce(10);
      assertThat(rig.status("PXL", WITHDRAWAL).reason()).isEqualTo(Reason.UNREACHABLE);
      assertThat(rig.network().head()).isNull();
    }
  }

  static final String LITECOIN_GENESIS =
      "12a765e31ffd4059bada1e25190f6e98c99d9714d334efa41a195a7e7e04bfe2";

  @Test
  void aNetworkOfAnotherFamilyIsIdentifiedByItsIdentityAndAnEndpointOnAnotherChainIsExcluded()
      throws Exception {
    try (Rig rig = new Rig(2, b -> b.protocol(Protocol.BITCOIN).identity(LITECOIN_GENESIS))) {
      rig.endpoint(0).identity(LITECOIN_GENESIS);
      rig.endpoint(1).identity("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
      rig.endpoint(1).number(99_000_000);
      String log =
          LogCapture.of(
              () -> {
                rig.started();
                rig.produce(3);
              });

      NetworkStatus n = rig.network();
      assertThat(n.endpoints())
          .extracting(EndpointStatus::state)
          .containsExactly(EndpointState.OK, EndpointState.WRONG_CHAIN);
      assertThat(log)
          .contains(
              "node1.example",
              "serves genesis hash "
                  + "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f but network klaytn"
                  + " is genesis hash "
                  + LITECOIN_GENESIS
                  + "; excluded")
          .doesNotContain("secretkey");
      assertThat(n.head().number()).isEqualTo(24_002_302);
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();

      rig.idle(Duration.ofSeconds(11));
      assertThat(rig.status("PXL", WITHDRAWAL).reason()).isEqualTo(Reason.HALTED);
    }
  }

  @Test
  void withoutLinkedHashesAReplacedBranchIsNotTakenForAReorg() {
    try (Rig rig = new Rig(1, b -> b.maxReorgDepth(2)).started()) {
      rig.endpoint(0).linksBlocks(false);
      rig.endpoint(0).forgetsParents(true);
      rig.produce(3);
      rig.endpoint(0).reorg(3);
      rig.produce(1);
      assertThat(rig.network().reorgs()).isZero();
      assertThat(rig.breaker.allowsDeposit("COSM")).isTrue();
    }
  }

  @Test
  void aLaggingEndpointIsReportedAndTheOthersCarryTheHead() {
    try (Rig rig = new Rig(3, b -> b.maxLagBlocks(5)).started()) {
      rig.produce(3);
      rig.endpoint(2).number(rig.endpoint(2).number() - 20);
      rig.idle(Duration.ofSeconds(1));
      assertThat(rig.network().endpoints().get(2).state()).isEqualTo(EndpointState.LAGGING);
      assertThat(rig.breaker.allowsDeposit("COSM")).isTrue();

      rig.endpoint(2).number(rig.endpoint(2).number() + 20);
      rig.idle(Duration.ofSeconds(1));
      assertThat(rig.network().endpoints().get(2).state()).isEqualTo(EndpointState.OK);
    }
  }

  @Test
  void aHeadGoingBackwardsOnOneEndpointNeverMovesTheNetworkHeadBack() {
    try (Rig rig = new Rig(1, b -> b).started()) {
      rig.produce(3);
      rig.idle(Duration.ofSeconds(1));
      assertThat(rig.network().head().number()).isEqualTo(24_002_303);
      rig.endpoint(0).number(rig.endpoint(0).number() - 2);
      rig.idle(Duration.ofSeconds(1));
      assertThat(rig.network().head().number()).isEqualTo(24_002_303);
      assertThat(rig.network().endpoints().get(0).head()).isEqualTo(24_002_301L);
    }
  }

  @Test
  void theChainIdIsCheckedAgainPeriodically() {
    try (Rig rig = new Rig(2, b -> b.chainIdCheckInterval(Duration.ofSeconds(30))).started()) {
      rig.produce(2);
      rig.endpoint(1).chainId(56);
      rig.produce(31);
      assertThat(rig.network().endpoints().get(1).state()).isEqualTo(EndpointState.WRONG_CHAIN);
      assertThat(rig.breaker.allowsWithdrawal("DTA")).isTrue();

      rig.endpoint(1).chainId(Rig.CHAIN);
      rig.produce(1);
      assertThat(rig.network().endpoints().get(1).state()).isEqualTo(EndpointState.OK);
    }
  }

  @Test
  void anEndpointThatRecoversFromFailingCountsAgain() {
    try (Rig rig = new Rig(1, b -> b).started()) {
      rig.endpoint(0).fail("malformed JSON-RPC answer");
      rig.produce(2);
      assertThat(rig.network().endpoints().get(0).state()).isEqualTo(EndpointState.FAILING);
      rig.endpoint(0).heal();
      rig.produce(1);
      assertThat(rig.network().endpoints().get(0).state()).isEqualTo(EndpointState.OK);
      assertThat(rig.network().endpoints().get(0).lastError()).isNull();
    }
  }

  @Test
  void aFewFailedPollsOfTheOnlyEndpointAreNotUnreachableButUnreachableAfterOfThemIs() {
    try (Rig rig = new Rig(1, b -> b).started()) {
      rig.produce(5);
      int before = rig.transitions.size();
      rig.endpoint(0).fail("HTTP 502");
      rig.produce(3); // three failed polls, well within unreachableAfter (10 s)
      assertThat(rig.network().endpoints().get(0).state()).isEqualTo(EndpointState.FAILING);
      assertThat(rig.network().health()).isNotEqualTo(NetworkHealth.UNREACHABLE);
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
      rig.endpoint(0).heal();
      rig.produce(1);
      assertThat(rig.transitions).hasSize(before);

      rig.endpoint(0).fail("HTTP 502");
      rig.idle(Duration.ofSeconds(11)); // no usable answer for unreachableAfter
      assertThat(rig.status("PXL", WITHDRAWAL).reason()).isEqualTo(Reason.UNREACHABLE);
    }
  }
}
