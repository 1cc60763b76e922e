package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.HeadStream;
import io.chainbreaker.chain.RpcUrl;
import io.chainbreaker.chain.SourceSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine knows of one endpoint: its state (starting, OK, lagging, syncing, on the wrong
 * chain, failing), head, finalized block and when each check is next due, updated from its polls
 * and pushed heads on the network's monitor thread. It hands the requests to its {@link
 * PollPipeline} (which follows the chain with a {@link ChainFollower}), the figures to its {@link
 * RequestRate} and the subscription's state to its {@link EndpointSubscription}. Logs each change
 * of state once, naming network and masked endpoint.
 */
final class EndpointTracker {

  private static final Logger log = LoggerFactory.getLogger("io.chainbreaker.chain");

  /**
   * A reorganisation seen by one endpoint.
   *
   * @param depth how many blocks we had seen were replaced (at least this many if beyond the cache)
   * @param ancestor the highest block both branches share, or -1 if beyond the cache
   * @param oldHead the head we had seen
   * @param newHead the head of the new branch
   */
  record Reorg(long depth, long ancestor, BlockHead oldHead, BlockHead newHead) {
    boolean beyondCache() {
      return ancestor < 0;
    }
  }

  /** The outcome of one poll of one endpoint. */
  record Poll(
      @Nullable String identity,
      @Nullable Boolean syncing,
      @Nullable String syncingError,
      @Nullable BlockHead head,
      @Nullable BlockHead finalized,
      @Nullable String finalizedError,
      @Nullable Reorg reorg,
      @Nullable String error,
      long seenAtNanos,
      Instant seenAt) {}

  /**
   * What a tracker needs of its network: the source's settings and the thresholds it applies. An
   * endpoint is kept across a catalog change when these are equal, or differ only in the reorg
   * cadence and what it remembers is deep enough for the new one (see {@link #keeps}).
   *
   * @param source what its head source was opened with (name, identity, protocol, timeout)
   * @param maxReorgDepth sizes the recent headers it follows reorganisations with
   * @param maxLagBlocks how far behind the network head it may be and still count as OK
   * @param blockInterval how fast the chain moves, to tell a jump from a run of blocks
   * @param chainIdCheckInterval how often its chain id is checked again
   * @param syncingCheckInterval how often its syncing state is checked again
   * @param watchesFinality whether it asks for the finalized block
   * @param finalityCheckInterval how often it asks for the finalized block, where it does
   * @param plans what each endpoint of the network bills per call
   * @param reorgCheckInterval how often a poll that finds several new blocks links them to the
   *     block linked at the previous check
   */
  record Settings(
      SourceSettings source,
      int maxReorgDepth,
      int maxLagBlocks,
      Duration blockInterval,
      Duration chainIdCheckInterval,
      Duration syncingCheckInterval,
      boolean watchesFinality,
      Duration finalityCheckInterval,
      Map<RpcUrl, RpcPlan> plans,
      Duration reorgCheckInterval) {

    static Settings of(NetworkConfig n) {
      Map<RpcUrl, RpcPlan> plans = new LinkedHashMap<>();
      for (RpcUrl u : n.rpcUrls()) {
        plans.put(u, n.rpcPlan(u));
      }
      Duration finality = n.finalityCheckInterval();
      return new Settings(
          n.sourceSettings(),
          n.maxReorgDepth(),
          n.maxLagBlocks(),
          n.blockInterval(),
          n.chainIdCheckInterval(),
          n.syncingCheckInterval(),
          n.finalityStallAfter() != null,
          finality != null ? finality : Duration.ZERO,
          Map.copyOf(plans),
          n.reorgCheckInterval());
    }

    private Settings withReorgCheckInterval(Duration d) {
      return new Settings(
          source,
          maxReorgDepth,
          maxLagBlocks,
          blockInterval,
          chainIdCheckInterval,
          syncingCheckInterval,
          watchesFinality,
          finalityCheckInterval,
          plans,
          d);
    }
  }

