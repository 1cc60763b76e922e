package io.chainbreaker;

import io.chainbreaker.chain.SequencerStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a rollup network's sequencer uptime feed every {@code sequencerCheckInterval} through one
 * of its eligible endpoints (the next one after a failure), at most one read in flight, and keeps
 * the last good reading for {@link SequencerRule}. Runs on the monitor thread; handed what it needs
 * of its {@link NetworkMonitor}, never the monitor.
 */
final class SequencerWatch {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  private final MonitorContext context;
  private final Supplier<NetworkConfig> config;
  private final Supplier<List<EndpointTracker>> endpoints;
  private final Predicate<Runnable> onMonitor;
  private final Runnable evaluate;

  // Monitor-thread state.
  private NetworkView.@Nullable SequencerReading reading;
  private @Nullable ScheduledFuture<?> task;
  private volatile boolean inFlight;
  private int next;
  private boolean failing;

  /**
   * @param onMonitor runs a task on the monitor thread; false if it never will (closed)
   * @param evaluate re-evaluates the network after a reading
   */
  SequencerWatch(
      MonitorContext context,
      Supplier<NetworkConfig> config,
      Supplier<List<EndpointTracker>> endpoints,
      Predicate<Runnable> onMonitor,
      Runnable evaluate) {
    this.context = context;
    this.config = config;
    this.endpoints = endpoints;
    this.onMonitor = onMonitor;
    this.evaluate = evaluate;
  }

  /** The last good reading, or null (no feed, or none read yet). */
  NetworkView.@Nullable SequencerReading reading() {
    return config.get().sequencerFeed() == null ? null : reading;
  }

  /** Starts reading the feed, if the network has one; again after a change of configuration. */
  void start() {
    stop();
    NetworkConfig c = config.get();
    if (c.sequencerFeed() == null) {
      return;
    }
    long every = c.sequencerCheckInterval().toNanos();
    try {
      task =
          context.scheduler().scheduleAtFixedRate(this::readSafely, 0, every, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Closed.
    }
  }

  void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  private void readSafely() {
    try {
      read();
    } catch (RuntimeException e) {
      log.error("network {}: sequencer feed read failed", config.get().name(), e);
    }
  }

  private void read() {
    String feed = config.get().sequencerFeed();
    if (feed == null || inFlight) {
      return;
    }
    List<EndpointTracker> all = endpoints.get();
    EndpointTracker endpoint = null;
    for (int i = 0; i < all.size() && endpoint == null; i++) {
      EndpointTracker e = all.get(Math.floorMod(next + i, all.size()));
      if (e.eligible()) {
        endpoint = e;
      }
    }
    if (endpoint == null) {
      return; // no endpoint is known to serve the chain yet: the halt rules say what that means
    }
    EndpointTracker from = endpoint;
    inFlight = true;
    CompletableFuture<SequencerStatus> answer;
    try {
      answer = from.sequencerStatus(feed);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<?> unused =
        answer.whenComplete(
            (status, failure) -> {
              boolean posted = onMonitor.test(() -> onAnswer(from, feed, status, failure));
              if (!posted) {
                inFlight = false;
              }
            });
  }

  private void onAnswer(
      EndpointTracker from,
      String feed,
      @Nullable SequencerStatus status,
      @Nullable Throwable failure) {
    inFlight = false;
    String network = config.get().name();
    if (!feed.equals(config.get().sequencerFeed())) {
      return; // the feed changed meanwhile
    }
    if (status != null) {
      if (failing || reading == null || reading.status().down() != status.down()) {
        log.info(
            "network {}: sequencer uptime feed {} says {} since {} (via {})",
            network,
            feed,
            status.down() ? "DOWN" : "up",
            java.time.Instant.ofEpochSecond(status.startedAt()),
            from.url());
      }
      failing = false;
      reading =
          new NetworkView.SequencerReading(
              status, context.ticker().read(), context.clock().instant(), null);
    } else {
      Throwable cause =
          failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause()
              : failure;
      String why = from.url().redact(String.valueOf(cause == null ? null : cause.getMessage()));
      if (!failing) {
        log.warn(
            "network {} endpoint {}: cannot read the sequencer uptime feed {}: {}; the last"
                + " reading stays in force",
            network,
            from.url(),
            feed,
            why);
      }
      failing = true;
      next++;
      if (reading != null) {
        reading =
            new NetworkView.SequencerReading(
                reading.status(), reading.readAtNanos(), reading.readAt(), why);
      }
    }
    evaluate.run();
  }
}
