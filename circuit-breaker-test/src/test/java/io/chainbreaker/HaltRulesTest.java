package io.chainbreaker;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.RECOVERING;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The halt, unreachable and recovery rules, on virtual time. */
class HaltRulesTest {

  @Test
  void everyTokenStartsSuspendedUntilTheFirstHeadIsSeen() {
    try (Rig rig = new Rig()) {
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isFalse();
      assertThat(rig.status("PXL", DEPOSIT).reason()).isEqualTo(Reason.STARTING);

      rig.started();

      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
      assertThat(rig.breaker.allowsDeposit("COSM")).isTrue();
      assertThat(rig.network().health()).isEqualTo(NetworkHealth.HEALTHY);
      assertThat(rig.network().head().number()).isEqualTo(24_002_300);
    }
  }

  @Test
  void suspendsEveryTokenBothWaysWhenTheHeadStallsForHaltAfter() {
    try (Rig rig = new Rig().started()) {
      rig.produce(20);
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();

      rig.idle(Duration.ofSeconds(11));

      for (String token : new String[] {"COSM", "DTA", "PXL"}) {
        for (Direction d : Direction.values()) {
          DirectionStatus s = rig.status(token, d);
          assertThat(s.state()).as(token + " " + d).isEqualTo(SUSPENDED);
          assertThat(s.reason()).isEqualTo(Reason.HALTED);
          assertThat(s.head()).isEqualTo(24_002_320L);
        }
      }
      assertThat(rig.network().health()).isEqualTo(NetworkHealth.HALTED);
      assertThat(rig.healthChanges).anyMatch(c -> c.to() == NetworkHealth.HALTED);
    }
  }

  @Test
  void suspendsExactlyHaltAfterAfterTheLastAdvanceNotAtTheNextPoll() {
    try (Rig rig = new Rig(1, b -> b.pollInterval(Duration.ofSeconds(3))).started()) {
      rig.produce(12);
      rig.idle(Duration.ofSeconds(3)); // the poll at 15 s sees the block mined at 12 s
      Instant lastAdvance = rig.network().headAdvancedAt();
      assertThat(lastAdvance).isEqualTo(rig.time.now());
      rig.idle(Duration.ofSeconds(9));
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();

      rig.idle(Duration.ofSeconds(5));

      TokenTransition halt =
          rig.transitions.stream()
              .filter(t -> t.to() == SUSPENDED && t.reason() == Reason.HALTED)
              .findFirst()
              .orElseThrow();
      // Polls come every 3 s; the deadline armed at the advance fires at haltAfter exactly.
      assertThat(Duration.between(lastAdvance, halt.at())).isEqualTo(Duration.ofSeconds(10));
    }
  }

  @Test
  void anEngineStartedDuringAHaltSuspendsAtOnceFromTheBlockTimestamp() {
    try (Rig rig = new Rig()) {
      rig.endpoint(0).timestamp(rig.time.now().minus(Duration.ofHours(10)).getEpochSecond());

      rig.started();

      DirectionStatus s = rig.status("PXL", WITHDRAWAL);
      assertThat(s.state()).isEqualTo(SUSPENDED);
      assertThat(s.reason()).isEqualTo(Reason.HALTED);
      assertThat(s.detail()).contains("#24002300").contains("old");
    }
  }

  @Test
  void aTimestampWithinTheSkewAllowanceIsNotAHalt() {
    try (Rig rig = new Rig()) {
      // haltAfter 10 s + default skew 15 s: a block 20 s old is still fine.
      rig.endpoint(0).timestamp(rig.time.now().minusSeconds(20).getEpochSecond());
      rig.started();
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
    }
  }