  /** How many times slower auxiliary checks run while the provider's projection is over budget. */
  static final int BUDGET_SLOWDOWN = 4;

  private final RpcUrl url;
  private volatile Settings settings;

  /** The network's name, for messages. */
  private final String network;

  private final HeadSource source;
  private final RpcPlan plan;

  /** 1, or {@link #BUDGET_SLOWDOWN} while the provider is over budget (monitor thread). */
  private int slowdown = 1;

  private long nextFinalityCheckNanos;

  /** Whether a poll is out (set on the monitor thread, cleared when its answer is taken). */
  private volatile boolean inFlight;

  private volatile EndpointState state = EndpointState.STARTING;
  private volatile @Nullable BlockHead head;
  private volatile @Nullable BlockHead finalized;
  private volatile boolean finalitySupported = true;
  private volatile boolean syncingSupported = true;
  private volatile @Nullable Instant lastAnswerAt;
  private volatile @Nullable Instant headAdvancedAt;
  private volatile @Nullable String lastError;
  private boolean chainVerified;
  private boolean syncing;
  private long nextChainIdCheckNanos;
  private long verifiedAtNanos;
  private long nextSyncingCheckNanos;
  private long lastAnswerNanos;
  private long lastPolled = -1;

  /** Asks the endpoint (owns the recent headers and the reorg walk). */
  private final PollPipeline pipeline;

  /** Its request rate and cost. */
  private final RequestRate rate;

  /** Its head subscription, if it has one. */
  private final EndpointSubscription subscription = new EndpointSubscription();

  EndpointTracker(Settings settings, RpcUrl url, HeadSource source) {
    this.settings = settings;
    this.network = settings.source().network();
    this.url = url;
    this.source = source;
    this.plan = settings.plans().getOrDefault(url, RpcPlan.REQUESTS);
    this.pipeline = new PollPipeline(settings, url, source);
    this.rate = new RequestRate(source, plan);
  }

  /** What this endpoint bills per call. */
  RpcPlan plan() {
    return plan;
  }

  /**
   * Slows its auxiliary checks (chain id, syncing, finality) by {@link #BUDGET_SLOWDOWN}, or back
   * to their cadence; never the head polls (monitor thread).
   */
  void slowAuxiliaryChecks(boolean slow) {
    slowdown = slow ? BUDGET_SLOWDOWN : 1;
  }

  boolean auxiliarySlowed() {
    return slowdown > 1;
  }

  /** What it runs with: what it was opened with, or what it {@link #adopt adopted} since. */
  Settings settings() {
    return settings;
  }

  /**
   * Whether a catalog change to {@code next} can keep this endpoint with its state: nothing it was
   * built from changed but, perhaps, the reorg cadence (which the poll interval sets by default),
   * and what it remembers of the chain is deep enough for the new cadence.
   */
  boolean keeps(Settings next) {
    Settings now = settings;
    return now.equals(next)
        || (now.withReorgCheckInterval(next.reorgCheckInterval()).equals(next)
            && pipeline.canRetuneReorgChecks(next.reorgCheckInterval()));
  }

  /**
   * Runs with {@code next} from now on, once the change that {@link #keeps kept} it is published.
   */
  void adopt(Settings next) {
    if (!settings.equals(next) && keeps(next)) {
      pipeline.retuneReorgChecks(next.reorgCheckInterval());
      settings = next;
    }
  }

  /** The endpoint's URL (unmasked: log it through its {@code toString}, which masks). */
  RpcUrl url() {
    return url;
  }

