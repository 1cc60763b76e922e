package io.chainbreaker.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.NetworkHealth;
import io.chainbreaker.NetworkHealthChange;
import io.chainbreaker.SafeText;
import io.chainbreaker.StatusSnapshot;
import io.chainbreaker.TokenStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people about network incidents through a webhook: one message when a network's health
 * changes into one that suspends its tokens ({@link NetworkHealth#suspends()}: halted, unreachable,
 * monitor stale, maintenance), naming the reason and the network's tokens, and one when it is
 * resolved.
 *
 * <p>A network that flaps (halted, healthy, halted again) is one incident: the resolved message is
 * sent only once the network has stayed out of a suspending health for the de-duplication window,
 * and a relapse within it continues the open incident without a new message. A change between
 * suspending healths (halted, then unreachable) is the same incident.
 *
 * <p>The engine's listeners run on its monitor thread, so they only put the change in a bounded
 * queue (a full queue drops it with a WARN); a daemon thread, {@code chain-breaker-notifier},
 * builds and sends the messages, retrying a failed delivery (connection error, 429, 5xx) with
 * exponential backoff. The webhook URL is a secret: logs and {@link #toString()} show only its
 * scheme and host.
 */
public final class IncidentNotifier implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("io.chainbreaker.notifications");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  /**
   * What the notifier needs.
   *
   * @param url the webhook (a secret)
   * @param format how messages are written
   * @param dedupWindow how long a network must stay recovered before the incident is resolved
   * @param maxAttempts deliveries tried per message, at least 1
   * @param initialBackoff the wait after the first failed delivery, doubled after each (≤ 1 min)
   * @param queueCapacity changes held while the notifier is busy, at least 1
   */
  public record Settings(
      URI url,
      WebhookFormat format,
      Duration dedupWindow,
      int maxAttempts,
      Duration initialBackoff,
      int queueCapacity) {

    /** Validates each value, naming it. */
    public Settings {
      if (dedupWindow.isNegative() || dedupWindow.isZero()) {
        throw new IllegalArgumentException("dedupWindow must be positive but was " + dedupWindow);
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1 but was " + maxAttempts);
      }
      if (initialBackoff.isNegative() || initialBackoff.isZero()) {
        throw new IllegalArgumentException(
            "initialBackoff must be positive but was " + initialBackoff);
      }
      if (queueCapacity < 1) {
        throw new IllegalArgumentException(
            "queueCapacity must be at least 1 but was " + queueCapacity);
      }
    }

    @Override
    public String toString() {
      return "Settings[url="
          + WebhookClient.masked(url)
          + ", format="
          + format
          + ", dedupWindow="
          + dedupWindow
          + ", maxAttempts="
          + maxAttempts
          + ", initialBackoff="
          + initialBackoff
          + ", queueCapacity="
          + queueCapacity
          + "]";
    }
  }

  /** An open incident of one network. */
  private static final class Incident {
    final String network;
    final Instant openedAt;
    NetworkHealthChange latest;
    int relapses;

    Incident(NetworkHealthChange opening) {
      this.network = opening.network();
      this.openedAt = opening.at();
      this.latest = opening;
    }
  }

  private final Supplier<StatusSnapshot> snapshots;
  private final Settings settings;
  private final WebhookClient client;
  private final BlockingQueue<NetworkHealthChange> queue;

  /** Owned by the notifier thread. */
  private final Map<String, Incident> open = new HashMap<>();

  /** Recovered incidents waiting out the window; expiry sends the resolved message. */
  private final Cache<String, Incident> resolving;

  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong handled = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  /**
   * A started notifier for {@code breaker}'s network health changes. Close it to stop its thread.
   */
  public static IncidentNotifier start(ChainBreaker breaker, Settings settings) {
    IncidentNotifier notifier =
        new IncidentNotifier(breaker::snapshot, settings, Ticker.systemTicker());
    breaker.events().onNetworkHealthChange(notifier::offer);
    notifier.thread.start();
    return notifier;
  }

  IncidentNotifier(Supplier<StatusSnapshot> snapshots, Settings settings, Ticker ticker) {
    this.snapshots = snapshots;
    this.settings = settings;
    this.client = new WebhookClient(settings.url());
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.resolving =
        Caffeine.newBuilder()
            .expireAfterWrite(settings.dedupWindow())
            .ticker(ticker)
            .executor(Runnable::run) // expiry runs on the notifier thread, in cleanUp()
            .<String, Incident>removalListener(
                (network, incident, cause) -> {
                  if (cause == RemovalCause.EXPIRED && incident != null) {
                    deliver(resolvedMessage(incident));
                  }
                })
            .build();
    this.thread = new Thread(this::run, "chain-breaker-notifier");
    this.thread.setDaemon(true);
  }

  /** Starts the thread (for tests that build the notifier themselves). */
  void startThread() {
    thread.start();
  }

  /** Takes a change for the notifier thread; called on the monitor thread, never blocks. */
  void offer(NetworkHealthChange change) {
    if (closed) {
      return;
    }
    if (!queue.offer(change)) {
      long n = dropped.incrementAndGet();
      LOG.warn(
          "notification queue full ({} changes): dropped {} {} -> {} ({} dropped so far)",
          settings.queueCapacity(),
          change.network(),
          change.from(),
          change.to(),
          n);
    }
  }

  /** Changes dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Changes the notifier thread has taken from the queue and acted on. */
  long handled() {
    return handled.get();
  }

  /** Messages the webhook accepted. */
  public long sent() {
    return sent.get();
  }

  private void run() {
    long tick = Math.max(10, Math.min(1000, settings.dedupWindow().toMillis() / 4));
    while (!closed) {
      try {
        NetworkHealthChange change = queue.poll(tick, TimeUnit.MILLISECONDS);
        if (change != null) {
          handle(change);
          handled.incrementAndGet();
        }
        resolving.cleanUp();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("notifier: {}", SafeText.escape(String.valueOf(e)), e);
      }
    }
  }

  private void handle(NetworkHealthChange change) {
    String network = change.network();
    if (change.to().suspends()) {
      Incident incident = open.get(network);
      if (incident != null) {
        incident.latest = change; // halted, then unreachable: the same incident
        return;
      }
      incident = resolving.asMap().remove(network);
      if (incident != null) {
        incident.relapses++;
        incident.latest = change;
        open.put(network, incident);
        LOG.info(
            "network {} {} again within {} of recovering: incident continues, no new message",
            network,
            change.to(),
            settings.dedupWindow());
        return;
      }
      incident = new Incident(change);
      open.put(network, incident);
      deliver(openedMessage(incident));
    } else {
      Incident incident = open.remove(network);
      if (incident != null) {
        incident.latest = change;
        resolving.put(network, incident);
      }
    }
  }

  private Map<String, Object> openedMessage(Incident incident) {
    NetworkHealthChange c = incident.latest;
    List<String> tokens =
        snapshots.get().tokens().stream()
            .filter(t -> t.network().equals(c.network()))
            .map(TokenStatus::symbol)
            .toList();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "incident.opened");
    m.put("network", c.network());
    m.put("health", c.to().name());
    m.put("reason", c.reason().name());
    m.put("detail", c.detail());
    m.put("since", c.at().toString());
    m.put("head", c.head());
    m.put("tokens", tokens);
    m.put(
        "text",
        "Chain Breaker: network "
            + c.network()
            + " is "
            + c.to()
            + " ("
            + c.reason()
            + ") since "
            + c.at()
            + (c.head() == null ? "" : " at #" + c.head())
            + "; affected tokens: "
            + String.join(", ", tokens)
            + ". "
            + c.detail());
    return m;
  }

  private Map<String, Object> resolvedMessage(Incident incident) {
    NetworkHealthChange c = incident.latest;
    Duration lasted = Duration.between(incident.openedAt, c.at());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "incident.resolved");
    m.put("network", incident.network);
    m.put("health", c.to().name());
    m.put("reason", c.reason().name());
    m.put("openedAt", incident.openedAt.toString());
    m.put("resolvedAt", c.at().toString());
    m.put("duration", lasted.toString());
    m.put("relapses", incident.relapses);
    m.put("head", c.head());
    m.put(
        "text",
        "Chain Breaker: network "
            + incident.network
            + " resolved: "
            + c.to()
            + " since "
            + c.at()
            + (c.head() == null ? "" : " at #" + c.head())
            + " after "
            + lasted
            + (incident.relapses == 0 ? "" : " (" + incident.relapses + " relapses)")
            + "; tokens resume by their recovery rule.");
    return m;
  }

  /** The body for {@code message} in the configured format. */
  String body(Map<String, Object> message) {
    Object payload =
        settings.format() == WebhookFormat.SLACK ? Map.of("text", message.get("text")) : message;
    try {
      return JSON.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void deliver(Map<String, Object> message) {
    String body = body(message);
    Duration backoff = settings.initialBackoff();
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      int status;
      try {
        status = client.post(body);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (status >= 200 && status < 300) {
        sent.incrementAndGet();
        LOG.info("notified {} of {} {}", client, message.get("event"), message.get("network"));
        return;
      }
      boolean retryable = status < 0 || status == 429 || status >= 500;
      if (!retryable || attempt == settings.maxAttempts()) {
        LOG.warn(
            "webhook {} refused {} {} (status {}, attempt {} of {}); dropped",
            client,
            message.get("event"),
            message.get("network"),
            status,
            attempt,
            settings.maxAttempts());
        return;
      }
      if (!pause(backoff)) {
        return;
      }
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  private boolean pause(Duration d) {
    try {
      TimeUnit.MILLISECONDS.sleep(d.toMillis()); // the notifier's own thread: nothing else waits
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops the thread; changes still queued are not sent. Idempotent. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }

  @Override
  public String toString() {
    return "IncidentNotifier[" + settings + "]";
  }
}
