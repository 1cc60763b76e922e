package io.chainbreaker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Collects transitions from a running engine so real-time tests wait on events, not on sleeps. */
final class TransitionQueue implements Consumer<TokenTransition> {
  private final BlockingQueue<TokenTransition> queue = new LinkedBlockingQueue<>();
  private final List<TokenTransition> seen = new ArrayList<>();

  @Override
  public void accept(TokenTransition t) {
    queue.add(t);
  }

  /** Waits for a transition matching {@code p}; fails after {@code timeout}. */
  TokenTransition await(Predicate<TokenTransition> p, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        TokenTransition t = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
        if (t == null) {
          throw new AssertionError("no matching transition within " + timeout + "; saw " + seen);
        }
        seen.add(t);
        if (p.test(t)) {
          return t;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits until {@code token} in {@code direction} reaches {@code state}. */
  TokenTransition await(String token, Direction direction, BreakerState state, Duration timeout) {
    return await(t -> t.symbol().equals(token) && t.direction() == direction && t.to() == state,
        timeout);
  }
}