  /**
   * Starts a poll if one is due (monitor thread): none while one is in flight, and while the
   * subscription delivers heads only every {@code keepAliveNanos}, then by the head's number alone.
   * Returns what to ask, the poll then counting as in flight until {@link #apply} or {@link
   * #pollDropped}; or null when no poll is due.
   *
   * @param deliveringWithinNanos how recent a pushed head must be for the subscription to count as
   *     delivering
   * @param numberFirst whether to ask the head's number before the header anyway
   */
  @Nullable Plan startPoll(
      long now, long deliveringWithinNanos, long keepAliveNanos, boolean numberFirst) {
    if (inFlight) {
      return null;
    }
    boolean keepAlive =
        !subscription.pollWanted() && subscription.delivering(now, deliveringWithinNanos);
    if (keepAlive && polledAtNanos != Long.MIN_VALUE && now - polledAtNanos < keepAliveNanos) {
      return null;
    }
    subscription.polled();
    Plan plan =
        new Plan(
            chainIdDue(now), syncingDue(now), finalityDue(now), keepAlive || numberFirst, head);
    inFlight = true;
    polledAtNanos = now;
    return plan;
  }

  /** The poll started will never be applied (it failed to start, or the engine closed). */
  void pollDropped() {
    inFlight = false;
  }

  /** Whether a pushed head asked for a poll at once: it was on another branch (monitor thread). */
  boolean pollWanted() {
    return subscription.pollWanted();
  }

  /** Whether this poll must check the chain id (monitor thread). */
  private boolean chainIdDue(long now) {
    return !chainVerified || now - nextChainIdCheckNanos >= 0;
  }

  /** Whether this poll must check {@code eth_syncing} (monitor thread). */
  private boolean syncingDue(long now) {
    return syncingSupported && (syncing || !chainVerified || now - nextSyncingCheckNanos >= 0);
  }

  /**
   * Whether this poll asks for the finalized block: at the finality rule's own cadence ({@code
   * finalityCheckInterval}), not at every poll.
   */
  private boolean finalityDue(long now) {
    return settings.watchesFinality()
        && finalitySupported
        && (finalized == null || now - nextFinalityCheckNanos >= 0);
  }

  /**
   * What one poll asks besides the head.
   *
   * @param numberFirst whether to ask the head's number first and the header only if it is not
   *     {@code known}'s
   * @param known the endpoint's head as we have it (polled or pushed), or null
   */
  record Plan(
      boolean checkChainId,
      boolean checkSyncing,
      boolean withFinalized,
      boolean numberFirst,
      @Nullable BlockHead known) {}

  /**
   * Asks the endpoint without blocking: the future completes, never exceptionally, with what the
   * endpoint answered or why it failed. Requests go one after another, never two at once.
   */
  CompletableFuture<Poll> fetch(Plan plan, Ticker ticker, Clock clock) {
    return pipeline.fetch(plan, ticker, clock);
  }

  /** Takes a poll's outcome into account (monitor thread). */
  void apply(Poll poll) {
    inFlight = false;
    if (poll.error() != null) {
      lastError = poll.error();
      changeState(EndpointState.FAILING, poll.error());
      return;
    }
    lastError = null;
    lastAnswerAt = poll.seenAt();
    String identity = poll.identity();
    if (identity != null) {
      if (!settings.source().identity().equals(identity)) {
        chainVerified = false;
        changeState(
            EndpointState.WRONG_CHAIN,
            "serves "
                + settings.source().protocol().identityName()
                + " "
                + SafeText.escape(identity)
                + " but network "
                + network
                + " is "
                + settings.source().identityText()
                + "; excluded");
        return;
      }
      chainVerified = true;
      verifiedAtNanos = poll.seenAtNanos();
      nextChainIdCheckNanos =
          poll.seenAtNanos() + settings.chainIdCheckInterval().toNanos() * slowdown;
    }
    if (poll.syncingError() != null && syncingSupported) {
      syncingSupported = false;
      syncing = false;
      log.warn(
          "network {} endpoint {}: the syncing check is switched off for this endpoint, which"
              + " still counts by its head: {}",
          network,
          url,
          poll.syncingError());
    }
    Boolean isSyncing = poll.syncing();
    if (isSyncing != null) {
      syncing = isSyncing;
      nextSyncingCheckNanos =
          poll.seenAtNanos() + settings.syncingCheckInterval().toNanos() * slowdown;
    }
    BlockHead latest = poll.head();
    if (latest != null) {
      BlockHead previous = head;
      long polledBefore = lastPolled;
      lastPolled = latest.number();
      if (latest.number() < polledBefore && poll.reorg() == null) {
        log.warn(
            "network {} endpoint {}: head went backwards from #{} to #{}",
            network,
            url,
            polledBefore,
            latest.number());
      }
      // With a subscription, a poll answered just before a push may be older than the pushed
      // head: that is not the node going back, so keep the newer one.
      if (!subscription.exists()
          || previous == null
          || latest.number() >= previous.number()
          || poll.reorg() != null) {
        if (previous == null || latest.number() > previous.number()) {
          headAdvancedAt = poll.seenAt();
        }
        head = latest;
      }
      acceptFinalized(latest, poll);
    }
    if (syncing) {
      changeState(EndpointState.SYNCING, "eth_syncing reports the node is still syncing; excluded");
      return;
    }
    lastAnswerNanos = poll.seenAtNanos();
    if (state != EndpointState.LAGGING) {
      changeState(EndpointState.OK, "answering");
    }
  }

