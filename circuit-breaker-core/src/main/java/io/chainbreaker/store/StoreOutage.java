package io.chainbreaker.store;

import java.time.Duration;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when a state store's database is away: logged once at ERROR when an outage starts and once
 * at WARN when it ends, with how long it lasted and how many queued writes were then stored.
 */
final class StoreOutage {

  private static final Logger log = LoggerFactory.getLogger("io.chainbreaker.store");

  private final IntSupplier queued;
  private final Runnable wakeWriter;
  private final Object outageLock = new Object();
  private boolean outage; // guarded by outageLock
  private long outageStartNanos;
  private long storedDuringRecovery;

  /**
   * @param queued how many writes are queued now
   * @param wakeWriter lets the writer retry at once rather than at its next interval
   */
  StoreOutage(IntSupplier queued, Runnable wakeWriter) {
    this.queued = queued;
    this.wakeWriter = wakeWriter;
  }

  /** The database could not {@code what}. */
  void unavailable(String what, Exception e) {
    synchronized (outageLock) {
      if (!outage) {
        outage = true;
        outageStartNanos = System.nanoTime();
        storedDuringRecovery = 0;
        log.error(
            "state store unreachable (could not {}): {}; the engine keeps deciding from the"
                + " chain and the overrides it holds, {} writes queued",
            what,
            JdbcSql.message(e),
            queued.getAsInt());
      } else {
        log.debug("state store still unreachable (could not {}): {}", what, JdbcSql.message(e));
      }
    }
  }

  /** The database answered, and {@code stored} queued writes were committed (0 for a read). */
  void available(int stored) {
    synchronized (outageLock) {
      if (outage) {
        storedDuringRecovery += stored;
        if (stored == 0) {
          // A read went through: let the writer retry now rather than at its next interval.
          wakeWriter.run();
        }
        if (queued.getAsInt() == 0) {
          outage = false;
          log.warn(
              "state store reachable again after {}; {} queued writes stored",
              Duration.ofNanos(System.nanoTime() - outageStartNanos),
              storedDuringRecovery);
        }
      }
    }
  }
}
