package io.chainbreaker;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a network's {@link LivenessProbe} every {@code livenessInterval} on the I/O pool, never two
 * at once, and keeps its last answer for {@link ProbeFailedRule}; the answer is taken on the
 * monitor thread, which then evaluates.
 */
final class ProbeWatch {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  private final MonitorContext context;
  private final Supplier<NetworkConfig> config;
  private final Predicate<Runnable> onMonitor;
  private final Runnable evaluate;

  private @Nullable ScheduledFuture<?> task;
  private volatile boolean probing;

  // Monitor-thread state.
  private @Nullable String failure;

  /**
   * @param onMonitor runs a task on the monitor thread; false if it never will (closed)
   * @param evaluate re-evaluates the network after an answer
   */
  ProbeWatch(
      MonitorContext context,
      Supplier<NetworkConfig> config,
      Predicate<Runnable> onMonitor,
      Runnable evaluate) {
    this.context = context;
    this.config = config;
    this.onMonitor = onMonitor;
    this.evaluate = evaluate;
  }

  /** Why the probe last failed, or null if it passed or is not set. */
  @Nullable String failure() {
    return failure;
  }

  /** Schedules the probe, if the network has one; again after a change of configuration. */
  void start() {
    stop();
    LivenessProbe probe = config.get().livenessProbe();
    if (probe != null) {
      long every = config.get().livenessInterval().toNanos();
      task =
          context
              .scheduler()
              .scheduleWithFixedDelay(() -> probe(probe), every, every, TimeUnit.NANOSECONDS);
    }
  }

  void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  /** Runs the probe on the I/O pool, never two at once; the answer comes back on the monitor. */
  private void probe(LivenessProbe probe) {
    if (probing) {
      return;
    }
    probing = true;
    try {
      context
          .io()
          .execute(
              () -> {
                String why;
                try {
                  why =
                      probe.live(config.get().name())
                          ? null
                          : "the liveness probe reported the network" + " not live";
                } catch (Exception e) {
                  why = "the liveness probe failed: " + e;
                }
                String result = why;
                boolean posted =
                    onMonitor.test(
                        () -> {
                          probing = false;
                          if (result != null && failure == null) {
                            log.warn("network {}: {}", config.get().name(), result);
                          }
                          failure = result;
                          evaluate.run();
                        });
                if (!posted) {
                  probing = false;
                }
              });
    } catch (RejectedExecutionException e) {
      probing = false;
    }
  }
}
