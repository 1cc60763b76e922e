package io.chainbreaker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the watching of one network on the monitor thread: polls its endpoints, evaluates its {@link
 * NetworkState} by the {@link RuleBook} at each answer, push or deadline, and applies the resulting
 * {@link Condition} to every breaker of the network. All of its state is confined to the engine's
 * scheduler thread except what the watchdog and readers see through volatile fields.
 *
 * <p>Its parts, each with one job: {@link NetworkState} (the chain as seen), {@link RuleBook} (the
 * verdict), {@link HeadSubscriptions} (pushed heads), {@link ProbeWatch} (the liveness probe),
 * {@link SequencerWatch} (a rollup's sequencer feed), {@link BudgetWatch} (the providers' budgets),
 * {@link EndpointPoller} (the polls).
 */
final class NetworkMonitor {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  /** Replaced by {@link #reconfigure} when the catalog changes this network. */
  volatile NetworkConfig config;

  /** Replaced by {@link #reconfigure}; read on the monitor thread and by the engine. */
  volatile List<EndpointTracker> endpoints;

  /** Added to and removed from by catalog changes while the monitor thread evaluates them. */
  final List<DirectionBreaker> breakers = new CopyOnWriteArrayList<>();

  private final MonitorContext context;
  private final SequencerWatch sequencer;
  private final ProbeWatch probe;
  private final HeadSubscriptions subscriptions;
  private final BudgetWatch budget;
  private final EndpointPoller poller;
  private final NetworkState state;
  private final RuleBook rules = new RuleBook(HaltRule.ALL);

  // Monitor-thread state.
  private NetworkHealth health = NetworkHealth.STARTING;
  private Reason reason = Reason.STARTING;
  private String detail = "waiting for the first head";
  private Instant since;
  private @Nullable ScheduledFuture<?> pollTask;
  private @Nullable ScheduledFuture<?> deadline;
  private long deadlineNanos = Long.MAX_VALUE;

  // Shared with the watchdog and readers.
  private volatile long lastEvaluationNanos;
  private volatile boolean started;
  private volatile boolean stale;
  private volatile NetworkStatus status;

  NetworkMonitor(NetworkConfig config, List<EndpointTracker> endpoints, MonitorContext context) {
    this.config = config;
    this.endpoints = List.copyOf(endpoints);
    this.context = context;
    this.sequencer =
        new SequencerWatch(
            context, () -> this.config, () -> this.endpoints, this::onMonitor, this::evaluate);
    this.probe = new ProbeWatch(context, () -> this.config, this::onMonitor, this::evaluate);
    this.poller = new EndpointPoller(context, () -> this.config, this::onMonitor, this::onPoll);
    this.subscriptions =
        new HeadSubscriptions(
            context,
            () -> this.config,
            () -> this.endpoints,
            this::onMonitor,
            this::evaluate,
            poller::poll);
    this.budget = new BudgetWatch(context.costs(), () -> this.config, () -> this.endpoints);
    this.state =
        new NetworkState(
            () -> this.config, () -> this.endpoints, context.clock(), probe, sequencer);
    this.since = context.clock().instant();
    this.status = buildStatus();
  }

  /**
   * Starts polling; the first poll comes after {@code offsetNanos}, so that networks started
   * together spread their requests over the poll interval instead of sending them all at once.
   */
  void start(long offsetNanos) {
    long startNanos = context.ticker().read();
    state.started(startNanos);
    lastEvaluationNanos = startNanos;
    started = true;
    long period = config.pollInterval().toNanos();
    pollTask =
        context
            .scheduler()
            .scheduleAtFixedRate(this::pollSafely, offsetNanos, period, TimeUnit.NANOSECONDS);
    subscriptions.subscribeAll();
    probe.start();
    sequencer.start();
  }

