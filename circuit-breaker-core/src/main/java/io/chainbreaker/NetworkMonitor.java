package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one network: polls its endpoints, derives the network head and health, and applies the
 * resulting {@link Condition} to every breaker of the network. All of its state is confined to the
 * engine's scheduler thread except what the watchdog and readers see through volatile fields.
 */
final class NetworkMonitor {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);
  private static final int RECENT_HEADS = 256;

  final NetworkConfig config;
  final List<EndpointTracker> endpoints;
  final List<DirectionBreaker> breakers = new ArrayList<>();
  private final Engine engine;

  // Monitor-thread state.
  private @Nullable BlockHead head;
  private long lastAdvanceNanos;
  private @Nullable Instant lastAdvanceAt;
  private long startNanos;
  private NetworkHealth health = NetworkHealth.STARTING;
  private Reason reason = Reason.STARTING;
  private String detail = "waiting for the first head";
  private Instant since;
  private final ArrayDeque<long[]> recentHeads = new ArrayDeque<>();
  private @Nullable ScheduledFuture<?> pollTask;
  private @Nullable ScheduledFuture<?> deadline;
  private long deadlineNanos = Long.MAX_VALUE;

  // Shared with the watchdog and readers.
  private volatile long lastEvaluationNanos;
  private volatile boolean started;
  private volatile boolean stale;
  private volatile NetworkStatus status;

  NetworkMonitor(NetworkConfig config, List<EndpointTracker> endpoints, Engine engine) {
    this.config = config;
    this.endpoints = endpoints;
    this.engine = engine;
    this.since = engine.clock.instant();
    this.status = buildStatus();
  }

  void start() {
    startNanos = engine.ticker.read();
    lastEvaluationNanos = startNanos;
    started = true;
    long period = config.pollInterval().toNanos();
    pollTask =
        engine.scheduler.scheduleAtFixedRate(this::pollSafely, 0, period, TimeUnit.NANOSECONDS);
  }

  void stop() {
    started = false;
    if (pollTask != null) {
      pollTask.cancel(false);
    }
    if (deadline != null) {
      deadline.cancel(false);
    }
    endpoints.forEach(EndpointTracker::close);
  }

  NetworkStatus status() {
    return status;
  }

  /** Re-evaluates soon on the monitor thread, e.g. after an override changed a deadline. */
  void evaluateSoon() {
    try {
      engine.scheduler.execute(this::evaluateSafely);
    } catch (RejectedExecutionException e) {
      // Closed: nothing left to evaluate.
    }
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again: keep the loop alive, and let the
      // watchdog fail closed if this keeps happening.
      log.error("network {}: poll failed", config.name(), e);
    }
  }

  private void poll() {
    long now = engine.ticker.read();
    for (EndpointTracker endpoint : endpoints) {
      if (endpoint.inFlight) {
        continue;
      }
      boolean checkChainId = endpoint.chainIdDue(now);
      boolean checkSyncing = endpoint.syncingDue(now);
      endpoint.inFlight = true;
      try {
        engine.io.execute(() -> {
          EndpointTracker.Poll poll =
              endpoint.fetch(checkChainId, checkSyncing, engine.ticker, engine.clock);
          try {
            engine.scheduler.execute(() -> onPoll(endpoint, poll));
          } catch (RejectedExecutionException e) {
            endpoint.inFlight = false;
          }
        });
      } catch (RejectedExecutionException e) {
        endpoint.inFlight = false;
      }
    }
    evaluate();
  }

  private void onPoll(EndpointTracker endpoint, EndpointTracker.Poll poll) {
    try {
      endpoint.apply(poll);
      if (poll.error() != null) {
        log.debug("network {} endpoint {}: {}", config.name(), endpoint.url, poll.error());
      }
      evaluate();
    } catch (RuntimeException e) {
      log.error("network {}: evaluation failed", config.name(), e);
    }
  }

  private void evaluateSafely() {
    try {
      evaluate();
    } catch (RuntimeException e) {
      log.error("network {}: evaluation failed", config.name(), e);
    }
  }

  private void evaluate() {
    if (!started) {
      return;
    }
    long now = engine.ticker.read();
    Instant wall = engine.clock.instant();
    updateHead(now);
    boolean wasStale = stale;
    NetworkHealth previousHealth = wasStale ? NetworkHealth.MONITOR_STALE : health;
    Reason previousReason = wasStale ? Reason.MONITOR_STALE : reason;
    decideHealth(now, wall);
    if (wasStale) {
      since = wall;
    }
    stale = false;
    Condition condition = new Condition(health, reason, detail, headNumber(), now, wall,
        this::cadenceNormal);
    List<TokenTransition> transitions = new ArrayList<>();
    for (DirectionBreaker breaker : breakers) {
      TokenTransition t = breaker.evaluate(condition);
      if (t != null) {
        transitions.add(t);
      }
    }
    status = buildStatus();
    lastEvaluationNanos = now;
    if (previousHealth != health || previousReason != reason) {
      engine.publishHealth(new NetworkHealthChange(config.name(), previousHealth, health, reason,
          detail, wall, headNumber()));
    }
    engine.publishTransitions(config.name(), transitions);
    armDeadline(now, wall);
  }

  private void updateHead(long now) {
    List<EndpointTracker> eligible = new ArrayList<>();
    for (EndpointTracker e : endpoints) {
      if (e.eligible()) {
        eligible.add(e);
      }
    }
    if (eligible.isEmpty()) {
      return;
    }
    int n = eligible.size();
    int quorum = config.quorum() > 0 ? config.quorum() : n / 2 + 1;
    if (quorum > n) {
      return;
    }
    long[] numbers = new long[n];
    for (int i = 0; i < n; i++) {
      numbers[i] = eligible.get(i).head().number();
    }
    Arrays.sort(numbers);
    // The highest number that at least `quorum` endpoints have reached.
    long candidate = numbers[n - quorum];
    if (head == null || candidate > head.number()) {
      for (EndpointTracker e : eligible) {
        BlockHead h = e.head();
        if (h != null && h.number() == candidate) {
          head = h;
          break;
        }
      }
      lastAdvanceNanos = now;
      lastAdvanceAt = engine.clock.instant();
      recentHeads.addLast(new long[] {head.number(), head.timestamp()});
      if (recentHeads.size() > RECENT_HEADS) {
        recentHeads.removeFirst();
      }
    }
    for (EndpointTracker e : eligible) {
      e.compareWith(head.number());
    }
  }

  private long lastAnswerNanos() {
    long last = Long.MIN_VALUE;
    for (EndpointTracker e : endpoints) {
      if (e.eligible()) {
        last = Math.max(last, e.lastAnswerNanos());
      }
    }
    return last;
  }

  private void decideHealth(long now, Instant wall) {
    long lastAnswer = lastAnswerNanos();
    long unreachableNanos = config.unreachableAfter().toNanos();
    if (head == null) {
      if (now - startNanos >= unreachableNanos) {
        setHealth(NetworkHealth.UNREACHABLE, Reason.UNREACHABLE,
            "no endpoint on chain id " + config.chainId() + " answered since start ("
                + config.unreachableAfter() + ")", wall);
      }
      return;
    }
    if (lastAnswer == Long.MIN_VALUE || now - lastAnswer >= unreachableNanos) {
      setHealth(NetworkHealth.UNREACHABLE, Reason.UNREACHABLE,
          "no endpoint on chain id " + config.chainId() + " answered for "
              + config.unreachableAfter(), wall);
      return;
    }
    if (now - lastAdvanceNanos >= config.haltAfter().toNanos()) {
      setHealth(NetworkHealth.HALTED, Reason.HALTED,
          "no new head for " + config.haltAfter() + " after #" + head.number(), wall);
      return;
    }
    Duration age = Duration.ofSeconds(wall.getEpochSecond() - head.timestamp());
    if (age.compareTo(config.haltAfter().plus(config.timestampSkew())) > 0) {
      setHealth(NetworkHealth.HALTED, Reason.HALTED,
          "latest block #" + head.number() + " is " + age + " old", wall);
      return;
    }
    boolean allOk = true;
    for (EndpointTracker e : endpoints) {
      allOk &= e.state() == EndpointState.OK;
    }
    if (allOk) {
      setHealth(NetworkHealth.HEALTHY, Reason.HEALTHY, "head advancing", wall);
    } else {
      setHealth(NetworkHealth.DEGRADED, Reason.HEALTHY,
          "head advancing; some endpoints excluded", wall);
    }
  }

  private void setHealth(NetworkHealth h, Reason r, String d, Instant wall) {
    if (h != health || r != reason) {
      since = wall;
      detail = d;
    }
    health = h;
    reason = r;
  }

  /** Whether the last {@code blocks} blocks came no slower than twice the block interval. */
  private boolean cadenceNormal(int blocks) {
    long[] latest = recentHeads.peekLast();
    if (latest == null) {
      return false;
    }
    long[] from = null;
    for (long[] entry : recentHeads) {
      if (entry[0] >= latest[0] - blocks) {
        from = entry;
        break;
      }
    }
    if (from == null || from == latest) {
      return false;
    }
    double span = latest[1] - from[1];
    double allowed = 2.0 * config.blockInterval().toMillis() / 1000.0 * (latest[0] - from[0]) + 1;
    return span <= allowed;
  }

  private @Nullable Long headNumber() {
    return head == null ? null : head.number();
  }

  /** Evaluates again exactly when the next rule could change its answer without new input. */
  private void armDeadline(long now, Instant wall) {
    long next = Long.MAX_VALUE;
    if (head == null) {
      next = Math.min(next, startNanos + config.unreachableAfter().toNanos());
    } else {
      if (health != NetworkHealth.HALTED) {
        next = Math.min(next, lastAdvanceNanos + config.haltAfter().toNanos());
        long staleAtSeconds = head.timestamp() + config.haltAfter().plus(config.timestampSkew())
            .getSeconds() + 1;
        long untilStale = Duration.between(wall, Instant.ofEpochSecond(staleAtSeconds)).toNanos();
        next = Math.min(next, now + Math.max(0, untilStale));
      }
      long lastAnswer = lastAnswerNanos();
      if (health != NetworkHealth.UNREACHABLE && lastAnswer != Long.MIN_VALUE) {
        next = Math.min(next, lastAnswer + config.unreachableAfter().toNanos());
      }
    }
    for (DirectionBreaker b : breakers) {
      next = Math.min(next, b.graceEndsNanos());
      Instant expiry = b.overrideExpiry();
      if (expiry != null) {
        next = Math.min(next, now + Math.max(0, Duration.between(wall, expiry).toNanos()));
      }
    }
    if (next == Long.MAX_VALUE || next <= now) {
      return;
    }
    if (deadline != null && !deadline.isDone() && deadlineNanos <= next) {
      // An earlier wake-up is already armed; it will evaluate and arm this one then.
      return;
    }
    if (deadline != null) {
      deadline.cancel(false);
    }
    deadlineNanos = next;
    try {
      deadline = engine.scheduler.schedule(this::evaluateSafely, next - now, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Closed.
    }
  }

  /**
   * Called by the watchdog thread: if no evaluation completed for three poll intervals, suspends
   * every token with {@link Reason#MONITOR_STALE}. Touches only breakers (own locks) and volatiles,
   * so a monitor stuck forever cannot stop it.
   */
  void checkStale() {
    if (!started || stale) {
      return;
    }
    long now = engine.ticker.read();
    Duration silent = Duration.ofNanos(now - lastEvaluationNanos);
    if (silent.compareTo(config.pollInterval().multipliedBy(3)) <= 0) {
      return;
    }
    stale = true;
    Instant wall = engine.clock.instant();
    String why = "no evaluation completed for " + silent + " (3 poll intervals are "
        + config.pollInterval().multipliedBy(3) + ")";
    NetworkStatus before = status;
    Condition condition = new Condition(NetworkHealth.MONITOR_STALE, Reason.MONITOR_STALE, why,
        before.head() == null ? null : before.head().number(), now, wall, blocks -> false);
    List<TokenTransition> transitions = new ArrayList<>();
    for (DirectionBreaker breaker : breakers) {
      TokenTransition t = breaker.evaluate(condition);
      if (t != null) {
        transitions.add(t);
      }
    }
    status = new NetworkStatus(before.name(), before.chainId(), NetworkHealth.MONITOR_STALE,
        Reason.MONITOR_STALE, wall, why, before.head(), before.headAdvancedAt(),
        before.endpoints());
    engine.publishHealth(new NetworkHealthChange(config.name(), before.health(),
        NetworkHealth.MONITOR_STALE, Reason.MONITOR_STALE, why, wall, condition.head()));
    engine.publishTransitions(config.name(), transitions);
  }

  private NetworkStatus buildStatus() {
    List<EndpointStatus> list = new ArrayList<>(endpoints.size());
    for (EndpointTracker e : endpoints) {
      list.add(e.status());
    }
    return new NetworkStatus(config.name(), config.chainId(), health, reason, since, detail, head,
        lastAdvanceAt, List.copyOf(list));
  }
}
