package io.chainbreaker;

import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One bad answer cannot pin a head: a head far past what the chain could have produced since the
 * network head last advanced, that no other answer corroborates, is held as suspect; it never
 * becomes the network head alone, and the endpoint that reported it is never called lagging behind
 * it.
 */
class SuspectHeadTest {

  static final String SOLANA_GENESIS = "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d";
  static final String LITECOIN_GENESIS =
      "12a765e31ffd4059bada1e25190f6e98c99d9714d334efa41a195a7e7e04bfe2";

  /** Every family, each with an identity its endpoints serve. */
  enum Family {
    EVM(b -> b),
    SOLANA(b -> b.protocol(Protocol.SOLANA).identity(SOLANA_GENESIS)),
    BITCOIN(b -> b.protocol(Protocol.BITCOIN).identity(LITECOIN_GENESIS)),
    COMETBFT(b -> b.protocol(Protocol.COMETBFT).identity("cosmoshub-4")),
    TRON(
        b ->
            b.protocol(Protocol.TRON)
                .identity("00000000000000001ebf88508a03865c71d452e25f4d51194196a1d22b6653dc")),
    APTOS(b -> b.protocol(Protocol.APTOS).identity("1")),
    SUI(b -> b.protocol(Protocol.SUI).identity("35834a8a"));

    final UnaryOperator<NetworkConfig.Builder> network;

    Family(UnaryOperator<NetworkConfig.Builder> network) {
      this.network = network;
    }

    Rig rig(int endpoints) {
      return rig(endpoints, b -> b);
    }

    Rig rig(int endpoints, UnaryOperator<NetworkConfig.Builder> more) {
      Rig rig = new Rig(endpoints, b -> more.apply(network.apply(b)));
      NetworkConfig n = rig.breaker.catalog().networks().get(0);
      if (n.protocol() != Protocol.EVM) {
        rig.rig.endpoints().forEach(e -> e.identity(n.identity()));
      }
      return rig;
    }
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void aSingleEndpointsOneAnswerFarAheadIsHeldAsSuspectAndTheNetworkRecovers(Family family) {
    try (Rig rig = family.rig(1).started()) {
      rig.produce(12);
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
      long line = rig.network().head().number();

      // One answer 998,000 blocks ahead of the line, then the truth again.
      rig.endpoint(0).number(line + 998_000);
      rig.produce(1);
      assertThat(rig.network().head().number()).isLessThan(line + 998_000);
      rig.endpoint(0).number(line + 2);
      rig.produce(30);

      NetworkStatus n = rig.network();
      assertThat(n.health()).isEqualTo(NetworkHealth.HEALTHY);
      assertThat(n.head().number()).isGreaterThan(line + 30).isLessThan(line + 998_000);
      assertThat(n.endpoints()).extracting(EndpointStatus::state).containsExactly(EndpointState.OK);
      assertThat(rig.status("PXL", WITHDRAWAL).state()).isEqualTo(BreakerState.ALLOWED);
      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(BreakerState.ALLOWED);
    }
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void aSuspectHeadThatTheSameEndpointCarriesOnFromIsFollowed(Family family) {
    try (Rig rig = family.rig(1).started()) {
      rig.produce(3);
      long line = rig.network().head().number();

      rig.endpoint(0).number(line + 998_000);
      rig.produce(1);
      assertThat(rig.network().head().number()).isLessThan(line + 998_000);
      rig.produce(2); // the endpoint carries on from there: the new line is corroborated

      assertThat(rig.network().head().number()).isEqualTo(line + 998_002);
      assertThat(rig.network().endpoints())
          .extracting(EndpointStatus::state)
          .containsExactly(EndpointState.OK);
    }
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void aSuspectHeadThatNothingCorroboratesFailsClosedAfterHaltAfter(Family family) {
    try (Rig rig = family.rig(1).started()) {
      rig.produce(3);
      rig.endpoint(0).number(rig.network().head().number() + 998_000);
      rig.idle(Duration.ofSeconds(11)); // it answers the same bogus head, and nothing else

      assertThat(rig.status("PXL", WITHDRAWAL).reason()).isEqualTo(Reason.HALTED);
    }
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void withQuorumOneOfTwoAnEndpointIsNotCalledLaggingBehindAHeadOnlyTheOtherReportedOnce(
      Family family) {
    try (Rig rig = family.rig(2, b -> b.quorum(1))) {
      rig.started();
      rig.produce(3);
      long line = rig.network().head().number();
      rig.endpoint(1).number(line + 998_000);
      rig.produce(1);
      rig.endpoint(1).number(line + 2);
      rig.produce(5);

      NetworkStatus n = rig.network();
      assertThat(n.head().number()).isEqualTo(line + 6);
      assertThat(n.endpoints())
          .extracting(EndpointStatus::state)
          .containsExactly(EndpointState.OK, EndpointState.OK);
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
    }
  }
}