  private void acceptFinalized(BlockHead latest, Poll poll) {
    if (poll.finalizedError() != null && finalitySupported) {
      finalitySupported = false;
      finalized = null;
      log.warn(
          "network {} endpoint {}: finality is not watched on this endpoint: {}",
          network,
          url,
          poll.finalizedError());
      return;
    }
    BlockHead f = poll.finalized();
    if (f == null) {
      return;
    }
    nextFinalityCheckNanos =
        poll.seenAtNanos() + settings.finalityCheckInterval().toNanos() * slowdown;
    if (f.number() > latest.number()) {
      log.warn(
          "network {} endpoint {}: finalized block #{} is above the head #{}; ignored",
          network,
          url,
          f.number(),
          latest.number());
      return;
    }
    finalized = f;
  }

  /** Whether its head may count towards the network head. */
  boolean eligible() {
    return (state == EndpointState.OK || state == EndpointState.LAGGING)
        && chainVerified
        && head != null;
  }

  /**
   * Marks it LAGGING or OK against {@code othersHead} (monitor thread): the network head, or what
   * the other endpoints report if that is lower, so that it is never called lagging behind a head
   * only it reported. One far ahead of the network head has its chain id checked again before it
   * counts any longer, unless it was checked within a minute.
   */
  void compareWith(long networkHead, long othersHead, long now) {
    BlockHead h = head;
    if (h == null || !eligible()) {
      return;
    }
    if (h.number() - networkHead > 16 + 4L * settings.maxLagBlocks()
        && now - verifiedAtNanos > 60_000_000_000L) {
      chainVerified = false;
      log.warn(
          "network {} endpoint {}: head #{} is far ahead of the network head #{}; checking"
              + " its chain id again before it counts",
          network,
          url,
          h.number(),
          networkHead);
      return;
    }
    if (othersHead - h.number() > settings.maxLagBlocks()) {
      changeState(
          EndpointState.LAGGING,
          "head #"
              + h.number()
              + (othersHead == networkHead
                  ? " trails the network head #"
                  : " trails the other endpoints' head #")
              + othersHead
              + " by more than "
              + settings.maxLagBlocks()
              + " blocks; excluded from the quorum's lead");
    } else {
      changeState(EndpointState.OK, "caught up at #" + h.number());
    }
  }

  @Nullable BlockHead head() {
    return head;
  }

  /** Reads a sequencer uptime feed through this endpoint's source (any thread). */
  CompletableFuture<io.chainbreaker.chain.SequencerStatus> sequencerStatus(String feed) {
    return source.sequencerStatus(feed);
  }

  @Nullable BlockHead finalized() {
    return finalized;
  }