  /**
   * Runs {@code task} on the monitor thread, logging what it throws; false if the engine is closed
   * and the task will never run.
   */
  private boolean onMonitor(Runnable task) {
    try {
      context
          .scheduler()
          .execute(
              () -> {
                try {
                  task.run();
                } catch (RuntimeException e) {
                  log.error("network {}: evaluation failed", config.name(), e);
                }
              });
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /**
   * Takes a changed configuration of this network (endpoints rotated, thresholds changed) on the
   * monitor thread, keeping the head, the health, every breaker's state and the endpoints that
   * stay. Endpoints no longer listed are closed; new ones are polled (and subscribed) from now.
   */
  void reconfigure(NetworkConfig next, List<EndpointTracker> nextEndpoints) {
    boolean posted =
        onMonitor(
            () -> {
              NetworkConfig before = config;
              List<EndpointTracker> gone = new ArrayList<>(endpoints);
              gone.removeAll(nextEndpoints);
              config = next;
              endpoints = List.copyOf(nextEndpoints);
              gone.forEach(EndpointTracker::close);
              gone.forEach(budget::forget);
              if (started) {
                if (!before.pollInterval().equals(next.pollInterval()) && pollTask != null) {
                  pollTask.cancel(false);
                  long period = next.pollInterval().toNanos();
                  pollTask =
                      context
                          .scheduler()
                          .scheduleAtFixedRate(this::pollSafely, 0, period, TimeUnit.NANOSECONDS);
                }
                subscriptions.subscribeAll();
                probe.start();
                if (!Objects.equals(before.sequencerFeed(), next.sequencerFeed())
                    || !before.sequencerCheckInterval().equals(next.sequencerCheckInterval())) {
                  sequencer.start();
                }
              }
              log.warn(
                  "network {} reconfigured: {} endpoints ({} closed); head, health and breakers kept",
                  next.name(),
                  nextEndpoints.size(),
                  gone.size());
              evaluate();
            });
    if (!posted) {
      config = next;
      endpoints = List.copyOf(nextEndpoints);
    }
  }

  void stop() {
    started = false;
    if (pollTask != null) {
      pollTask.cancel(false);
    }
    probe.stop();
    if (deadline != null) {
      deadline.cancel(false);
    }
    sequencer.stop();
    endpoints.forEach(EndpointTracker::close);
    endpoints.forEach(budget::forget);
  }

  NetworkStatus status() {
    return status;
  }

  /**
   * Starts this monitor's view from what a fleet's leader published ({@code published}), before it
   * starts: the head and when it last advanced, the health and since when. A new leader so goes on
   * from its predecessor's evidence: a chain that has not moved since is still halted (no fresh
   * view's {@code haltAfter} of waiting first), and a network goes on with the same incident.
   */
  void seed(NetworkStatus published) {
    if (started) {
      return;
    }
    state.seed(published);
    if (published.health() != NetworkHealth.STARTING) {
      health = published.health();
      reason = published.reason();
      detail = published.detail();
      since = published.since();
    }
  }

  /**
   * Shows {@code published} as this network's status: a fleet's follower does not watch, it shows
   * what the leader published. Ignored once this monitor watches.
   */
  void show(NetworkStatus published) {
    if (!started) {
      status = published;
    }
  }

  /** Re-evaluates soon on the monitor thread, e.g. after an override changed a deadline. */
  void evaluateSoon() {
    onMonitor(this::evaluate);
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
    long now = context.ticker().read();
    subscriptions.checkSilent(now);
    for (EndpointTracker endpoint : endpoints) {
      poller.poll(endpoint, now);
    }
    evaluate();
  }

  private void onPoll(EndpointTracker endpoint, EndpointTracker.Poll poll) {
    endpoint.apply(poll);
    endpoint.countRequests(context.ticker().read());
    budget.check(endpoint, context.ticker().read());
    EndpointTracker.Reorg reorg = poll.reorg();
    if (reorg != null && endpoint.eligible()) {
      state.onReorg(endpoint, reorg);
    }
    if (poll.error() != null) {
      log.debug("network {} endpoint {}: {}", config.name(), endpoint.url(), poll.error());
    }
    evaluate();
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
    long now = context.ticker().read();
    Instant wall = context.clock().instant();
    state.updateHead(now);
    boolean wasStale = stale;
    NetworkHealth previousHealth = wasStale ? NetworkHealth.MONITOR_STALE : health;
    Reason previousReason = wasStale ? Reason.MONITOR_STALE : reason;
    decideHealth(now, wall);
    if (wasStale) {
      since = wall;
    }
    stale = false;
    Condition condition =
        new Condition(
            health,
            reason,
            detail,
            rules.problems(),
            config,
            headNumber(),
            now,
            wall,
            state::cadenceNormal);
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
      context
          .events()
          .health(
              new NetworkHealthChange(
                  config.name(), previousHealth, health, reason, detail, wall, headNumber()));
    }
    context.events().transitions(config.name(), transitions);
    armDeadline(now, wall);
  }

  /**
   * Judges the network by every rule ({@link RuleBook}); its health and reason are the strongest
   * rule's in force, or HEALTHY / DEGRADED by its endpoints.
   */
  private void decideHealth(long now, Instant wall) {
    state.at(now, wall);
    rules.judge(state);
    if (rules.blocksInterrupted()) {
      state.blocksInterrupted();
    }
    HaltRule strongest = rules.strongest();
    if (strongest != null) {
      setHealth(strongest.health(), strongest.reason(), rules.detail(strongest), wall);
      return;
    }
    if (state.head() == null) {
      return; // still STARTING
    }
    boolean allOk = true;
    for (EndpointTracker e : endpoints) {
      // An endpoint that has not answered yet is not a problem yet.
      allOk &= e.state() == EndpointState.OK || e.state() == EndpointState.STARTING;
    }
    if (allOk) {
      setHealth(NetworkHealth.HEALTHY, Reason.HEALTHY, "head advancing", wall);
    } else {
      setHealth(
          NetworkHealth.DEGRADED, Reason.HEALTHY, "head advancing; some endpoints excluded", wall);
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

  private @Nullable Long headNumber() {
    var head = state.head();
    return head == null ? null : head.number();
  }

  /**
   * Evaluates again exactly when the next rule could change its answer without new input (as the
   * {@link RuleBook} found), or a breaker's grace or override ends.
   */
  private void armDeadline(long now, Instant wall) {
    long next = rules.nextChangeNanos();
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
      deadline =
          context.scheduler().schedule(this::evaluateSafely, next - now, TimeUnit.NANOSECONDS);
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
    long now = context.ticker().read();
    Duration silent = Duration.ofNanos(now - lastEvaluationNanos);
    if (silent.compareTo(config.pollInterval().multipliedBy(3)) <= 0) {
      return;
    }
    stale = true;
    Instant wall = context.clock().instant();
    String why =
        "no evaluation completed for "
            + silent
            + " (3 poll intervals are "
            + config.pollInterval().multipliedBy(3)
            + ")";
    NetworkStatus before = status;
    Condition condition =
        new Condition(
            NetworkHealth.MONITOR_STALE,
            Reason.MONITOR_STALE,
            why,
            Map.of(Reason.MONITOR_STALE, why),
            config,
            before.head() == null ? null : before.head().number(),
            now,
            wall,
            blocks -> false);
    List<TokenTransition> transitions = new ArrayList<>();
    for (DirectionBreaker breaker : breakers) {
      TokenTransition t = breaker.evaluate(condition);
      if (t != null) {
        transitions.add(t);
      }
    }
    status =
        new NetworkStatus(
            before.name(),
            before.chainId(),
            NetworkHealth.MONITOR_STALE,
            Reason.MONITOR_STALE,
            wall,
            why,
            before.head(),
            before.headAdvancedAt(),
            before.finalized(),
            before.reorgs(),
            before.endpoints(),
            before.clockOffset());
    context
        .events()
        .health(
            new NetworkHealthChange(
                config.name(),
                before.health(),
                NetworkHealth.MONITOR_STALE,
                Reason.MONITOR_STALE,
                why,
                wall,
                condition.head()));
    context.events().transitions(config.name(), transitions);
  }

  private NetworkStatus buildStatus() {
    List<EndpointStatus> list = new ArrayList<>(endpoints.size());
    for (EndpointTracker e : endpoints) {
      list.add(e.status());
    }
    return new NetworkStatus(
        config.name(),
        config.chainId(),
        health,
        reason,
        since,
        detail,
        state.head(),
        state.lastAdvanceAt(),
        state.finalized(),
        state.reorgs(),
        List.copyOf(list),
        state.clockOffset());
  }
}
