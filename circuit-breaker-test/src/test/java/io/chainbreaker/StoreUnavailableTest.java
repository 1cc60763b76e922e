package io.chainbreaker;

import static io.chainbreaker.BreakerState.RECOVERING;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.store.AuditRecord;
import io.chainbreaker.store.InMemoryStateStore;
import io.chainbreaker.store.StateStore;
import io.chainbreaker.store.StateStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A state store that cannot be read at start: fail closed until it answers, then recover. */
class StoreUnavailableTest {

  /** The same memory as a real store, whose reads fail while it is down (writes still queue). */
  static final class FlakyStore implements StateStore {
    final InMemoryStateStore memory;
    volatile boolean down;
    final AtomicInteger failedReads = new AtomicInteger();

    FlakyStore(InMemoryStateStore memory) {
      this.memory = memory;
    }

    private void check() {
      if (down) {
        failedReads.incrementAndGet();
        throw new StateStoreException(
            "state store could not read: Connection refused",
            new java.net.ConnectException("Connection refused"));
      }
    }

    @Override
    public List<BreakerOverride> overrides() {
      check();
      return memory.overrides();
    }

    @Override
    public void putOverride(BreakerOverride override) {
      memory.putOverride(override);
    }

    @Override
    public void removeOverride(String symbol, String network, Direction direction) {
      memory.removeOverride(symbol, network, direction);
    }

    @Override
    public void append(TokenTransition transition) {
      memory.append(transition);
    }

    @Override
    public List<TokenTransition> lastTransitions() {
      check();
      return memory.lastTransitions();
    }

    @Override
    public List<AuditRecord> audit(String token, Instant from, Instant to, int limit) {
      check();
      return memory.audit(token, from, to, limit);
    }
  }

  /** Before the restart: PXL and every other token suspended by a halt, COSM deposits by alice. */
  private static InMemoryStateStore rememberedHaltAndOverride() {
    InMemoryStateStore memory = new InMemoryStateStore();
    try (Rig first = new Rig(1, b -> b, memory).started()) {
      first.produce(2);
      first.idle(Duration.ofSeconds(11));
      assertThat(first.breaker.allowsWithdrawal("PXL")).isFalse();
      first.breaker.forceSuspend("COSM", DEPOSIT, "alice", "incident 42", null);
    }
    return memory;
  }

  @Test
  void anEngineStartedWhileTheStoreIsDownStaysSuspendedUntilItAnswersThenRecoversByTheRule() {
    FlakyStore store = new FlakyStore(rememberedHaltAndOverride());
    store.down = true;
    try (Rig second = new Rig(1, b -> b, store)) {
      DirectionStatus before = second.status("PXL", WITHDRAWAL);
      assertThat(before.state()).isEqualTo(SUSPENDED);
      assertThat(before.reason()).isEqualTo(Reason.STORE_UNAVAILABLE);
      second.started();

      // The chain is healthy, but what was suspended before is unknown: nothing is allowed.
      second.produce(60);
      for (String token : List.of("COSM", "DTA", "PXL")) {
        for (Direction d : Direction.values()) {
          assertThat(second.status(token, d).state()).as(token + " " + d).isEqualTo(SUSPENDED);
          assertThat(second.status(token, d).reason()).isEqualTo(Reason.STORE_UNAVAILABLE);
        }
      }
      assertThat(store.failedReads.get()).as("retried on the sync schedule").isGreaterThan(50);
      assertThat(store.memory.lastTransitions())
          .as("the hold does not overwrite the memory")
          .noneMatch(t -> t.reason() == Reason.STORE_UNAVAILABLE);

      store.down = false;
      second.idle(Duration.ofSeconds(1));

      DirectionStatus cosm = second.status("COSM", DEPOSIT);
      assertThat(cosm.reason()).isEqualTo(Reason.OPERATOR);
      assertThat(cosm.override().actor()).isEqualTo("alice");
      DirectionStatus pxl = second.status("PXL", WITHDRAWAL);
      assertThat(pxl.state()).isIn(SUSPENDED, RECOVERING);
      assertThat(pxl.reason()).isEqualTo(Reason.HALTED);
      assertThat(second.breaker.allowsWithdrawal("PXL")).isFalse();

      second.produce(3);
      assertThat(second.status("PXL", WITHDRAWAL).state()).isEqualTo(RECOVERING);
      second.produce(12);
      assertThat(second.breaker.allowsWithdrawal("PXL")).isTrue();
      assertThat(second.breaker.allowsDeposit("DTA")).isTrue();
      assertThat(second.breaker.allowsDeposit("COSM")).isFalse();
    }
  }

  @Test
  void withNothingRememberedTheEngineStillRecoversFromTheOutageRatherThanAllowingAtOnce() {
    FlakyStore store = new FlakyStore(new InMemoryStateStore());
    store.down = true;
    try (Rig rig = new Rig(1, b -> b, store).started()) {
      rig.produce(5);
      assertThat(rig.breaker.allowsDeposit("PXL")).isFalse();

      store.down = false;
      rig.idle(Duration.ofSeconds(1));

      assertThat(rig.status("PXL", DEPOSIT).state()).isIn(SUSPENDED, RECOVERING);
      assertThat(rig.status("PXL", DEPOSIT).reason()).isEqualTo(Reason.STORE_UNAVAILABLE);
      rig.produce(1);
      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(RECOVERING);
      rig.produce(6);
      assertThat(rig.breaker.allowsDeposit("PXL")).isTrue();
      assertThat(rig.transitions)
          .anyMatch(
              t ->
                  t.symbol().equals("PXL")
                      && t.to() == RECOVERING
                      && t.reason() == Reason.STORE_UNAVAILABLE);
    }
  }
}
