package io.chainbreaker;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.store.InMemoryStateStore;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Operator overrides, the state store, the watchdog, listeners and the Resilience4j mirror. */
class OverrideAndWatchdogTest {

  @Test
  void forceSuspendOutranksAHealthyChainUntilCleared() {
    try (Rig rig = new Rig().started()) {
      BreakerOverride o =
          rig.breaker.forceSuspend("PXL", WITHDRAWAL, "alice", "hot wallet audit", null);

      assertThat(rig.breaker.allowsWithdrawal("PXL")).isFalse();
      assertThat(rig.breaker.allowsDeposit("PXL")).isTrue();
      DirectionStatus s = rig.status("PXL", WITHDRAWAL);
      assertThat(s.reason()).isEqualTo(Reason.OPERATOR);
      assertThat(s.override()).isEqualTo(o);
      assertThat(s.detail()).contains("alice").contains("hot wallet audit");
      assertThat(rig.transitions)
          .last()
          .satisfies(
              t -> {
                assertThat(t.actor()).isEqualTo("alice");
                assertThat(t.to()).isEqualTo(SUSPENDED);
              });
      rig.produce(30);
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isFalse();

      rig.breaker.clearOverride("PXL", WITHDRAWAL, "bob");
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
      assertThat(rig.store.overrides()).isEmpty();
    }
  }

  @Test
  void forceAllowLetsTrafficThroughAHaltedChainAndClearingFallsBackToTheAutomaticState() {
    try (Rig rig = new Rig().started()) {
      rig.produce(2);
      rig.idle(Duration.ofSeconds(11));
      assertThat(rig.breaker.allowsDeposit("DTA")).isFalse();

      rig.breaker.forceAllow("DTA", DEPOSIT, "carol", "manual crediting", null);
      assertThat(rig.breaker.allowsDeposit("DTA")).isTrue();
      rig.idle(Duration.ofSeconds(30));
      assertThat(rig.breaker.allowsDeposit("DTA")).isTrue();

      rig.breaker.clearOverride("DTA", DEPOSIT, "carol");
      assertThat(rig.status("DTA", DEPOSIT).state()).isEqualTo(SUSPENDED);
      assertThat(rig.status("DTA", DEPOSIT).reason()).isEqualTo(Reason.HALTED);
    }
  }

  @Test
  void anOverrideExpiresAtItsExpiry() {
    try (Rig rig = new Rig().started()) {
      Instant start = rig.time.now();
      rig.breaker.forceSuspend("COSM", DEPOSIT, "dave", "maintenance", Duration.ofSeconds(90));
      rig.produce(89);
      assertThat(rig.breaker.allowsDeposit("COSM")).isFalse();

      rig.idle(Duration.ofMillis(1000));

      assertThat(rig.breaker.allowsDeposit("COSM")).isTrue();
      TokenTransition back = rig.transitions.get(rig.transitions.size() - 1);
      assertThat(back.to()).isEqualTo(ALLOWED);
      assertThat(back.at()).isEqualTo(start.plusSeconds(90));
    }
  }

  @Test
  void overridesSurviveARestartAndAreInForceBeforeStart() {
    InMemoryStateStore store = new InMemoryStateStore();
    try (Rig first = new Rig(1, b -> b, store).started()) {
      first.breaker.forceSuspend("PXL", WITHDRAWAL, "alice", "incident 42", null);
    }
    try (Rig second = new Rig(1, b -> b, store)) {
      DirectionStatus s = second.status("PXL", WITHDRAWAL);
      assertThat(s.state()).isEqualTo(SUSPENDED);
      assertThat(s.override().actor()).isEqualTo("alice");
      second.started();
      assertThat(second.breaker.allowsWithdrawal("PXL")).isFalse();
      assertThat(second.breaker.allowsDeposit("PXL")).isTrue();
    }
  }

  @Test
  void anEngineRestartedDuringASuspensionRecoversByTheRuleNotAtOnce() {
    InMemoryStateStore store = new InMemoryStateStore();
    try (Rig first = new Rig(1, b -> b, store).started()) {
      first.produce(2);
      first.idle(Duration.ofSeconds(11));
      assertThat(first.breaker.allowsWithdrawal("PXL")).isFalse();
    }
    try (Rig second = new Rig(1, b -> b, store).started()) {
      assertThat(second.status("PXL", WITHDRAWAL).state()).isEqualTo(BreakerState.RECOVERING);
      assertThat(second.breaker.allowsWithdrawal("PXL")).isFalse();
      second.produce(12);
      assertThat(second.breaker.allowsWithdrawal("PXL")).isTrue();
    }
  }

