package io.chainbreaker.test;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waits on real time until something another thread or process brings about is true: the one way
 * Chain Breaker's tests wait on real I/O (an HTTP server, a node, a database), usable by yours.
 * Rule tests never need it: on {@link VirtualTime} nothing happens until the test says so.
 *
 * <p>It looks every {@value #POLL_MILLIS} ms until the condition holds or {@code atMost} has
 * passed, then fails with an {@link AssertionError} that says what it waited for. A condition that
 * throws ends the wait at once with that failure (catch inside the condition what means "not yet").
 * Give the test a JUnit {@code @Timeout} as well: it bounds everything else it waits on.
 *
 * <pre>{@code
 * Awaits.until("klaytn halted", Duration.ofSeconds(10),
 *     () -> breaker.network("klaytn").health() == NetworkHealth.HALTED);
 * }</pre>
 */
public final class Awaits {

  /** How often a condition is looked at, in milliseconds. */
  public static final long POLL_MILLIS = 10;

  /** Something to wait for; it may throw, which ends the wait with that failure. */
  @FunctionalInterface
  public interface Condition {
    /** Whether what is awaited is true now. */
    boolean holds() throws Exception;
  }

  private Awaits() {}

  /**
   * Returns once {@code condition} holds; fails if it does not within {@code atMost}.
   *
   * @param what what is awaited, for the failure message: {@code "klaytn halted"}
   * @throws AssertionError when {@code atMost} passes first, or the condition throws
   */
  public static void until(String what, Duration atMost, Condition condition) {
    Objects.requireNonNull(condition, "condition");
    until(what, atMost, condition::holds, held -> held);
  }

  /**
   * Returns the first value of {@code value} that {@code accepted} accepts; fails with the last
   * value seen if none does within {@code atMost}.
   *
   * @param what what is awaited, for the failure message
   * @throws AssertionError when {@code atMost} passes first, or {@code value} throws
   */
  public static <T> T until(
      String what, Duration atMost, Callable<T> value, Predicate<? super T> accepted) {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(accepted, "accepted");
    if (atMost.isNegative() || atMost.isZero()) {
      throw new IllegalArgumentException("atMost must be positive but was " + atMost);
    }
    long deadline = System.nanoTime() + atMost.toNanos();
    while (true) {
      T last = call(what, value);
      if (accepted.test(last)) {
        return last;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(
            "timed out after " + atMost + " waiting until " + what + " (last seen: " + last + ")");
      }
      pause(what);
    }
  }

  /**
   * Returns after {@code condition} has held at every look for {@code duration}; fails at the first
   * look where it does not: for "nothing happens meanwhile".
   *
   * @param what what must stay true, for the failure message: {@code "PXL allowed"}
   * @throws AssertionError when the condition stops holding, or throws
   */
  public static void holdsFor(String what, Duration duration, Condition condition) {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(condition, "condition");
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    while (true) {
      if (!call(what, condition::holds)) {
        throw new AssertionError(
            "stopped holding after "
                + Duration.ofNanos(System.nanoTime() - start)
                + " of "
                + duration
                + ": "
                + what);
      }
      if (System.nanoTime() - end >= 0) {
        return;
      }
      pause(what);
    }
  }

  private static void pause(String what) {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting until " + what, e);
    }
  }

  private static <T> T call(String what, Callable<T> value) {
    try {
      return value.call();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting until " + what, e);
    } catch (Exception e) {
      throw new AssertionError("failed while waiting until " + what + ": " + e, e);
    }
  }
}
