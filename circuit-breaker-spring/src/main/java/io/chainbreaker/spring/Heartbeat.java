package io.chainbreaker.spring;

import io.chainbreaker.FleetStatus;
import io.chainbreaker.NetworkHealth;
import io.chainbreaker.StatusSnapshot;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings a dead-man's switch (healthchecks.io, Cronitor, Dead Man's Snitch, Alertmanager's
 * watchdog...) with a GET every {@code interval}, so that people learn when the monitor itself is
 * gone: the switch alerts when pings stop. No ping is sent while any network is {@link
 * NetworkHealth#MONITOR_STALE}: the process is up but its monitor is not. Runs on its own daemon
 * thread, {@code chain-breaker-heartbeat}; the URL is shown only as scheme and host.
 */
public final class Heartbeat implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("io.chainbreaker.notifications");

  private final Supplier<StatusSnapshot> snapshots;
  private final Supplier<FleetStatus> fleet;
  private final WebhookClient client;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong pings = new AtomicLong();

  /** Starts pinging {@code url} every {@code interval}, the first time at once. */
  public Heartbeat(Supplier<StatusSnapshot> snapshots, URI url, Duration interval) {
    this(snapshots, () -> SOLO, url, interval);
  }

  private static final FleetStatus SOLO = FleetStatus.solo();

  /**
   * Starts pinging {@code url} every {@code interval}, the first time at once, while this instance
   * watches ({@code fleet}: SOLO, or the fleet's leader): a fleet pings once, not once per replica.
   */
  public Heartbeat(
      Supplier<StatusSnapshot> snapshots, Supplier<FleetStatus> fleet, URI url, Duration interval) {
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("interval must be at least 1s but was " + interval);
    }
    this.snapshots = snapshots;
    this.fleet = fleet;
    this.client = new WebhookClient(url);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "chain-breaker-heartbeat");
              t.setDaemon(true);
              return t;
            });
    var unused =
        scheduler.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Pings the switch accepted. */
  public long pings() {
    return pings.get();
  }

  private void beat() {
    try {
      if (!fleet.get().watches()) {
        return; // the fleet's leader pings for the fleet
      }
      boolean stale =
          snapshots.get().networks().stream()
              .anyMatch(n -> n.health() == NetworkHealth.MONITOR_STALE);
      if (stale) {
        LOG.warn("heartbeat to {} withheld: the monitor is stale", client);
        return;
      }
      int status = client.ping();
      if (status >= 200 && status < 300) {
        pings.incrementAndGet();
      } else if (status >= 0) {
        LOG.warn("heartbeat to {} answered {}", client, status);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("heartbeat to {} failed: {}", client, e.getClass().getSimpleName());
    }
  }

  /** Stops pinging. Idempotent. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  @Override
  public String toString() {
    return "Heartbeat[" + client + "]";
  }
}