  @Test
  void aRememberedSuspensionSaysItWaitsForTheFirstHead() {
    InMemoryStateStore store = new InMemoryStateStore();
    try (Rig first = new Rig(1, b -> b, store).started()) {
      first.produce(2);
      first.idle(Duration.ofSeconds(11));
    }
    try (Rig second = new Rig(1, b -> b, store)) {
      second.endpoint(0).fail("connection refused");
      second.started();
      assertThat(second.status("PXL", WITHDRAWAL).detail())
          .startsWith("suspended before this engine started (no new head for PT10S after #")
          .endsWith("); waiting for the first head");
    }
  }

  @Test
  void theWatchdogSuspendsEveryTokenWhenTheMonitorStops() {
    try (Rig rig = new Rig().started()) {
      rig.produce(3);
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();

      rig.monitorScheduler.shutdownNow(); // the monitor's thread is gone
      rig.idle(Duration.ofSeconds(3));
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
      rig.idle(Duration.ofSeconds(1));

      for (String token : new String[] {"COSM", "DTA", "PXL"}) {
        assertThat(rig.status(token, WITHDRAWAL).reason()).isEqualTo(Reason.MONITOR_STALE);
        assertThat(rig.status(token, DEPOSIT).state()).isEqualTo(SUSPENDED);
      }
      assertThat(rig.network().health()).isEqualTo(NetworkHealth.MONITOR_STALE);
    }
  }

  @Test
  void aThrowingListenerNeitherStopsTheMonitorNorOtherListeners() {
    try (Rig rig = new Rig()) {
      AtomicInteger seen = new AtomicInteger();
      rig.breaker
          .events()
          .onTokenTransition(
              t -> {
                throw new IllegalStateException("listener bug");
              })
          .onTokenTransition(t -> seen.incrementAndGet());
      rig.started();
      rig.produce(3);
      rig.idle(Duration.ofSeconds(11));
      assertThat(seen.get()).isEqualTo(12); // 3 tokens x 2 directions x (allowed, suspended)
      assertThat(rig.breaker.allowsDeposit("PXL")).isFalse();
    }
  }

  @Test
  void theResilience4jBreakerMirrorsTheTokenAndNeverTripsOnItsOwn() {
    try (Rig rig = new Rig()) {
      CircuitBreaker cb = rig.breaker.circuitBreaker("PXL", WITHDRAWAL);
      assertThat(cb.getName()).isEqualTo("PXL@klaytn.withdrawal");
      assertThat(rig.breaker.circuitBreakerRegistry().find("PXL@klaytn.deposit")).isPresent();
      assertThat(cb.getState()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);

      rig.started();
      assertThat(cb.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
      for (int i = 0; i < 500; i++) {
        try {
          cb.executeRunnable(
              () -> {
                throw new IllegalStateException("node rejected the transaction");
              });
        } catch (IllegalStateException expected) {
          // the user's call failed; that must not open the token's breaker
        }
      }
      assertThat(cb.getState()).isEqualTo(CircuitBreaker.State.CLOSED);

      rig.produce(2);
      rig.idle(Duration.ofSeconds(11));
      assertThat(cb.getState()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
      assertThatThrownBy(() -> cb.executeSupplier(() -> "sent"))
          .isInstanceOf(CallNotPermittedException.class);
    }
  }

  @Test
  void aUserSuppliedRegistryHoldsTheTokenBreakers() {
    var registry = io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry.ofDefaults();
    ChainBreaker breaker =
        ChainBreaker.builder()
            .network(NetworkConfig.builder("eth").chainId(1).rpcUrls("http://127.0.0.1:1/").build())
            .token("USDT", "eth")
            .circuitBreakerRegistry(registry)
            .build();
    try (breaker) {
      assertThat(registry.find("USDT@eth.withdrawal"))
          .containsSame(breaker.circuitBreaker("USDT", WITHDRAWAL));
    }
  }
}
