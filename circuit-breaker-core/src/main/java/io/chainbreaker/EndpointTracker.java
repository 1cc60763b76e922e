package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.HeadStream;
import io.chainbreaker.chain.RpcException;
import io.chainbreaker.chain.RpcUrl;
import io.chainbreaker.chain.SourceSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine knows of one endpoint. {@link #fetch} chains its requests on the HTTP client's
 * threads (one poll at a time per endpoint) and owns the recent headers; everything else runs on
 * the network's monitor thread. Logs each change of state once, naming network and masked endpoint.
 */
final class EndpointTracker {

  private static final Logger log = LoggerFactory.getLogger("io.chainbreaker.chain");

  /** A block stamped further ahead of this host's clock than this is refused. */
  private static final long FUTURE_LIMIT_SECONDS = 86_400;

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
   * endpoint is kept across a catalog change exactly when these are equal.
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
      Map<RpcUrl, RpcPlan> plans) {

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
          Map.copyOf(plans));
    }
  }

  /** How many times slower auxiliary checks run while the provider's projection is over budget. */
  static final int BUDGET_SLOWDOWN = 4;

  private final RpcUrl url;
  private final Settings settings;

  /** The network's name, for messages. */
  private final String network;

  private final HeadSource source;
  private final int window;
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

  // Owned by fetch(), which never runs twice at once for one endpoint.
  private final RecentHeaders recent;
  private volatile @Nullable BlockHead lastSeen;
  private volatile long lowestSeen = Long.MAX_VALUE;
  private volatile long lastSeenNanos;

  EndpointTracker(Settings settings, RpcUrl url, HeadSource source) {
    this.settings = settings;
    this.network = settings.source().network();
    this.url = url;
    this.source = source;
    this.window = Math.max(64, 2 * settings.maxReorgDepth() + 16);
    this.recent = new RecentHeaders(window);
    this.plan = settings.plans().getOrDefault(url, RpcPlan.REQUESTS);
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

  /** What it was opened with: a catalog change keeps it only if the new settings are equal. */
  Settings settings() {
    return settings;
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
    boolean keepAlive = !pollNow && delivering(now, deliveringWithinNanos);
    if (keepAlive && polledAtNanos != Long.MIN_VALUE && now - polledAtNanos < keepAliveNanos) {
      return null;
    }
    pollNow = false;
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
    return pollNow;
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
    CompletableFuture<Poll> poll;
    try {
      poll =
          plan.checkChainId()
              ? onOurChain(id -> afterChainId(id, plan, ticker, clock), ticker, clock)
              : afterChainId(null, plan, ticker, clock);
    } catch (RuntimeException e) {
      poll = CompletableFuture.failedFuture(e);
    }
    return poll.exceptionally(
        e ->
            new Poll(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                url.redact(message(e)),
                ticker.read(),
                clock.instant()));
  }

  /**
   * Asks the chain id; on ours, goes on with {@code next}, else ends the poll as on the wrong
   * chain.
   */
  private CompletableFuture<Poll> onOurChain(
      java.util.function.Function<String, CompletableFuture<Poll>> next,
      Ticker ticker,
      Clock clock) {
    return source
        .identity()
        .thenCompose(
            id ->
                !settings.source().identity().equals(id)
                    ? CompletableFuture.completedFuture(wrongChain(id, ticker, clock))
                    : next.apply(id));
  }

  private Poll wrongChain(String chainId, Ticker ticker, Clock clock) {
    // What we followed of the other chain must not count as a reorg of ours when it comes back.
    lastSeen = null;
    lowestSeen = Long.MAX_VALUE;
    recent.clear();
    return new Poll(
        chainId, null, null, null, null, null, null, null, ticker.read(), clock.instant());
  }

  @SuppressWarnings("FutureReturnValueIgnored") // handle(..).thenCompose(f -> f) unnests on purpose
  private CompletableFuture<Poll> afterChainId(
      @Nullable String chainId, Plan plan, Ticker ticker, Clock clock) {
    if (!plan.checkSyncing()) {
      return afterSyncing(chainId, null, null, plan, ticker, clock);
    }
    // eth_syncing is an auxiliary check: a node that refuses it or answers oddly still counts by
    // its head; the monitor then switches the check off for it.
    return source
        .syncing()
        .handle(
            (isSyncing, failure) -> {
              if (failure != null && transport(failure)) {
                // No answer at all says nothing about eth_syncing: the poll fails as any other
                // would.
                return CompletableFuture.<Poll>failedFuture(failure);
              }
              return afterSyncing(
                  chainId,
                  failure == null ? isSyncing : null,
                  failure == null ? null : url.redact(message(failure)),
                  plan,
                  ticker,
                  clock);
            })
        .thenCompose(f -> f);
  }

  private CompletableFuture<Poll> afterSyncing(
      @Nullable String chainId,
      @Nullable Boolean syncing,
      @Nullable String syncingError,
      Plan plan,
      Ticker ticker,
      Clock clock) {
    BlockHead known = plan.known();
    if (plan.numberFirst() && known != null && !plan.withFinalized()) {
      return source
          .headNumber()
          .thenCompose(
              number ->
                  number == known.number()
                      ? CompletableFuture.completedFuture(
                          new Poll(
                              chainId,
                              syncing,
                              syncingError,
                              known,
                              null,
                              null,
                              null,
                              null,
                              ticker.read(),
                              clock.instant()))
                      : heads(chainId, syncing, syncingError, plan, ticker, clock));
    }
    return heads(chainId, syncing, syncingError, plan, ticker, clock);
  }

  @SuppressWarnings("FutureReturnValueIgnored") // handle(..).thenCompose(f -> f) unnests on purpose
  private CompletableFuture<Poll> heads(
      @Nullable String chainId,
      @Nullable Boolean syncing,
      @Nullable String syncingError,
      Plan plan,
      Ticker ticker,
      Clock clock) {
    CompletableFuture<HeadSource.Heads> heads = source.heads(plan.withFinalized());
    if (plan.withFinalized()) {
      // A node or proxy that cannot answer the batch still answers the head alone: finality is
      // then switched off for it, never the endpoint.
      heads =
          heads
              .handle(
                  (h, e) ->
                      h != null
                          ? CompletableFuture.completedFuture(h)
                          : transport(e)
                              ? CompletableFuture.<HeadSource.Heads>failedFuture(e)
                              : source
                                  .heads(false)
                                  .thenApply(
                                      alone ->
                                          new HeadSource.Heads(
                                              alone.latest(),
                                              null,
                                              "the batch with the finalized block failed: "
                                                  + message(e))))
              .thenCompose(f -> f);
    }
    return heads.thenCompose(
        h -> {
          BlockHead latest = h.latest();
          long ahead = latest.timestamp() - clock.instant().getEpochSecond();
          if (ahead > FUTURE_LIMIT_SECONDS) {
            throw new CompletionException(
                new RpcException(
                    "block #"
                        + latest.number()
                        + " is stamped "
                        + java.time.Duration.ofSeconds(ahead)
                        + " ahead of this host's clock"
                        + " (more than a day): not a block time"));
          }
          // Every outcome of this poll but its identity and reorg is known here.
          BiFunction<@Nullable String, @Nullable Reorg, Poll> answer =
              (id, reorg) ->
                  new Poll(
                      id,
                      syncing,
                      syncingError,
                      latest,
                      h.finalized(),
                      h.finalizedError(),
                      reorg,
                      null,
                      ticker.read(),
                      clock.instant());
          if (Boolean.TRUE.equals(syncing)) {
            return CompletableFuture.completedFuture(answer.apply(chainId, null));
          }
          long now = ticker.read();
          if (chainId == null && jumped(lastSeen, latest, now)) {
            // The view jumped (another branch, or far from where the endpoint was): before
            // following it, make sure the endpoint still serves our chain.
            return onOurChain(
                id -> follow(latest, now).thenApply(reorg -> answer.apply(id, reorg)),
                ticker,
                clock);
          }
          // A reorg seen by following is a jump too: the chain id is checked before it counts.
          return follow(latest, now)
              .thenCompose(
                  reorg ->
                      reorg == null || chainId != null
                          ? CompletableFuture.completedFuture(answer.apply(chainId, reorg))
                          : onOurChain(
                              id -> CompletableFuture.completedFuture(answer.apply(id, reorg)),
                              ticker,
                              clock));
        });
  }

  /**
   * Whether {@code h} is neither the head we saw, nor its child, nor a plausible run of blocks
   * above it: a branch change below it, or a leap further than the chain could have gone.
   */
  private boolean jumped(@Nullable BlockHead prev, BlockHead h, long now) {
    if (prev == null) {
      return false;
    }
    if (h.number() == prev.number()) {
      return !h.hash().equals(prev.hash());
    }
    if (h.number() < prev.number()) {
      String known = recent.get(h.number());
      return known != null && !known.equals(h.hash());
    }
    if (h.number() == prev.number() + 1) {
      return !h.parentHash().equals(prev.hash());
    }
    long elapsed = Math.max(0, now - lastSeenNanos);
    long plausible =
        16
            + Math.max(
                settings.maxLagBlocks(),
                4 * elapsed / Math.max(1, settings.blockInterval().toNanos()));
    return h.number() - prev.number() > plausible;
  }

  /** Whether the failure is one of transport (no answer), not of the answer. */
  private static boolean transport(Throwable failure) {
    Throwable e = unwrap(failure);
    return !(e instanceof RpcException r) || r.transport();
  }

  private static String message(Throwable failure) {
    Throwable e = unwrap(failure);
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The failure a future stage wrapped. */
  private static Throwable unwrap(Throwable failure) {
    Throwable e = failure;
    while ((e instanceof CompletionException
            || e instanceof java.util.concurrent.ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /**
   * Follows the endpoint's chain from the last head we saw to {@code h}; yields the reorg if the
   * blocks we had seen were replaced. A head that extends the last one costs nothing; a gap costs
   * one block-by-number call; only a real change of branch walks parent hashes back to the common
   * ancestor, at most the cache's window deep.
   */
  private CompletableFuture<@Nullable Reorg> follow(BlockHead h, long now) {
    BlockHead prev = lastSeen;
    if (!source.linksBlocks()) {
      // Heads without linked hashes: no branch to follow, no reorg to see.
      lastSeen = h;
      lastSeenNanos = now;
      return CompletableFuture.completedFuture(null);
    }
    if (prev == null || (h.number() == prev.number() && h.hash().equals(prev.hash()))) {
      remember(h, now);
      return CompletableFuture.completedFuture(null);
    }
    if (h.number() > prev.number()) {
      if (h.number() == prev.number() + 1 && h.parentHash().equals(prev.hash())) {
        remember(h, now);
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<? extends @Nullable BlockHead> below =
          h.number() == prev.number() + 1 ? parent(h) : source.blockByNumber(prev.number());
      return below.thenCompose(
          there -> {
            if (there != null && there.hash().equals(prev.hash())) {
              remember(there, now);
              remember(h, now);
              return CompletableFuture.completedFuture(null);
            }
            if (there == null) {
              throw new CompletionException(
                  new RpcException(
                      "the node has no block at #"
                          + prev.number()
                          + " below its head #"
                          + h.number()));
            }
            return walk(there, prev, h, now);
          });
    }
    String known = recent.get(h.number());
    if (known == null || known.equals(h.hash())) {
      // Behind what we saw, on the same chain (or beyond what we remember): not a reorg.
      return CompletableFuture.completedFuture(null);
    }
    return walk(h, prev, h, now);
  }

  /**
   * The blocks we saw were replaced: walks the new branch down from {@code cur} to the block both
   * share, but not below what we have seen or remember: there we only know the reorg is at least
   * that deep.
   */
  private CompletableFuture<@Nullable Reorg> walk(
      BlockHead cur, BlockHead prev, BlockHead h, long now) {
    long floor = Math.max(lowestSeen, prev.number() - window);
    String known = recent.get(cur.number());
    if (known != null && known.equals(cur.hash())) {
      remember(h, now);
      return CompletableFuture.completedFuture(
          new Reorg(prev.number() - cur.number(), cur.number(), prev, h));
    }
    if (cur.number() <= floor || cur.number() == 0) {
      remember(h, now);
      return CompletableFuture.completedFuture(new Reorg(prev.number() - floor + 1, -1, prev, h));
    }
    recent.put(cur.number(), cur.hash());
    return parent(cur).thenCompose(p -> walk(p, prev, h, now));
  }

  private CompletableFuture<BlockHead> parent(BlockHead child) {
    return source
        .blockByHash(child.parentHash())
        .thenApply(
            parent -> {
              if (parent == null || parent.number() != child.number() - 1) {
                throw new CompletionException(
                    new RpcException(
                        "parent hash "
                            + child.parentHash()
                            + " of block #"
                            + child.number()
                            + " does not link to any block the node knows"));
              }
              return parent;
            });
  }

  private void remember(BlockHead h, long now) {
    recent.put(h.number(), h.hash());
    if (h.number() > 0 && recent.get(h.number() - 1) == null) {
      // The parent hash tells us the block below too, one more height to compare after a reorg.
      recent.put(h.number() - 1, h.parentHash());
    }
    lowestSeen = Math.min(lowestSeen, h.number() - 1);
    BlockHead prev = lastSeen;
    if (prev == null || h.number() >= prev.number() || !h.hash().equals(prev.hash())) {
      lastSeen = h;
      lastSeenNanos = now;
    }
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
      if (stream == null
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
        subscription,
        subscriptionDetail,
        source.requestCount(),
        requestsPerMinute,
        plan.name(),
        plan.unit(),
        costByMethod,
        costPerDay,
        plan.budgetPerDay());
  }

  private volatile Map<String, Double> costByMethod = Map.of();
  private volatile double costPerDay;
  private double rateFromCost;
  private long costAtNanos = Long.MIN_VALUE;

  /** What it has cost so far, in its plan's unit, recomputed from the source's calls. */
  private double cost() {
    Map<String, Long> calls = source.callsByMethod();
    if (calls.isEmpty()) {
      calls = Map.of("request", source.requestCount());
    }
    Map<String, Double> byMethod = new TreeMap<>();
    double sum = 0;
    for (Map.Entry<String, Long> c : calls.entrySet()) {
      double units = c.getValue() * plan.weight(c.getKey());
      byMethod.put(c.getKey(), units);
      sum += units;
    }
    costByMethod = Collections.unmodifiableMap(byMethod);
    return sum;
  }

  /** Its projected cost per day in its plan's unit, over the same window as its request rate. */
  double costPerDay() {
    return costPerDay;
  }

  private long rateFromNanos = Long.MIN_VALUE;
  private long rateFromCount;
  private boolean rateFull;
  private volatile double requestsPerMinute;

  /**
   * Updates the request rate (monitor thread): over each full minute once one has passed, over the
   * time since start before that.
   */
  void countRequests(long now) {
    long count = source.requestCount();
    if (rateFromNanos == Long.MIN_VALUE) {
      rateFromNanos = now;
      rateFromCount = count;
      rateFromCost = cost();
      costAtNanos = now;
      return;
    }
    long elapsed = now - rateFromNanos;
    if (elapsed >= 60_000_000_000L) {
      double cost = cost();
      costAtNanos = now;
      requestsPerMinute = (count - rateFromCount) * 60e9 / elapsed;
      costPerDay = (cost - rateFromCost) * 86_400e9 / elapsed;
      rateFromNanos = now;
      rateFromCount = count;
      rateFromCost = cost;
      rateFull = true;
    } else if (!rateFull && elapsed >= 1_000_000_000L) {
      requestsPerMinute = (count - rateFromCount) * 60e9 / elapsed;
      if (now - costAtNanos >= 1_000_000_000L) {
        costPerDay = (cost() - rateFromCost) * 86_400e9 / elapsed;
        costAtNanos = now;
      }
    } else if (now - costAtNanos >= 10_000_000_000L) {
      // The counters by method stay fresh between two rates.
      cost();
      costAtNanos = now;
    }
  }

  /** Whether a pushed head asks for a poll at once (monitor thread). */
  private boolean pollNow;

  /** When the last poll was sent (monitor thread). */
  private long polledAtNanos = Long.MIN_VALUE;

  private long lastHeadPushNanos = Long.MIN_VALUE;

  /**
   * Whether its subscription is delivering heads: it pushed a head within {@code withinNanos}, so
   * polling it can slow to a keep-alive check (monitor thread).
   */
  private boolean delivering(long now, long withinNanos) {
    return stream != null
        && subscription == SubscriptionState.SUBSCRIBED
        && lastHeadPushNanos != Long.MIN_VALUE
        && now - lastHeadPushNanos < withinNanos;
  }

  private volatile SubscriptionState subscription = SubscriptionState.NONE;

  /** What went wrong with the subscription, or null. */
  private volatile @Nullable String subscriptionDetail;

  private volatile @Nullable HeadStream stream;
  private long lastPushNanos;
  private long headAtLastPush = -1;

  /**
   * A head pushed by the subscription (monitor thread): counts like a polled one once the endpoint
   * is verified and not syncing; reorg checks stay with the polls.
   */
  boolean acceptPushed(BlockHead pushed, long now, Instant at) {
    lastPushNanos = now;
    lastHeadPushNanos = now;
    headAtLastPush = pushed.number();
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
      pollNow = true;
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
    BlockHead h = head;
    HeadStream s = stream;
    if (s == null
        || subscription != SubscriptionState.SUBSCRIBED
        || h == null
        || now - lastPushNanos < silentAfter.toNanos()
        || h.number() <= headAtLastPush + 1) {
      return false;
    }
    subscription = SubscriptionState.FAILING;
    subscriptionDetail = "silent for " + silentAfter + "; resubscribing";
    subscribed(now);
    s.resubscribe();
    return true;
  }

  /** Whether it has a subscription (working or not). */
  boolean subscribes() {
    return stream != null;
  }

  /** A subscription is being opened (monitor thread). */
  void subscribing() {
    subscription = SubscriptionState.CONNECTING;
    subscriptionDetail = null;
  }

  /** The subscription opened, delivering what it receives to the monitor (monitor thread). */
  void subscription(HeadStream opened) {
    stream = opened;
  }

  /** The node confirmed the subscription (monitor thread). */
  void subscribedAt(long now) {
    subscription = SubscriptionState.SUBSCRIBED;
    subscriptionDetail = null;
    subscribed(now);
  }

  /** The subscription could not be opened, failed or sent something unusable (monitor thread). */
  void subscriptionFailed(String problem) {
    subscription = SubscriptionState.FAILING;
    subscriptionDetail = problem;
  }

  private void subscribed(long now) {
    lastPushNanos = now;
    BlockHead h = head;
    headAtLastPush = h == null ? -1 : h.number();
  }

  void close() {
    HeadStream s = stream;
    if (s != null) {
      s.close();
    }
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