  @Test
  void recoversEachDirectionByItsOwnRuleAfterTheChainResumes() {
    try (Rig rig = new Rig().started()) {
      rig.produce(5);
      rig.idle(Duration.ofSeconds(30));
      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(SUSPENDED);

      rig.produce(2);
      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(RECOVERING);
      assertThat(rig.status("PXL", DEPOSIT).reason()).isEqualTo(Reason.HALTED);
      assertThat(rig.status("PXL", WITHDRAWAL).state()).isEqualTo(RECOVERING);
      assertThat(rig.breaker.allowsDeposit("PXL")).isFalse();

      // Deposits: 3 blocks and 5 s; withdrawals: 6 blocks and 10 s.
      rig.produce(4);
      assertThat(rig.status("PXL", DEPOSIT).state()).as("grace not over").isEqualTo(RECOVERING);
      rig.produce(1);
      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(ALLOWED);
      assertThat(rig.status("PXL", WITHDRAWAL).state()).isEqualTo(RECOVERING);

      rig.produce(6);
      assertThat(rig.status("PXL", WITHDRAWAL).state()).isEqualTo(ALLOWED);
      assertThat(rig.transitions)
          .filteredOn(t -> t.symbol().equals("PXL") && t.direction() == WITHDRAWAL)
          .extracting(TokenTransition::to)
          .containsExactly(ALLOWED, SUSPENDED, RECOVERING, ALLOWED);
    }
  }

  @Test
  void aTokensOwnRecoveryRuleOverridesItsNetworks() {
    try (Rig rig =
        new Rig(
                1,
                b -> b,
                new io.chainbreaker.store.InMemoryStateStore(),
                t -> t.withRecovery(WITHDRAWAL, RecoveryRule.of(20, Duration.ofSeconds(30))))
            .started()) {
      rig.produce(3);
      rig.idle(Duration.ofSeconds(11));
      rig.produce(12);
      assertThat(rig.status("COSM", WITHDRAWAL).state()).isEqualTo(ALLOWED);
      assertThat(rig.status("PXL", WITHDRAWAL).state()).isEqualTo(RECOVERING);
      rig.produce(20);
      assertThat(rig.status("PXL", WITHDRAWAL).state()).isEqualTo(ALLOWED);
    }
  }

  @Test
  void recoveryWaitsForTheGracePeriodEvenWhenBlocksComeFast() {
    try (Rig rig = new Rig().started()) {
      rig.produce(3);
      rig.idle(Duration.ofSeconds(15));
      rig.time.advance(Duration.ofSeconds(1));
      rig.endpoint(0).mine(50);
      rig.time.advance(Duration.ofSeconds(1));
      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(RECOVERING);

      rig.produce(3);
      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(RECOVERING);
      rig.produce(2);
      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(ALLOWED);
    }
  }

  @Test
  void aNewStallDuringRecoverySuspendsAgain() {
    try (Rig rig = new Rig().started()) {
      rig.produce(3);
      rig.idle(Duration.ofSeconds(12));
      rig.produce(2);
      assertThat(rig.status("DTA", WITHDRAWAL).state()).isEqualTo(RECOVERING);

      rig.idle(Duration.ofSeconds(11));

      assertThat(rig.status("DTA", WITHDRAWAL).state()).isEqualTo(SUSPENDED);
      assertThat(rig.status("DTA", WITHDRAWAL).reason()).isEqualTo(Reason.HALTED);
    }
  }

  @Test
  void recoveryWaitsForANormalCadence() {
    try (Rig rig = new Rig().started()) {
      rig.produce(3);
      rig.idle(Duration.ofSeconds(12));
      // The chain comes back at one block every 3 s: three times slower than expected.
      for (int i = 0; i < 8; i++) {
        rig.time.advance(Duration.ofSeconds(3));
        rig.endpoint(0).mine(1);
      }
      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(RECOVERING);

      rig.produce(6);
      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(ALLOWED);
    }
  }

