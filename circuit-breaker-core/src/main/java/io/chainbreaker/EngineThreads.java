package io.chainbreaker;

import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.Web3jHeadSources;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the threads and connections an engine runs on (the builder's, else its own daemon threads)
 * and closes, at the end, only those it made itself.
 */
final class EngineThreads implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  /** Polls, evaluations and deadlines. */
  final ScheduledExecutorService scheduler;

  /** The watchdog's own thread, never the monitor's. */
  final ScheduledExecutorService watchdog;

  /** What may block: liveness probes and store reads. */
  final Executor io;

  /** How endpoints are spoken to. */
  final HeadSource.Factory headSources;

  private final List<AutoCloseable> owned = new ArrayList<>();

  EngineThreads(ChainBreaker.Builder b) {
    this.scheduler = b.scheduler != null ? b.scheduler : own(monitorScheduler());
    this.watchdog =
        b.watchdogScheduler != null
            ? b.watchdogScheduler
            : own(Executors.newSingleThreadScheduledExecutor(daemon("chain-breaker-watchdog")));
    // Requests to nodes never block a thread (see HeadSource); this pool only runs what does:
    // liveness probes and store reads, none of which decides how fresh a head is.
    this.io =
        b.ioExecutor != null
            ? b.ioExecutor
            : own(Executors.newFixedThreadPool(2, daemon("chain-breaker-io")));
    HeadSource.Factory sources = b.headSources;
    if (sources == null) {
      Web3jHeadSources web3j = new Web3jHeadSources();
      owned.add(web3j);
      sources = web3j;
    }
    this.headSources = sources;
  }

  /** The fleet's store thread: the builder's, else one daemon thread of its own. */
  ScheduledExecutorService fleetScheduler(@Nullable ScheduledExecutorService given) {
    return given != null
        ? given
        : own(Executors.newSingleThreadScheduledExecutor(daemon("chain-breaker-fleet")));
  }

  /** Closes {@code c} first at the end, before any thread stops (a fleet gives up its lease). */
  void closeFirst(AutoCloseable c) {
    owned.add(0, c);
  }

  @Override
  public void close() {
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("close failed", e);
      }
    }
  }

  /** One thread; cancelled deadlines leave its queue at once, as they are re-armed often. */
  private static ScheduledExecutorService monitorScheduler() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(1, daemon("chain-breaker-monitor"));
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  private <T extends ExecutorService> T own(T executor) {
    owned.add(executor::shutdownNow);
    return executor;
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
