package io.chainbreaker;

/**
 * A monotonic time source in nanoseconds; deadlines are measured on it, never on the wall clock.
 */
@FunctionalInterface
public interface Ticker {
  /** The current reading, in nanoseconds from an arbitrary origin. */
  long read();

  /** {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
