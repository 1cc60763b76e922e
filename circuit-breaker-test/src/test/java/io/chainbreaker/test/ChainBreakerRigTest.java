package io.chainbreaker.test;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.RECOVERING;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.NetworkConfig;
import io.chainbreaker.NetworkHealth;
import io.chainbreaker.NetworkPreset;
import io.chainbreaker.Reason;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.TokenTransition;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A user's own configuration, run by the rig on virtual time over scripted endpoints. */
class ChainBreakerRigTest {

  private static NetworkConfig klaytn(String... urls) {
    return NetworkConfig.builder("klaytn")
        .chainId(8217)
        .rpcUrls(urls)
        .blockInterval(Duration.ofSeconds(1)) // haltAfter: 30 s
        .pollInterval(Duration.ofSeconds(1)) // every block: the halt lands at haltAfter exactly
        .withdrawalRecovery(RecoveryRule.of(6, Duration.ofSeconds(10)))
        .build();
  }

  @Test
  void suspendsTheUsersTokenAtHaltAfterAndResumesItByTheUsersRecoveryRule() {
    try (ChainBreakerRig rig =
        ChainBreakerRig.builder()
            .network(klaytn("https://public-en.node.kaia.io"))
            .token("PXL", "klaytn")
            .build()
            .start()) {
      assertThat(rig.transitions().next("PXL", WITHDRAWAL, ALLOWED).head()).isEqualTo(1_000_000L);
      rig.produceBlocks(20);
      Instant lastBlock = rig.time().now();

      rig.halt(Duration.ofSeconds(29));
      assertThat(rig.breaker().allowsWithdrawal("PXL")).isTrue();
      rig.halt(Duration.ofSeconds(1));

      TokenTransition halt = rig.transitions().next("PXL", WITHDRAWAL, SUSPENDED);
      assertThat(halt.reason()).isEqualTo(Reason.HALTED);
      assertThat(Duration.between(lastBlock, halt.at())).isEqualTo(Duration.ofSeconds(30));
      assertThat(halt.head()).isEqualTo(1_000_020L);
      assertThat(rig.transitions().nextHealth("klaytn", NetworkHealth.HALTED).at())
          .isEqualTo(halt.at());

      rig.produceBlocks(1);
      rig.transitions().next("PXL", WITHDRAWAL, RECOVERING);
      rig.produceBlocks(9);
      assertThat(rig.breaker().allowsWithdrawal("PXL")).isFalse();
      rig.produceBlocks(1); // 10 s and at least 6 blocks since the chain came back
      assertThat(rig.transitions().next("PXL", WITHDRAWAL, ALLOWED).at())
          .isEqualTo(rig.time().now());
    }
  }

  @Test
  void oneEndpointTimingOutIsOutvotedAllTimingOutMakesTheNetworkUnreachable() {
    try (ChainBreakerRig rig =
        ChainBreakerRig.builder()
            .network(klaytn("https://a.example/key0123456789", "https://b.example/key0123456789"))
            .token("PXL", "klaytn")
            .startingAt(Instant.parse("2024-01-01T00:00:00Z"))
            .firstBlock(50)
            .build()
            .start()) {
      rig.endpoint(0).timeOut();
      rig.produceBlocks(60);
      assertThat(rig.breaker().allowsDeposit("PXL")).isTrue();
      assertThat(rig.breaker().snapshot().network("klaytn").orElseThrow().head().number())
          .isEqualTo(110);

      rig.endpoint(1).timeOut();
      rig.produceBlocks(31);

      assertThat(rig.transitions().next("PXL", DEPOSIT, SUSPENDED).reason())
          .isEqualTo(Reason.UNREACHABLE);
      rig.transitions().nextHealth("klaytn", NetworkHealth.UNREACHABLE);
      assertThat(rig.endpoints()).allSatisfy(e -> assertThat(e.requestCount()).isPositive());
    }
  }

  @Test
  void servesEachNetworkOfTheConfigurationAndSaysWhichWhenAskedAmbiguously() {
    try (ChainBreakerRig rig =
        ChainBreakerRig.builder()
            .network(klaytn("https://public-en.node.kaia.io"))
            .network(
                NetworkConfig.builder("litecoin")
                    .preset(NetworkPreset.LITECOIN)
                    .rpcUrls("https://ltc.example/key0123456789")
                    .build())
            .token("PXL", "klaytn")
            .token("LTC", "litecoin")
            .build()
            .start()) {
      assertThat(rig.breaker().allowsWithdrawal("LTC")).isTrue();
      assertThat(rig.time().now()).isBefore(Instant.parse("2020-03-29T14:00:01Z"));
      assertThat(rig.endpoint("litecoin", 0).identity().join())
          .isEqualTo(NetworkPreset.LITECOIN.identity());
      assertThatThrownBy(() -> rig.endpoint(0))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("this rig has 2 networks; use endpoint(network, index)");
      assertThatThrownBy(() -> rig.produceBlocks(1))
          .hasMessage("this rig has 2 networks; use produceBlocks(count, every)");
      assertThatThrownBy(() -> rig.endpoint("solana", 0))
          .hasMessage("no network solana in this rig; it has [klaytn, litecoin]");
    }
  }
}
