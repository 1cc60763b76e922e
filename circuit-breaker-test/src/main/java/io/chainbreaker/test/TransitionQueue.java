package io.chainbreaker.test;

import io.chainbreaker.BreakerState;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkHealth;
import io.chainbreaker.NetworkHealthChange;
import io.chainbreaker.TokenTransition;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Collects the {@link TokenTransition}s and {@link NetworkHealthChange}s an engine publishes, so a
 * test takes them in order and asserts on them, the way a test of an HTTP client takes requests
 * from a mock server. On {@link VirtualTime} the events have all arrived when {@code advance}
 * returns: take them with {@code next}; against an engine on real threads, wait with {@code await}.
 * Both fail with an {@link AssertionError} that lists what did arrive.
 *
 * <pre>{@code
 * TransitionQueue events = TransitionQueue.listeningTo(breaker);
 * // ... the chain halts ...
 * TokenTransition t = events.next("PXL", Direction.WITHDRAWAL, BreakerState.SUSPENDED);
 * }</pre>
 *
 * <p>Taking an event also takes (skips) the events before it that do not match. Thread-safe.
 */
public final class TransitionQueue implements Consumer<TokenTransition> {
  private final Events<TokenTransition> transitions = new Events<>("transition");
  private final Events<NetworkHealthChange> healthChanges = new Events<>("network health change");

  /** An empty queue; give it to {@code breaker.events().onTokenTransition(queue)}. */
  public TransitionQueue() {}

  /** A queue that receives every transition and health change {@code breaker} publishes. */
  public static TransitionQueue listeningTo(ChainBreaker breaker) {
    TransitionQueue queue = new TransitionQueue();
    breaker.events().onTokenTransition(queue).onNetworkHealthChange(queue::accept);
    return queue;
  }

  /** Receives a transition (the engine calls this). */
  @Override
  public void accept(TokenTransition transition) {
    transitions.add(transition);
  }

  /** Receives a network health change (the engine calls this). */
  public void accept(NetworkHealthChange change) {
    healthChanges.add(change);
  }

  /** Every transition received so far, in order, taken or not: a live, read-only view. */
  public List<TokenTransition> transitions() {
    return transitions.received;
  }

  /** Every network health change received so far, in order, taken or not: a live view. */
  public List<NetworkHealthChange> healthChanges() {
    return healthChanges.received;
  }

  /**
   * Takes the next transition that has arrived and matches {@code matching}, without waiting.
   *
   * @throws AssertionError if none has arrived, listing those that did
   */
  public TokenTransition next(Predicate<? super TokenTransition> matching) {
    return transitions.take(matching, "matching", Duration.ZERO);
  }

  /**
   * Takes the next transition of {@code symbol} in {@code direction} to {@code state}, without
   * waiting.
   *
   * @throws AssertionError if none has arrived, listing those that did
   */
  public TokenTransition next(String symbol, Direction direction, BreakerState state) {
    return transitions.take(
        to(symbol, direction, state), describe(symbol, direction, state), Duration.ZERO);
  }

  /**
   * Waits up to {@code timeout} for a transition matching {@code matching} and takes it.
   *
   * @throws AssertionError if none comes in time, listing those that did
   */
  public TokenTransition await(Predicate<? super TokenTransition> matching, Duration timeout) {
    return transitions.take(matching, "matching", timeout);
  }

  /**
   * Waits up to {@code timeout} until {@code symbol} in {@code direction} reaches {@code state}.
   *
   * @throws AssertionError if it does not in time, listing the transitions that came
   */
  public TokenTransition await(
      String symbol, Direction direction, BreakerState state, Duration timeout) {
    return transitions.take(
        to(symbol, direction, state), describe(symbol, direction, state), timeout);
  }

  /**
   * Takes the next health change of {@code network} to {@code health}, without waiting.
   *
   * @throws AssertionError if none has arrived, listing those that did
   */
  public NetworkHealthChange nextHealth(String network, NetworkHealth health) {
    return awaitHealth(network, health, Duration.ZERO);
  }

  /**
   * Waits up to {@code timeout} until {@code network} reaches {@code health}.
   *
   * @throws AssertionError if it does not in time, listing the health changes that came
   */
  public NetworkHealthChange awaitHealth(String network, NetworkHealth health, Duration timeout) {
    return healthChanges.take(
        c -> c.network().equals(network) && c.to() == health, network + " -> " + health, timeout);
  }

  private static Predicate<TokenTransition> to(
      String symbol, Direction direction, BreakerState state) {
    Objects.requireNonNull(symbol, "symbol");
    return t -> t.symbol().equals(symbol) && t.direction() == direction && t.to() == state;
  }

  private static String describe(String symbol, Direction direction, BreakerState state) {
    return symbol + " " + direction + " -> " + state;
  }

  /** One kind of event: what arrived, and what has not been taken yet. */
  private static final class Events<E> {
    final String kind;
    final BlockingQueue<E> pending = new LinkedBlockingQueue<>();
    final List<E> all = new CopyOnWriteArrayList<>();
    final List<E> received = Collections.unmodifiableList(all);

    Events(String kind) {
      this.kind = kind;
    }

    void add(E event) {
      all.add(event);
      pending.add(event);
    }

    E take(Predicate<? super E> matching, String what, Duration timeout) {
      Objects.requireNonNull(matching, "matching");
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        while (true) {
          long left = deadline - System.nanoTime();
          E e = left <= 0 ? pending.poll() : pending.poll(left, TimeUnit.NANOSECONDS);
          if (e == null) {
            throw new AssertionError(
                "no "
                    + kind
                    + " "
                    + what
                    + (timeout.isZero() ? " has arrived" : " arrived within " + timeout)
                    + "; arrived: "
                    + (all.isEmpty() ? "none" : lines(all)));
          }
          if (matching.test(e)) {
            return e;
          }
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for a " + kind + " " + what, ex);
      }
    }

    private static String lines(List<?> events) {
      StringBuilder b = new StringBuilder();
      for (Object e : events) {
        b.append("\n  ").append(e);
      }
      return b.toString();
    }
  }
}
