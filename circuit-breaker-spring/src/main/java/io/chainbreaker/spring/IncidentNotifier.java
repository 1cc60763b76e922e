package io.chainbreaker.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.chainbreaker.BreakerState;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.DirectionStatus;
import io.chainbreaker.FleetStatus;
import io.chainbreaker.NetworkHealth;
import io.chainbreaker.NetworkHealthChange;
import io.chainbreaker.Reason;
import io.chainbreaker.SafeText;
import io.chainbreaker.StatusSnapshot;
import io.chainbreaker.TokenId;
import io.chainbreaker.TokenStatus;
import io.chainbreaker.TokenTransition;
import io.chainbreaker.store.FleetStore;
import io.chainbreaker.store.InMemoryOutbox;
import io.chainbreaker.store.Outbox;
import io.chainbreaker.store.OutboxMessage;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people about network incidents through a webhook: one message when a network's health
 * changes into one that suspends its tokens ({@link NetworkHealth#suspends()}: halted, unreachable,
 * monitor stale, maintenance), naming the reason and the network's tokens, one when it is resolved,
 * and one when an operator suspends a token.
 *
 * <p>A network that flaps (halted, healthy, halted again) is one incident: the resolved message is
 * sent only once the network has stayed out of a suspending health for the de-duplication window,
 * and a relapse within it continues the open incident without a new message. A change between
 * suspending healths (halted, then unreachable) is the same incident.
 *
 * <p>Every message goes through an {@link Outbox} first, under a key that names the incident and
 * what happened to it ({@code incident/klaytn/1711723920000/opened}; the key is in the payload, for
 * receivers to de-duplicate by): written once, delivered at least once, marked when the webhook
 * accepted it, so that a restart, a shutdown or a failover loses nothing pending and queues nothing
 * twice. In a fleet only the leader decides about incidents (its queueing is fenced by its lease
 * epoch) and delivers; a new leader takes over the open incidents from the outbox, so a leader
 * killed mid-incident does not make it two.
 *
 * <p>The engine's listeners run on its monitor thread, so they only put the change in a bounded
 * queue (a full queue drops it with a WARN); a daemon thread, {@code chain-breaker-notifier},
 * queues the messages and delivers what is due, retrying a failed delivery (connection error, 429,
 * 5xx) with exponential backoff. The webhook URL is a secret: logs and {@link #toString()} show
 * only its scheme and host.
 */
public final class IncidentNotifier implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("io.chainbreaker.notifications");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
  private static final Duration REMEMBER_INCIDENTS = Duration.ofDays(7);
  private static final Duration DRAIN_AT_CLOSE = Duration.ofSeconds(2);

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

  /**
   * An incident as the console shows it.
   *
   * @param network the network
   * @param openedAt when it was opened
   * @param health the network's health as last seen
   * @param resolvesAt when its resolved message goes out if the network stays out of a suspending
   *     health (the end of the de-duplication window), or null while it is still suspending
   */
  public record OpenIncident(
      String network, Instant openedAt, NetworkHealth health, @Nullable Instant resolvesAt) {}

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

    String key() {
      return "incident/" + network + "/" + openedAt.toEpochMilli();
    }
  }

  /** Taken over from the outbox when this instance starts leading: queued in order. */
  private record TakeOver() {}

  private final Supplier<StatusSnapshot> snapshots;
  private final Supplier<FleetStatus> fleet;
  private final Settings settings;
  private final WebhookClient client;
  private final Outbox outbox;
  private final Clock clock;
  private final BlockingQueue<Object> queue;

  /** Owned by the notifier thread. */
  private final Map<String, Incident> open = new HashMap<>();

  /** Recovered incidents waiting out the window; expiry queues the resolved message. */
  private final Cache<String, Incident> resolving;

  private final Map<String, OpenIncident> shown = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong handled = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  /**
   * A started notifier for {@code breaker}'s network health changes and operator suspensions, on
   * {@code outbox}. Close it to stop its thread.
   */
  public static IncidentNotifier start(ChainBreaker breaker, Settings settings, Outbox outbox) {
    IncidentNotifier notifier =
        new IncidentNotifier(
            breaker::snapshot,
            settings,
            Ticker.systemTicker(),
            outbox,
            breaker::fleet,
            Clock.systemUTC());
    breaker
        .events()
        .onNetworkHealthChange(notifier::offer)
        .onTokenTransition(notifier::offer)
        .onFleetChange(
            f -> {
              if (f.role() == FleetStatus.Role.LEADER) {
                notifier.queue.offer(new TakeOver());
              }
            });
    notifier.thread.start();
    return notifier;
  }

  /** A started notifier on an outbox in memory (lost with the process). */
  public static IncidentNotifier start(ChainBreaker breaker, Settings settings) {
    return start(breaker, settings, new InMemoryOutbox(Clock.systemUTC()));
  }

  IncidentNotifier(Supplier<StatusSnapshot> snapshots, Settings settings, Ticker ticker) {
    this(
        snapshots,
        settings,
        ticker,
        new InMemoryOutbox(Clock.systemUTC()),
        () -> SOLO,
        Clock.systemUTC());
  }

  private static final FleetStatus SOLO = FleetStatus.solo();

  IncidentNotifier(
      Supplier<StatusSnapshot> snapshots,
      Settings settings,
      Ticker ticker,
      Outbox outbox,
      Supplier<FleetStatus> fleet,
      Clock clock) {
    this.snapshots = snapshots;
    this.fleet = fleet;
    this.settings = settings;
    this.client = new WebhookClient(settings.url());
    this.outbox = outbox;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.resolving =
        Caffeine.newBuilder()
            .expireAfterWrite(settings.dedupWindow())
            .ticker(ticker)
            .executor(Runnable::run) // expiry runs on the notifier thread, in cleanUp()
            .<String, Incident>removalListener(
                (network, incident, cause) -> {
                  if (cause == RemovalCause.EXPIRED && incident != null) {
                    shown.remove(incident.network);
                    queueMessage(
                        incident.key() + "/resolved",
                        "incident.resolved",
                        incident.network,
                        resolvedMessage(incident));
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
    if (closed || !fleet.get().watches()) {
      return; // a follower's leader tells people
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

  /** Takes a token transition: an operator's suspension is told. Never blocks. */
  void offer(TokenTransition t) {
    if (closed
        || t.actor() == null
        || t.reason() != Reason.OPERATOR
        || t.to() != BreakerState.SUSPENDED) {
      return;
    }
    if (!queue.offer(t)) {
      long n = dropped.incrementAndGet();
      LOG.warn(
          "notification queue full ({} changes): dropped the operator suspension of {} on {} ({}"
              + " dropped so far)",
          settings.queueCapacity(),
          t.symbol(),
          t.network(),
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

  /** The incidents open now, oldest first, with when each will be resolved if it stays so. */
  public List<OpenIncident> openIncidents() {
    List<OpenIncident> list = new ArrayList<>(shown.values());
    list.sort((a, b) -> a.openedAt().compareTo(b.openedAt()));
    return list;
  }

  /** Messages still waiting in the outbox (at most 100), oldest first. */
  public List<OutboxMessage> pending() {
    try {
      return outbox.pending(100);
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  private void run() {
    long tick = Math.max(10, Math.min(1000, settings.dedupWindow().toMillis() / 4));
    while (!closed) {
      try {
        Object next = queue.poll(tick, TimeUnit.MILLISECONDS);
        if (next != null) {
          handle(next);
          handled.incrementAndGet();
        }
        resolving.cleanUp();
        if (fleet.get().watches()) {
          drain(Long.MAX_VALUE);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.warn("notifier: {}", SafeText.escape(String.valueOf(e)), e);
      }
    }
    // What is due goes out before the thread ends (what cannot, stays in the outbox).
    if (fleet.get().watches()) {
      try {
        drain(System.nanoTime() + DRAIN_AT_CLOSE.toNanos());
      } catch (RuntimeException e) {
        LOG.debug("notifier: last delivery failed: {}", e.toString());
      }
    }
  }

  private void handle(Object next) {
    if (next instanceof TakeOver) {
      takeOver();
    } else if (next instanceof TokenTransition t) {
      operatorSuspension(t);
    } else if (next instanceof NetworkHealthChange change) {
      handle(change);
    }
  }

  private void handle(NetworkHealthChange change) {
    String network = change.network();
    if (change.to().suspends()) {
      Incident incident = open.get(network);
      if (incident != null) {
        incident.latest = change; // halted, then unreachable: the same incident
        show(incident, null);
        return;
      }
      incident = resolving.asMap().remove(network);
      if (incident != null) {
        incident.relapses++;
        incident.latest = change;
        open.put(network, incident);
        show(incident, null);
        LOG.info(
            "network {} {} again within {} of recovering: incident continues, no new message",
            network,
            change.to(),
            settings.dedupWindow());
        return;
      }
      incident = new Incident(change);
      open.put(network, incident);
      show(incident, null);
      queueMessage(incident.key() + "/opened", "incident.opened", network, openedMessage(incident));
    } else {
      Incident incident = open.remove(network);
      if (incident != null) {
        incident.latest = change;
        resolving.put(network, incident);
        show(incident, clock.instant().plus(settings.dedupWindow()));
      }
    }
  }

  private void show(Incident incident, @Nullable Instant resolvesAt) {
    shown.put(
        incident.network,
        new OpenIncident(incident.network, incident.openedAt, incident.latest.to(), resolvesAt));
  }

  /**
   * This instance now leads: the incidents the outbox holds opened and not resolved are its own
   * from now on, so that their resolution is told once and nothing is opened twice.
   */
  private void takeOver() {
    Instant since = clock.instant().minus(REMEMBER_INCIDENTS);
    List<OutboxMessage> opened;
    List<OutboxMessage> resolved;
    try {
      opened = outbox.messages("incident.opened", since, 10_000);
      resolved = outbox.messages("incident.resolved", since, 10_000);
    } catch (RuntimeException e) {
      LOG.warn(
          "notifier: open incidents could not be read from the outbox: {}",
          SafeText.escape(String.valueOf(e.getMessage())));
      return;
    }
    java.util.Set<String> done = new java.util.HashSet<>();
    for (OutboxMessage m : resolved) {
      done.add(m.key().substring(0, m.key().length() - "/resolved".length()));
    }
    int taken = 0;
    for (OutboxMessage m : opened) {
      String incident = m.key().substring(0, m.key().length() - "/opened".length());
      if (done.contains(incident) || m.network() == null || open.containsKey(m.network())) {
        continue;
      }
      try {
        JsonNode p = JSON.readTree(m.payload());
        NetworkHealth health = NetworkHealth.valueOf(p.path("health").asText("HALTED"));
        Reason reason = Reason.valueOf(p.path("reason").asText("HALTED"));
        Instant at = Instant.parse(p.path("since").asText());
        Long head = p.path("head").isNumber() ? p.path("head").asLong() : null;
        Incident i =
            new Incident(
                new NetworkHealthChange(
                    m.network(),
                    NetworkHealth.HEALTHY,
                    health,
                    reason,
                    p.path("detail").asText(""),
                    at,
                    head));
        open.put(m.network(), i);
        show(i, null);
        taken++;
      } catch (java.io.IOException | RuntimeException e) {
        LOG.warn("notifier: outbox message {} unreadable; skipped", SafeText.escape(m.key()));
      }
    }
    if (taken > 0) {
      LOG.warn("notifier: {} open incident(s) taken over from the outbox", taken);
    }
  }

  private void operatorSuspension(TokenTransition t) {
    Instant created = t.at();
    try {
      DirectionStatus s =
          snapshots.get().token(t.symbol(), t.network()).orElseThrow().status(t.direction());
      if (s.override() != null) {
        created = s.override().createdAt();
      }
    } catch (RuntimeException e) {
      // the token is gone: its transition's time names it
    }
    Map<String, Object> m = new LinkedHashMap<>();
    String key =
        "override/"
            + TokenId.format(t.symbol(), t.network())
            + "/"
            + t.direction().name().toLowerCase(Locale.ROOT)
            + "/"
            + created.toEpochMilli();
    m.put("key", key);
    m.put("event", "override.suspended");
    m.put("network", t.network());
    m.put("symbol", t.symbol());
    m.put("direction", t.direction().name());
    m.put("actor", t.actor());
    m.put("at", created.toString());
    m.put(
        "text",
        "Chain Breaker: "
            + t.symbol()
            + " on "
            + t.network()
            + " "
            + t.direction()
            + " suspended by "
            + t.actor()
            + ": "
            + t.detail());
    // Any instance may queue it (the override may be made on any): its key makes it one message.
    queueMessage(key, "override.suspended", t.network(), m, false);
  }

  private void queueMessage(String key, String kind, String network, Map<String, Object> message) {
    queueMessage(key, kind, network, message, true);
  }

  private void queueMessage(
      String key, String kind, String network, Map<String, Object> message, boolean fenced) {
    message.put("key", key);
    String payload;
    try {
      payload = JSON.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    FleetStatus f = fleet.get();
    FleetStore.Fence fence = null;
    if (fenced && f.role() == FleetStatus.Role.LEADER) {
      fence =
          new FleetStore.Fence(
              Objects.requireNonNull(f.fleet(), "a leader's fleet"),
              Objects.requireNonNull(f.instance(), "a leader's id"),
              f.epoch());
    } else if (fenced && f.role() == FleetStatus.Role.FOLLOWER) {
      return;
    }
    try {
      outbox.add(OutboxMessage.of(key, kind, network, payload, clock.instant()), fence);
    } catch (FleetStore.FencedException e) {
      LOG.warn("notifier: {} not queued: this instance no longer leads", SafeText.escape(key));
    } catch (RuntimeException e) {
      LOG.error(
          "notifier: {} could not be queued: {}",
          SafeText.escape(key),
          SafeText.escape(String.valueOf(e.getMessage())));
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

  /** Delivers what the outbox has due, one attempt each, until none is due or {@code until}. */
  private void drain(long untilNanos) {
    List<OutboxMessage> due;
    try {
      due = outbox.due(50);
    } catch (RuntimeException e) {
      LOG.debug("notifier: outbox not readable: {}", e.toString());
      return;
    }
    for (OutboxMessage m : due) {
      if (System.nanoTime() - untilNanos > 0) {
        return;
      }
      deliver(m);
    }
  }

  @SuppressWarnings("unchecked")
  private void deliver(OutboxMessage m) {
    Map<String, Object> message;
    try {
      message = JSON.readValue(m.payload(), Map.class);
    } catch (JsonProcessingException e) {
      outbox.giveUp(m.key(), "unreadable payload");
      return;
    }
    int status;
    try {
      status = client.post(body(message));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    int attempt = m.attempts() + 1;
    if (status >= 200 && status < 300) {
      outbox.delivered(m.key());
      sent.incrementAndGet();
      LOG.info("notified {} of {} {}", client, message.get("event"), message.get("network"));
      return;
    }
    boolean retryable = status < 0 || status == 429 || status >= 500;
    if (!retryable || attempt >= settings.maxAttempts()) {
      LOG.warn(
          "webhook {} refused {} {} (status {}, attempt {} of {}); dropped",
          client,
          message.get("event"),
          message.get("network"),
          status,
          attempt,
          settings.maxAttempts());
      outbox.giveUp(m.key(), "status " + status + " at attempt " + attempt);
      return;
    }
    Duration backoff = settings.initialBackoff();
    for (int i = 1; i < attempt && backoff.compareTo(MAX_BACKOFF) < 0; i++) {
      backoff = backoff.multipliedBy(2);
    }
    if (backoff.compareTo(MAX_BACKOFF) > 0) {
      backoff = MAX_BACKOFF;
    }
    outbox.retryLater(m.key(), "status " + status, backoff);
  }

  /**
   * Stops the thread after one last delivery of what is due (at most 2 s); what is still pending
   * stays in the outbox, for this instance's next start or the fleet's next leader. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      thread.join(DRAIN_AT_CLOSE.toMillis() + 2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
  }

  @Override
  public String toString() {
    return "IncidentNotifier[" + settings + "]";
  }
}
