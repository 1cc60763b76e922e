package io.chainbreaker;

import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What service code sees: booleans, exceptions, handles and snapshots. */
class QueryApiTest {

  @Test
  void checkWithdrawalThrowsWithEverythingACallerNeeds() {
    try (Rig rig = new Rig().started()) {
      rig.produce(3);
      rig.idle(Duration.ofSeconds(11));
      assertThatThrownBy(() -> rig.breaker.checkWithdrawal("PXL"))
          .isInstanceOfSatisfying(
              TokenSuspendedException.class,
              e -> {
                assertThat(e.symbol()).isEqualTo("PXL");
                assertThat(e.network()).isEqualTo("klaytn");
                assertThat(e.direction()).isEqualTo(WITHDRAWAL);
                assertThat(e.state()).isEqualTo(BreakerState.SUSPENDED);
                assertThat(e.reason()).isEqualTo(Reason.HALTED);
                assertThat(e.head()).isEqualTo(24_002_303L);
                assertThat(e.since()).isEqualTo(rig.status("PXL", WITHDRAWAL).since());
                assertThat(e.getMessage())
                    .contains("PXL withdrawals are suspended since")
                    .contains("HALTED on network klaytn")
                    .contains("#24002303");
              });
      assertThatThrownBy(() -> rig.breaker.check("COSM", DEPOSIT))
          .isInstanceOfSatisfying(
              TokenSuspendedException.class, e -> assertThat(e.direction()).isEqualTo(DEPOSIT));
    }
  }

  @Test
  void anUnknownSymbolIsAnErrorNeverAllowed() {
    try (Rig rig = new Rig().started()) {
      assertThatThrownBy(() -> rig.breaker.allowsWithdrawal("pxl"))
          .isInstanceOf(UnknownTokenException.class)
          .hasMessageContaining("unknown token 'pxl'")
          .hasMessageContaining("did you mean 'PXL'?");
      assertThatThrownBy(() -> rig.breaker.checkDeposit("DOGE"))
          .isInstanceOf(UnknownTokenException.class);
      assertThatThrownBy(() -> rig.breaker.token("DOGE")).isInstanceOf(UnknownTokenException.class);
    }
  }

  @Test
  void aHandleFollowsItsTokenWithoutLookups() {
    try (Rig rig = new Rig()) {
      TokenHandle pxl = rig.breaker.token("PXL");
      assertThat(pxl.allowsWithdrawal()).isFalse();
      rig.started();
      assertThat(pxl.allowsWithdrawal()).isTrue();
      assertThat(pxl.allows(DEPOSIT)).isTrue();
      pxl.checkDeposit();
      rig.produce(2);
      rig.idle(Duration.ofSeconds(11));
      assertThat(pxl.allowsDeposit()).isFalse();
      assertThatThrownBy(pxl::checkWithdrawal).isInstanceOf(TokenSuspendedException.class);
      assertThat(pxl.status().contract()).isEqualTo("0x7a1cdca99fe5995ab8e317ede8495c07cbf488ad");
    }
  }

  @Test
  void aSnapshotIsAnImmutablePictureWithMaskedEndpoints() {
    try (Rig rig = new Rig(2, b -> b).started()) {
      StatusSnapshot before = rig.breaker.snapshot();
      rig.produce(2);
      rig.idle(Duration.ofSeconds(11));

      assertThat(before.token("PXL").orElseThrow().withdrawal().allows()).isTrue();
      assertThat(rig.breaker.snapshot().token("PXL").orElseThrow().withdrawal().allows()).isFalse();
      assertThat(before.tokens())
          .extracting(TokenStatus::symbol)
          .containsExactly("COSM", "DTA", "PXL");
      assertThat(before.networks().get(0).endpoints())
          .extracting(EndpointStatus::url)
          .containsExactly("https://node0.example/v3/***", "https://node1.example/v3/***");
      assertThat(before.toString()).doesNotContain("secretkey");
      assertThatThrownBy(() -> before.tokens().clear())
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void startTwiceOrAfterCloseIsAnError() {
    Rig rig = new Rig().started();
    assertThatThrownBy(rig.breaker::start).isInstanceOf(IllegalStateException.class);
    rig.close();
    rig.close();
    assertThatThrownBy(rig.breaker::start).hasMessageContaining("closed");
  }
}