  long lastAnswerNanos() {
    return lastAnswerNanos;
  }

  EndpointState state() {
    return state;
  }

  EndpointStatus status() {
    BlockHead h = head;
    return new EndpointStatus(
        url.masked(),
        state,
        h == null ? null : h.number(),
        headAdvancedAt,
        lastAnswerAt,
        lastError,
        subscription.state(),
        subscription.detail(),
        source.requestCount(),
        rate.requestsPerMinute(),
        plan.name(),
        plan.unit(),
        rate.costByMethod(),
        rate.costPerDay(),
        plan.budgetPerDay());
  }

  /** Its projected cost per day in its plan's unit, over the same window as its request rate. */
  double costPerDay() {
    return rate.costPerDay();
  }

  /**
   * Updates the request rate (monitor thread): over each full minute once one has passed, over the
   * time since start before that.
   */
  void countRequests(long now) {
    rate.count(now);
  }

  /** When the last poll was sent (monitor thread). */
  private long polledAtNanos = Long.MIN_VALUE;

  /**
   * A head pushed by the subscription (monitor thread): counts like a polled one once the endpoint
   * is verified and not syncing; reorg checks stay with the polls.
   */
  boolean acceptPushed(BlockHead pushed, long now, Instant at) {
    subscription.pushed(pushed.number(), now);
    if (!chainVerified
        || syncing
        || !(state == EndpointState.OK || state == EndpointState.LAGGING)) {
      return false;
    }
    BlockHead h = head;
    if (h != null
        && (pushed.number() <= h.number()
            ? !pushed.hash().equals(h.hash()) && pushed.number() == h.number()
            : pushed.number() == h.number() + 1 && !pushed.parentHash().equals(h.hash()))) {
      // Another branch: the poll follows it and tells a reorg, now rather than at keep-alive pace.
      subscription.wantPoll();
    }
    if (h != null && pushed.number() <= h.number()) {
      return false;
    }
    head = pushed;
    headAdvancedAt = at;
    lastAnswerNanos = now;
    lastAnswerAt = at;
    return true;
  }

  /**
   * If the subscription went silent (subscribed, yet nothing pushed for {@code silentAfter} while
   * polls show this endpoint's head moved on), marks it {@link SubscriptionState#FAILING} and
   * resubscribes; returns whether it did (monitor thread).
   */
  boolean resubscribeIfSilent(long now, java.time.Duration silentAfter) {
    return subscription.resubscribeIfSilent(now, silentAfter, head);
  }

  /** Whether it has a subscription (working or not). */
  boolean subscribes() {
    return subscription.exists();
  }

  /** A subscription is being opened (monitor thread). */
  void subscribing() {
    subscription.opening();
  }

  /** The subscription opened, delivering what it receives to the monitor (monitor thread). */
  void subscription(HeadStream opened) {
    subscription.opened(opened);
  }

  /** The node confirmed the subscription (monitor thread). */
  void subscribedAt(long now) {
    subscription.confirmed(now, head);
  }

  /** The subscription could not be opened, failed or sent something unusable (monitor thread). */
  void subscriptionFailed(String problem) {
    subscription.failed(problem);
  }

  void close() {
    subscription.close();
    try {
      source.close();
    } catch (Exception e) {
      log.debug("network {} endpoint {}: close failed", network, url, e);
    }
  }

  private void changeState(EndpointState next, String why) {
    EndpointState previous = state;
    if (previous == next) {
      return;
    }
    state = next;
    if (next == EndpointState.WRONG_CHAIN) {
      log.error("network {} endpoint {}: {} -> {}: {}", network, url, previous, next, why);
    } else if (next == EndpointState.OK) {
      log.info("network {} endpoint {}: {} -> {}: {}", network, url, previous, next, why);
    } else {
      log.warn("network {} endpoint {}: {} -> {}: {}", network, url, previous, next, why);
    }
  }
}
