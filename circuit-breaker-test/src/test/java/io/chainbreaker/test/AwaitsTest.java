package io.chainbreaker.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS) // real time, by design
class AwaitsTest {

  @Test
  void returnsOnceAnotherThreadMakesTheConditionTrue() {
    AtomicBoolean done = new AtomicBoolean();
    CompletableFuture.runAsync(
        () -> done.set(true), CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));

    Awaits.until("done", Duration.ofSeconds(10), done::get);

    assertThat(done).isTrue();
  }

  @Test
  void failsNamingWhatItAwaitedWhenTimeRunsOut() {
    assertThatThrownBy(() -> Awaits.until("klaytn halted", Duration.ofMillis(50), () -> false))
        .isInstanceOf(AssertionError.class)
        .hasMessage("timed out after PT0.05S waiting until klaytn halted (last seen: false)");
  }

  @Test
  void returnsTheFirstAcceptedValueAndShowsTheLastOneWhenNoneIs() {
    AtomicInteger polls = new AtomicInteger();

    assertThat(Awaits.until("3 polls", Duration.ofSeconds(10), polls::incrementAndGet, n -> n >= 3))
        .isEqualTo(3);
    assertThatThrownBy(() -> Awaits.until("a negative", Duration.ofMillis(30), () -> 7, n -> n < 0))
        .hasMessageEndingWith("(last seen: 7)");
  }

  @Test
  void aConditionThatThrowsEndsTheWaitAtOnceWithItsFailure() {
    long start = System.nanoTime();

    assertThatThrownBy(
            () ->
                Awaits.until(
                    "the node answers",
                    Duration.ofSeconds(20),
                    () -> {
                      throw new IOException("connection refused");
                    }))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the node answers")
        .hasCauseInstanceOf(IOException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void holdsForReturnsAfterTheDurationAndFailsAtTheFirstLookWhereItStopsHolding() {
    long start = System.nanoTime();
    Awaits.holdsFor("still true", Duration.ofMillis(100), () -> true);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(100));

    AtomicInteger looks = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Awaits.holdsFor(
                    "PXL allowed", Duration.ofSeconds(20), () -> looks.incrementAndGet() < 3))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("stopped holding")
        .hasMessageEndingWith(": PXL allowed");
    assertThat(looks).hasValue(3);
  }
}