  @Test
  void aRecoveringDirectionSaysEachConditionStillPendingCadenceIncluded() {
    try (Rig rig = new Rig().started()) {
      rig.produce(3);
      rig.idle(Duration.ofSeconds(12));
      long restart = rig.network().head().number();
      // Deposits recover after 3 blocks past the restart at a normal cadence, and 5 s.
      rig.produce(2); // the first new block is seen on the second poll: the restart head
      assertThat(rig.status("PXL", DEPOSIT).detail())
          .isEqualTo(
              "waiting for 3 more blocks (3 past #"
                  + (restart + 1)
                  + "; at #"
                  + (restart + 1)
                  + "), a normal cadence (mean block interval "
                  + "at most 2 s over the last 3 blocks) and 5 s more grace (of 5 s)");

      // Then the chain comes back slow, one block every 4 s: blocks and grace are met, not cadence.
      for (int i = 0; i < 4; i++) {
        rig.time.advance(Duration.ofSeconds(4));
        rig.endpoint(0).mine(1);
      }
      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(RECOVERING);
      assertThat(rig.status("PXL", DEPOSIT).detail())
          .isEqualTo(
              "waiting for a normal cadence "
                  + "(mean block interval at most 2 s over the last 3 blocks)");

      rig.produce(1);
      assertThat(rig.status("PXL", WITHDRAWAL).detail())
          .as("withdrawals: 6 blocks and 10 s; 5 blocks and 17 s in, the slow blocks in the window")
          .isEqualTo(
              "waiting for 1 more block (6 past #"
                  + (restart + 1)
                  + "; at #"
                  + (restart + 6)
                  + ") and a normal cadence (mean block interval at most 2 s over the last 6 blocks)");
    }
  }

  @Test
  void unreachableEndpointsSuspendWithTheirOwnReasonNotAsAHalt() {
    try (Rig rig = new Rig(1, b -> b.unreachableAfter(Duration.ofSeconds(5))).started()) {
      rig.produce(3);
      rig.endpoint(0).fail("connection refused");
      rig.endpoint(0).mine(1);

      rig.idle(Duration.ofSeconds(6));

      DirectionStatus s = rig.status("COSM", DEPOSIT);
      assertThat(s.state()).isEqualTo(SUSPENDED);
      assertThat(s.reason()).isEqualTo(Reason.UNREACHABLE);
      assertThat(rig.network().health()).isEqualTo(NetworkHealth.UNREACHABLE);
      assertThat(rig.network().endpoints().get(0).state()).isEqualTo(EndpointState.FAILING);
      assertThat(rig.network().endpoints().get(0).lastError()).isEqualTo("connection refused");
    }
  }

  @Test
  void whenEndpointsAndHeadFailTogetherTheReasonIsUnreachable() {
    try (Rig rig = new Rig().started()) {
      rig.produce(3);
      rig.endpoint(0).fail("HTTP 502");
      rig.idle(Duration.ofSeconds(30));
      assertThat(rig.status("PXL", WITHDRAWAL).reason()).isEqualTo(Reason.UNREACHABLE);
    }
  }

  @Test
  void anEngineWhoseEndpointsNeverAnswerSuspendsAsUnreachable() {
    try (Rig rig = new Rig()) {
      rig.endpoint(0).fail("connection refused");
      rig.started();
      rig.idle(Duration.ofSeconds(9));
      assertThat(rig.status("PXL", DEPOSIT).reason()).isEqualTo(Reason.STARTING);
      rig.idle(Duration.ofSeconds(1));
      assertThat(rig.status("PXL", DEPOSIT).reason()).isEqualTo(Reason.UNREACHABLE);
    }
  }

  @Test
  void reachableAgainGoesThroughRecovery() {
    try (Rig rig = new Rig(1, b -> b.unreachableAfter(Duration.ofSeconds(5))).started()) {
      rig.produce(3);
      rig.endpoint(0).fail("timeout");
      rig.idle(Duration.ofSeconds(6));
      rig.endpoint(0).heal();
      rig.produce(1);
      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(RECOVERING);
      assertThat(rig.status("PXL", DEPOSIT).reason()).isEqualTo(Reason.UNREACHABLE);
      rig.produce(6);
      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(ALLOWED);
    }
  }
}
