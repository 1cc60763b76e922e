package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadStream;
import io.chainbreaker.chain.RpcUrl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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

  /** Replaced by {@link #reconfigure} when the catalog changes this network. */
  volatile NetworkConfig config;

  /** Replaced by {@link #reconfigure}; read on the monitor thread and by the engine. */
  volatile List<EndpointTracker> endpoints;

  /** Added to and removed from by catalog changes while the monitor thread evaluates them. */
  final List<DirectionBreaker> breakers = new CopyOnWriteArrayList<>();

  private final MonitorContext context;
  private final SequencerWatch sequencer;

  // Monitor-thread state.
  private @Nullable BlockHead head;

  /** What a fleet's leader published, to go on from at the first usable answer; see seed. */
  private @Nullable NetworkStatus seed;

  private long lastAdvanceNanos;

  /** A head far past the network head that nothing corroborates yet (see {@link #suspect}). */
  private @Nullable BlockHead suspect;

  private long suspectSinceNanos;
  private long lastAnswerNanos = Long.MIN_VALUE;
  private @Nullable Instant lastAdvanceAt;
  private long startNanos;
  private NetworkHealth health = NetworkHealth.STARTING;
  private Reason reason = Reason.STARTING;
  private String detail = "waiting for the first head";
  private Instant since;
  private final ArrayDeque<NetworkView.BlockTime> recentHeads = new ArrayDeque<>();
  private final Collection<NetworkView.BlockTime> recentHeadsView =
      Collections.unmodifiableCollection(recentHeads);

  /** When the earliest halt rule can next change its answer, as the last evaluation found. */
  private long rulesChangeAtNanos = Long.MAX_VALUE;

  private @Nullable ScheduledFuture<?> pollTask;
  private @Nullable ScheduledFuture<?> probeTask;
  private @Nullable ScheduledFuture<?> deadline;
  private long deadlineNanos = Long.MAX_VALUE;
  private Map<Reason, String> problems = new EnumMap<>(Reason.class);
  private @Nullable BlockHead finalized;
  private long lastFinalizedAdvanceNanos;
  private long headAtFinalizedAdvance;
  private long reorgs;
  private EndpointTracker.@Nullable Reorg deepReorg;
  private @Nullable String probeFailure;
  private volatile boolean probing;
  private boolean liveAdvance;
  private long slowFrom;
  private final long[] offsetSamples = new long[32];
  private int offsetCount;
  private boolean clockOffsetReported;
  private volatile @Nullable Duration clockOffset;

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
    this.since = context.clock().instant();
    this.status = buildStatus();
  }

  /**
   * Starts polling; the first poll comes after {@code offsetNanos}, so that networks started
   * together spread their requests over the poll interval instead of sending them all at once.
   */
  void start(long offsetNanos) {
    startNanos = context.ticker().read();
    lastEvaluationNanos = startNanos;
    started = true;
    long period = config.pollInterval().toNanos();
    pollTask =
        context
            .scheduler()
            .scheduleAtFixedRate(this::pollSafely, offsetNanos, period, TimeUnit.NANOSECONDS);
    for (EndpointTracker e : endpoints) {
      RpcUrl ws = config.wsUrl(e.url());
      if (ws != null) {
        subscribe(e, ws);
      }
    }
    scheduleProbe();
    sequencer.start();
  }

  private void scheduleProbe() {
    LivenessProbe probe = config.livenessProbe();
    if (probe != null) {
      long every = config.livenessInterval().toNanos();
      probeTask =
          context
              .scheduler()
              .scheduleWithFixedDelay(() -> probe(probe), every, every, TimeUnit.NANOSECONDS);
    }
  }

  /** Subscribes to an endpoint's new heads; what the stream reports is handled on this thread. */
  private void subscribe(EndpointTracker endpoint, RpcUrl ws) {
    HeadStream.Listener listener =
        new HeadStream.Listener() {
          @Override
          public void onHead(BlockHead head) {
            onMonitor(
                () -> {
                  long now = context.ticker().read();
                  if (endpoint.acceptPushed(head, now, context.clock().instant())) {
                    evaluate();
                  }
                  if (endpoint.pollWanted()) {
                    pollEndpoint(endpoint, now);
                  }
                });
          }

          @Override
          public void onSubscribed() {
            onMonitor(
                () -> {
                  endpoint.subscribedAt(context.ticker().read());
                  log.info(
                      "network {} endpoint {}: subscribed to newHeads on {}",
                      config.name(),
                      endpoint.url(),
                      ws);
                });
          }

          @Override
          public void onProblem(String problem) {
            onMonitor(
                () -> {
                  endpoint.subscriptionFailed(problem);
                  log.warn(
                      "network {} endpoint {}: newHeads subscription on {}: {}",
                      config.name(),
                      endpoint.url(),
                      ws,
                      problem);
                });
          }
        };
    endpoint.subscribing();
    try {
      endpoint.subscription(context.headSources().subscribe(config.sourceSettings(), ws, listener));
    } catch (RuntimeException e) {
      endpoint.subscriptionFailed("cannot subscribe: " + e.getMessage());
      log.warn(
          "network {} endpoint {}: cannot subscribe on {}: {}; polling only",
          config.name(),
          endpoint.url(),
          ws,
          e.getMessage());
    }
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

  /** A subscription that says nothing while polls show the head moving is resubscribed. */
  private void checkSilentSubscriptions(long now) {
    Duration silentAfter = silentAfter();
    for (EndpointTracker e : endpoints) {
      if (e.resubscribeIfSilent(now, silentAfter)) {
        log.warn(
            "network {} endpoint {}: the newHeads subscription sent nothing for {} while the"
                + " head moved on; resubscribing",
            config.name(),
            e.url(),
            silentAfter);
      }
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** Runs the liveness probe on the I/O pool, never two at once; the answer comes back here. */
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
                String failure;
                try {
                  failure =
                      probe.live(config.name())
                          ? null
                          : "the liveness probe reported the network" + " not live";
                } catch (Exception e) {
                  failure = "the liveness probe failed: " + e;
                }
                String result = failure;
                boolean posted =
                    onMonitor(
                        () -> {
                          probing = false;
                          if (result != null && probeFailure == null) {
                            log.warn("network {}: {}", config.name(), result);
                          }
                          probeFailure = result;
                          evaluate();
                        });
                if (!posted) {
                  probing = false;
                }
              });
    } catch (RejectedExecutionException e) {
      probing = false;
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
              gone.forEach(this::forgetCost);
              if (started) {
                if (!before.pollInterval().equals(next.pollInterval()) && pollTask != null) {
                  pollTask.cancel(false);
                  long period = next.pollInterval().toNanos();
                  pollTask =
                      context
                          .scheduler()
                          .scheduleAtFixedRate(this::pollSafely, 0, period, TimeUnit.NANOSECONDS);
                }
                for (EndpointTracker e : nextEndpoints) {
                  RpcUrl ws = next.wsUrl(e.url());
                  if (ws != null && !e.subscribes()) {
                    subscribe(e, ws);
                  }
                }
                if (probeTask != null) {
                  probeTask.cancel(false);
                  probeTask = null;
                }
                scheduleProbe();
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
    if (probeTask != null) {
      probeTask.cancel(false);
    }
    if (deadline != null) {
      deadline.cancel(false);
    }
    sequencer.stop();
    endpoints.forEach(EndpointTracker::close);
    endpoints.forEach(this::forgetCost);
  }

  // Cost and budget (see RpcPlan): monitor-thread state.
  private long budgetCheckedNanos = Long.MIN_VALUE;

  private String costKey(EndpointTracker e) {
    return config.name() + " " + e.url().masked();
  }

  private void forgetCost(EndpointTracker e) {
    context.costs().forget(e.plan().name(), costKey(e));
  }

  /**
   * Reports the endpoint's projected cost; every 10 s, compares each budgeted provider's projection
   * over every network with its budget: over it, this network's auxiliary checks on that provider
   * slow down (one warning says what), never the polls the halt bound needs; under 90 % of it, they
   * return to their cadence.
   */
  private void checkBudget(EndpointTracker endpoint, long now) {
    context.costs().report(endpoint.plan().name(), costKey(endpoint), endpoint.costPerDay());
    if (budgetCheckedNanos != Long.MIN_VALUE && now - budgetCheckedNanos < 10_000_000_000L) {
      return;
    }
    budgetCheckedNanos = now;
    Map<String, List<EndpointTracker>> byProvider = new java.util.TreeMap<>();
    for (EndpointTracker e : endpoints) {
      if (e.plan().budgetPerDay() != null) {
        byProvider.computeIfAbsent(e.plan().name(), p -> new ArrayList<>()).add(e);
      }
    }
    for (Map.Entry<String, List<EndpointTracker>> entry : byProvider.entrySet()) {
      RpcPlan plan = entry.getValue().get(0).plan();
      double budget = Objects.requireNonNull(plan.budgetPerDay(), "grouped by budget");
      double projected = context.costs().projected(entry.getKey());
      boolean slowed = entry.getValue().get(0).auxiliarySlowed();
      if (!slowed && projected > budget) {
        entry.getValue().forEach(e -> e.slowAuxiliaryChecks(true));
        int k = EndpointTracker.BUDGET_SLOWDOWN;
        Duration finality = config.finalityCheckInterval();
        log.warn(
            "network {}: the projected cost at provider {} is {} {}/day, over its budget of {};"
                + " slowed on its {} endpoint(s) there: syncing checks from {} to {}, chain id"
                + " checks from {} to {}{}; the polls the halt bound needs are not slowed (a halt"
                + " is still caught by haltAfter {} + haltLateness {})",
            config.name(),
            entry.getKey(),
            Math.round(projected),
            plan.unit(),
            Math.round(budget),
            entry.getValue().size(),
            config.syncingCheckInterval(),
            config.syncingCheckInterval().multipliedBy(k),
            config.chainIdCheckInterval(),
            config.chainIdCheckInterval().multipliedBy(k),
            finality == null
                ? ""
                : ", finality checks from " + finality + " to " + finality.multipliedBy(k),
            config.haltAfter(),
            config.haltLateness());
      } else if (slowed && projected < 0.9 * budget) {
        entry.getValue().forEach(e -> e.slowAuxiliaryChecks(false));
        log.info(
            "network {}: the projected cost at provider {} is {} {}/day, under its budget of {}"
                + " again; auxiliary checks back to their cadence",
            config.name(),
            entry.getKey(),
            Math.round(projected),
            plan.unit(),
            Math.round(budget));
      }
    }
  }

  NetworkStatus status() {
    return status;
  }

  /**
   * Starts this monitor's view from what a fleet's leader published ({@code published}), before it
   * starts: the head and when it last advanced, the health and since when. A new leader so goes on
   * from its predecessor's evidence: a chain that has not moved since is still halted (no fresh
   * view's {@code haltAfter} of waiting first), and a network goes on with the same incident. When
   * the head last advanced is the publishing host's wall time, taken as this host's.
   */
  void seed(NetworkStatus published) {
    if (started) {
      return;
    }
    if (published.head() != null && published.headAdvancedAt() != null) {
      seed = published; // applied with the first usable answer, see updateHead
    }
    if (published.health() != NetworkHealth.STARTING) {
      health = published.health();
      reason = published.reason();
      detail = published.detail();
      since = published.since();
    }
  }

  /**
   * Takes the seeded head as this monitor's own, with its last advance on this host's ticker, just
   * before the first usable answer is compared with it: time before an endpoint answered does not
   * count against the chain.
   */
  private void applySeed(long now) {
    NetworkStatus published = seed;
    seed = null;
    if (published == null || head != null) {
      return;
    }
    BlockHead h = Objects.requireNonNull(published.head(), "seeded with a head");
    Instant advancedAt = Objects.requireNonNull(published.headAdvancedAt(), "and its time");
    Duration ago = Duration.between(advancedAt, context.clock().instant());
    head = h;
    lastAdvanceAt = advancedAt;
    lastAdvanceNanos = now - Math.max(0, ago.toNanos());
    recentHeads.addLast(new NetworkView.BlockTime(h.number(), h.timestamp()));
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
    checkSilentSubscriptions(now);
    for (EndpointTracker endpoint : endpoints) {
      pollEndpoint(endpoint, now);
    }
    evaluate();
  }

  /**
   * Sends one poll to an endpoint unless one is in flight: the chain id and syncing checks when
   * due, then the head. While its subscription delivers heads, it is only checked every {@link
   * #keepAliveNanos()}, and then by the head's number alone.
   */
  private void pollEndpoint(EndpointTracker endpoint, long now) {
    EndpointTracker.Plan plan =
        endpoint.startPoll(now, silentAfter().toNanos(), keepAliveNanos(), numberFirst());
    if (plan == null) {
      return;
    }
    CompletableFuture<EndpointTracker.Poll> answer;
    try {
      answer = endpoint.fetch(plan, context.ticker(), context.clock());
    } catch (RuntimeException e) {
      endpoint.pollDropped();
      log.error("network {} endpoint {}: poll failed to start", config.name(), endpoint.url(), e);
      return;
    }
    CompletableFuture<?> unused =
        answer.whenComplete(
            (poll, failure) -> {
              boolean posted = poll != null && onMonitor(() -> onPoll(endpoint, poll));
              if (!posted) {
                endpoint.pollDropped();
              }
            });
  }

  /**
   * Whether to ask the head's number before the header: cheaper (in a provider's compute units and
   * bytes) only where most polls find no new block, that is where blocks come at most every third
   * poll, or only on demand.
   */
  private boolean numberFirst() {
    return config.mode() == NetworkMode.ON_DEMAND
        || config.blockInterval().compareTo(config.pollInterval().multipliedBy(3)) >= 0;
  }

  /**
   * How long a subscription may push nothing before it no longer counts as delivering, and, while
   * polls show the head moving, before it is resubscribed: 3 block or poll intervals.
   */
  private Duration silentAfter() {
    return max(config.blockInterval().multipliedBy(3), config.pollInterval().multipliedBy(3));
  }

  /**
   * The polling period of an endpoint whose subscription delivers heads: a quarter of {@code
   * haltAfter}, at least the poll interval and at most 15 s. A silent subscription is still caught
   * by these polls long before {@code haltAfter}.
   */
  private long keepAliveNanos() {
    long quarter = config.haltAfter().toNanos() / 4;
    return Math.max(config.pollInterval().toNanos(), Math.min(quarter, 15_000_000_000L));
  }

  private void onPoll(EndpointTracker endpoint, EndpointTracker.Poll poll) {
    endpoint.apply(poll);
    endpoint.countRequests(context.ticker().read());
    checkBudget(endpoint, context.ticker().read());
    if (poll.reorg() != null && endpoint.eligible()) {
      onReorg(endpoint, poll.reorg());
    }
    if (poll.error() != null) {
      log.debug("network {} endpoint {}: {}", config.name(), endpoint.url(), poll.error());
    }
    evaluate();
  }

  /** Counts every reorganisation; one at least {@code maxReorgDepth} deep is a security event. */
  private void onReorg(EndpointTracker endpoint, EndpointTracker.Reorg r) {
    reorgs++;
    String depth =
        r.beyondCache()
            ? "at least " + r.depth() + " blocks deep (below what we" + " saw)"
            : r.depth() + " blocks deep";
    String what =
        "reorganisation "
            + depth
            + ": #"
            + r.oldHead().number()
            + " "
            + r.oldHead().hash()
            + " replaced by a branch to #"
            + r.newHead().number()
            + " "
            + r.newHead().hash()
            + (r.beyondCache() ? "" : " from #" + r.ancestor());
    if (r.depth() >= config.maxReorgDepth()) {
      deepReorg = r;
      log.error(
          "network {} endpoint {}: deep {} (maxReorgDepth {})",
          config.name(),
          endpoint.url(),
          what,
          config.maxReorgDepth());
    } else {
      log.info("network {} endpoint {}: shallow {}", config.name(), endpoint.url(), what);
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
    long now = context.ticker().read();
    Instant wall = context.clock().instant();
    updateHead(now);
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
            health, reason, detail, problems, config, headNumber(), now, wall, this::cadenceNormal);
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
    if (seed != null) {
      applySeed(now);
    }
    int n = eligible.size();
    int quorum = config.quorum() > 0 ? config.quorum() : n / 2 + 1;
    if (quorum > n) {
      return;
    }
    long[] numbers = new long[n];
    for (int i = 0; i < n; i++) {
      numbers[i] =
          Objects.requireNonNull(eligible.get(i).head(), "eligible implies a head").number();
    }
    Arrays.sort(numbers);
    // The highest number that at least `quorum` endpoints have reached.
    long candidate = numbers[n - quorum];
    if (head != null && candidate > head.number() && suspect(candidate, eligible, now)) {
      candidate = head.number(); // held: the network head stays where the evidence is
    }
    if (head != null && candidate == head.number()) {
      for (EndpointTracker e : eligible) {
        BlockHead h = e.head();
        if (h != null && h.number() == candidate && !h.hash().equals(head.hash())) {
          head = h; // the same height on another branch: not an advance
          break;
        }
      }
    }
    if (head == null || candidate > head.number()) {
      for (EndpointTracker e : eligible) {
        BlockHead h = e.head();
        if (h != null && h.number() == candidate) {
          head = h;
          break;
        }
      }
      Objects.requireNonNull(head, "candidate is the height of an eligible endpoint's head");
      if (lastAdvanceAt != null) {
        liveAdvance = true; // a head before this one: the chain is seen to move
      }
      lastAdvanceNanos = now;
      lastAdvanceAt = context.clock().instant();
      measureClockOffset(lastAdvanceAt, head);
      recentHeads.addLast(new NetworkView.BlockTime(head.number(), head.timestamp()));
      if (recentHeads.size() > RECENT_HEADS) {
        recentHeads.removeFirst();
      }
    }
    // Lag is judged against what the others report: never against a head only this one reported.
    EndpointTracker top = null;
    long highest = Long.MIN_VALUE;
    long second = Long.MIN_VALUE;
    for (EndpointTracker e : eligible) {
      long number = Objects.requireNonNull(e.head(), "eligible implies a head").number();
      if (number > highest) {
        second = highest;
        highest = number;
        top = e;
      } else if (number > second) {
        second = number;
      }
    }
    for (EndpointTracker e : eligible) {
      long others = e == top ? second : highest;
      long own = Objects.requireNonNull(e.head(), "eligible implies a head").number();
      e.compareWith(
          head.number(), others == Long.MIN_VALUE ? own : Math.min(others, head.number()), now);
    }
    updateFinality(eligible, now);
  }

  /**
   * Whether {@code candidate}, above the network head, is held as suspect: a leap further than the
   * chain could have gone since the head last advanced, that no other answer corroborates. It is
   * corroborated when a second endpoint reports it, or when a later answer carries on from it at a
   * plausible pace; an answer back below it (at the old line) drops it. One bad answer therefore
   * never becomes the network head alone.
   */
  private boolean suspect(long candidate, List<EndpointTracker> eligible, long now) {
    long current = Objects.requireNonNull(head, "a network head to leap from").number();
    if (candidate - current <= plausibleRun(now - lastAdvanceNanos)) {
      suspect = null;
      return false;
    }
    int witnesses = 0;
    BlockHead reported = null;
    for (EndpointTracker e : eligible) {
      BlockHead h = e.head();
      if (h != null && h.number() >= candidate) {
        witnesses++;
        if (h.number() == candidate) {
          reported = h;
        }
      }
    }
    BlockHead held = suspect;
    if (witnesses >= 2
        || (held != null
            && candidate > held.number()
            && candidate - held.number() <= plausibleRun(now - suspectSinceNanos))) {
      suspect = null;
      return false;
    }
    if (held == null || held.number() != candidate) {
      suspect = reported;
      suspectSinceNanos = now;
      log.warn(
          "network {}: head #{} is {} blocks past the network head #{}, further than the chain"
              + " could have gone, and nothing corroborates it; held as suspect",
          config.name(),
          candidate,
          candidate - current,
          current);
    }
    return true;
  }

  /** How many blocks the chain could plausibly have produced in {@code elapsedNanos}. */
  private long plausibleRun(long elapsedNanos) {
    return 16
        + Math.max(
            config.maxLagBlocks(),
            4 * Math.max(0, elapsedNanos) / Math.max(1, config.blockInterval().toNanos()));
  }

  private void updateFinality(List<EndpointTracker> eligible, long now) {
    if (config.finalityStallAfter() == null) {
      return;
    }
    BlockHead best = null;
    for (EndpointTracker e : eligible) {
      BlockHead f = e.finalized();
      if (f != null && (best == null || f.number() > best.number())) {
        best = f;
      }
    }
    if (best != null && (finalized == null || best.number() > finalized.number())) {
      finalized = best;
      lastFinalizedAdvanceNanos = now;
      headAtFinalizedAdvance = Objects.requireNonNull(head, "set before finality").number();
    }
  }

  /**
   * The last usable answer from any endpoint: kept by the network, so that an endpoint that just
   * failed (or one replaced by a catalog change) does not take its last answer with it. One failed
   * poll of the only endpoint is not {@code unreachableAfter} without an answer.
   */
  private long lastAnswerNanos() {
    for (EndpointTracker e : endpoints) {
      if (e.eligible()) {
        lastAnswerNanos = Math.max(lastAnswerNanos, e.lastAnswerNanos());
      }
    }
    return lastAnswerNanos;
  }

  /** What the halt rules see now; the recent heads are handed as a read-only view, not copied. */
  private NetworkView view(long now, Instant wall) {
    return new NetworkView(
        config,
        now,
        wall,
        startNanos,
        head,
        lastAdvanceNanos,
        liveAdvance,
        lastAnswerNanos(),
        finalized,
        lastFinalizedAdvanceNanos,
        headAtFinalizedAdvance,
        deepReorg,
        recentHeadsView,
        slowFrom,
        probeFailure,
        sequencer.reading());
  }

  /**
   * Collects every automatic reason in force ({@link HaltRule#ALL}) and when the next one can
   * change, then the network's health and reason: the strongest of them, or HEALTHY / DEGRADED.
   */
  private void decideHealth(long now, Instant wall) {
    NetworkView view = view(now, wall);
    Map<Reason, String> found = new EnumMap<>(Reason.class);
    long next = Long.MAX_VALUE;
    for (HaltRule rule : HaltRule.ALL) {
      HaltRule.Verdict v = rule.judge(view);
      if (v.problem() != null) {
        found.put(rule.reason(), v.problem());
      }
      next = Math.min(next, v.nextChangeNanos());
    }
    rulesChangeAtNanos = next;
    if (head != null && deepReorg != null && !found.containsKey(Reason.DEEP_REORG)) {
      log.warn(
          "network {}: the branch of the deep reorganisation at #{} is now {} blocks"
              + " deep; DEEP_REORG ends",
          config.name(),
          deepReorg.newHead().number(),
          config.maxReorgDepth());
      deepReorg = null;
    }
    if (head != null
        && (found.containsKey(Reason.HALTED)
            || found.containsKey(Reason.UNREACHABLE)
            || found.containsKey(Reason.MAINTENANCE))) {
      // The gap after this block is its own incident, never slow production.
      slowFrom = head.number() + 1;
    }
    problems = found;
    for (Reason r : Reason.BY_STRENGTH) {
      String d = found.get(r);
      if (d != null) {
        setHealth(healthOf(r), r, d, wall);
        return;
      }
    }
    if (head == null) {
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

  private static NetworkHealth healthOf(Reason r) {
    switch (r) {
      case UNREACHABLE:
        return NetworkHealth.UNREACHABLE;
      case HALTED:
      case SEQUENCER_DOWN:
      case PROBE_FAILED:
        return NetworkHealth.HALTED;
      case MAINTENANCE:
        return NetworkHealth.MAINTENANCE;
      case MONITOR_STALE:
        return NetworkHealth.MONITOR_STALE;
      default:
        return NetworkHealth.DEGRADED;
    }
  }

  /**
   * Estimates how far this host's clock is ahead of the chain's block times: the least of (time the
   * head was first seen - its block time) over recent advances, since a head is never seen before
   * it is made. Logged once when it passes {@code timestampSkew}, and once when it is back.
   */
  private void measureClockOffset(Instant seenAt, BlockHead h) {
    if (!liveAdvance) {
      return; // the first head may be an old block (a start during a halt)
    }
    offsetSamples[offsetCount++ % offsetSamples.length] =
        seenAt.toEpochMilli() - h.timestamp() * 1000;
    if (offsetCount < 3) {
      return;
    }
    long least = Long.MAX_VALUE;
    for (int i = 0; i < Math.min(offsetCount, offsetSamples.length); i++) {
      least = Math.min(least, offsetSamples[i]);
    }
    clockOffset = Duration.ofMillis(least);
    // Block times are whole seconds and a block takes up to an interval to be seen.
    boolean off =
        Math.abs(least)
            > config.timestampSkew().toMillis() + config.blockInterval().toMillis() + 1000;
    if (off && !clockOffsetReported) {
      clockOffsetReported = true;
      log.warn(
          "network {}: this host's clock is {} {} the chain's block timestamps (more than the"
              + " timestampSkew of {}); heads keep advancing, so block times do not suspend anything;"
              + " check this host's time synchronisation",
          config.name(),
          Duration.ofMillis(Math.abs(least)),
          least > 0 ? "ahead of" : "behind",
          config.timestampSkew());
    } else if (!off && clockOffsetReported) {
      clockOffsetReported = false;
      log.info(
          "network {}: this host's clock agrees with the chain's block timestamps again"
              + " (offset {})",
          config.name(),
          clockOffset);
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
    NetworkView.BlockTime latest = recentHeads.peekLast();
    if (latest == null) {
      return false;
    }
    // The newest head seen at least `blocks` below the latest: polls slower than the blocks see
    // every few blocks, so the window may span a few more than asked, never fewer.
    NetworkView.BlockTime from = null;
    for (NetworkView.BlockTime entry : recentHeads) {
      if (entry.number() <= latest.number() - blocks) {
        from = entry;
      } else if (from == null) {
        from = entry;
        break;
      } else {
        break;
      }
    }
    if (from == null || from.number() == latest.number()) {
      return false;
    }
    double span = latest.timestamp() - from.timestamp();
    double allowed =
        2.0 * config.blockInterval().toMillis() / 1000.0 * (latest.number() - from.number()) + 1;
    return span <= allowed;
  }

  private @Nullable Long headNumber() {
    return head == null ? null : head.number();
  }

  /**
   * Evaluates again exactly when the next rule could change its answer without new input (as {@link
   * #decideHealth} found), or a breaker's grace or override ends.
   */
  private void armDeadline(long now, Instant wall) {
    long next = rulesChangeAtNanos;
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
        head,
        lastAdvanceAt,
        finalized,
        reorgs,
        List.copyOf(list),
        clockOffset);
  }
}
