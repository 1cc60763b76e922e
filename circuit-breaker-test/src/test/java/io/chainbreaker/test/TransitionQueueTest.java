package io.chainbreaker.test;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.RECOVERING;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.BreakerState;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkHealth;
import io.chainbreaker.NetworkHealthChange;
import io.chainbreaker.Reason;
import io.chainbreaker.TokenTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What a test takes from the queue, and what it is told when the event it expects never came. */
class TransitionQueueTest {

  private static final Instant AT = Instant.parse("2020-03-29T14:00:00Z");

  private static TokenTransition transition(
      String symbol, Direction d, BreakerState from, BreakerState to) {
    return new TokenTransition(
        symbol, "klaytn", d, from, to, Reason.HALTED, "no new head", AT, 24_002_300L, null);
  }

  @Test
  void takesTheNextMatchingTransitionInArrivalOrderSkippingTheOthers() {
    TransitionQueue queue = new TransitionQueue();
    TokenTransition cosm = transition("COSM", WITHDRAWAL, ALLOWED, SUSPENDED);
    TokenTransition first = transition("PXL", WITHDRAWAL, ALLOWED, SUSPENDED);
    TokenTransition recovering = transition("PXL", WITHDRAWAL, SUSPENDED, RECOVERING);
    TokenTransition second = transition("PXL", WITHDRAWAL, RECOVERING, SUSPENDED);
    queue.accept(cosm);
    queue.accept(first);
    queue.accept(recovering);
    queue.accept(second);

    assertThat(queue.next("PXL", WITHDRAWAL, SUSPENDED)).isSameAs(first);
    assertThat(queue.next("PXL", WITHDRAWAL, SUSPENDED)).isSameAs(second);
    // Taken ones are gone from the queue but stay in the record of what arrived.
    assertThatThrownBy(() -> queue.next(t -> t.symbol().equals("COSM")))
        .isInstanceOf(AssertionError.class);
    assertThat(queue.transitions()).containsExactly(cosm, first, recovering, second);
  }

  @Test
  void saysWhatDidArriveWhenTheExpectedTransitionDidNot() {
    TransitionQueue queue = new TransitionQueue();
    queue.accept(transition("PXL", DEPOSIT, ALLOWED, SUSPENDED));

    assertThatThrownBy(() -> queue.next("PXL", WITHDRAWAL, SUSPENDED))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("no transition PXL WITHDRAWAL -> SUSPENDED has arrived; arrived:")
        .hasMessageContaining("direction=DEPOSIT");
    assertThatThrownBy(
            () -> new TransitionQueue().await("PXL", WITHDRAWAL, ALLOWED, Duration.ofMillis(20)))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "no transition PXL WITHDRAWAL -> ALLOWED arrived within PT0.02S; arrived: none");
  }

  @Test
  void awaitReturnsATransitionPublishedOnAnotherThread() {
    TransitionQueue queue = new TransitionQueue();
    TokenTransition allowed = transition("PXL", WITHDRAWAL, SUSPENDED, ALLOWED);
    CompletableFuture.runAsync(() -> queue.accept(allowed));

    assertThat(queue.await("PXL", WITHDRAWAL, ALLOWED, Duration.ofSeconds(10))).isSameAs(allowed);
  }

  @Test
  void takesHealthChangesOfTheNamedNetwork() {
    TransitionQueue queue = new TransitionQueue();
    NetworkHealthChange other =
        new NetworkHealthChange(
            "ethereum",
            NetworkHealth.HEALTHY,
            NetworkHealth.HALTED,
            Reason.HALTED,
            "no new head",
            AT,
            1L);
    NetworkHealthChange halted =
        new NetworkHealthChange(
            "klaytn",
            NetworkHealth.HEALTHY,
            NetworkHealth.HALTED,
            Reason.HALTED,
            "no new head",
            AT,
            24_002_300L);
    queue.accept(other);
    queue.accept(halted);

    assertThat(queue.nextHealth("klaytn", NetworkHealth.HALTED)).isSameAs(halted);
    assertThatThrownBy(() -> queue.nextHealth("klaytn", NetworkHealth.HEALTHY))
        .hasMessageStartingWith("no network health change klaytn -> HEALTHY has arrived")
        .hasMessageContaining("network=ethereum");
    assertThat(queue.healthChanges()).containsExactly(other, halted);
    assertThatThrownBy(() -> queue.healthChanges().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
