package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.HeadStream;
import io.chainbreaker.chain.RpcException;
import io.chainbreaker.chain.RpcUrl;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine knows of one endpoint. {@link #fetch} runs on the I/O pool (one at a time per
 * endpoint) and owns the recent headers; everything else runs on the network's monitor thread.
 * Logs each change of state once, naming network and masked endpoint.
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
      @Nullable Long chainId,
      @Nullable Boolean syncing,
      @Nullable BlockHead head,
      @Nullable BlockHead finalized,
      @Nullable String finalizedError,
      @Nullable Reorg reorg,
      @Nullable String error,
      long seenAtNanos,
      Instant seenAt) {}

  final RpcUrl url;
  private final NetworkConfig network;
  private final HeadSource source;
  private final int window;

  volatile boolean inFlight;
  private volatile EndpointState state = EndpointState.STARTING;
  private volatile @Nullable BlockHead head;
  private volatile @Nullable BlockHead finalized;
  private volatile boolean finalitySupported = true;
  private volatile @Nullable Instant lastAnswerAt;
  private volatile @Nullable Instant headAdvancedAt;
  private volatile @Nullable String lastError;
  private boolean chainVerified;
  private boolean syncing;
  private long nextChainIdCheckNanos;
  private long nextSyncingCheckNanos;
  private long lastAnswerNanos;
  private long lastPolled = -1;

  // Owned by fetch(), which never runs twice at once for one endpoint.
  private final RecentHeaders recent;
  private volatile @Nullable BlockHead lastSeen;
  private volatile long lowestSeen = Long.MAX_VALUE;

  EndpointTracker(NetworkConfig network, RpcUrl url, HeadSource source) {
    this.network = network;
    this.url = url;
    this.source = source;
    this.window = Math.max(64, 2 * network.maxReorgDepth() + 16);
    this.recent = new RecentHeaders(window);
  }

  /** Whether this poll must check the chain id (monitor thread). */
  boolean chainIdDue(long now) {
    return !chainVerified || now - nextChainIdCheckNanos >= 0;
  }

  /** Whether this poll must check {@code eth_syncing} (monitor thread). */
  boolean syncingDue(long now) {
    return syncing || !chainVerified || now - nextSyncingCheckNanos >= 0;
  }

  /** Whether this poll asks for the finalized block. */
  boolean finalityDue() {
    return network.finalityStallAfter() != null && finalitySupported;
  }

  /** Asks the endpoint; never throws (I/O thread). */
  Poll fetch(boolean checkChainId, boolean checkSyncing, boolean withFinalized, Ticker ticker,
      Clock clock) {
    Long chainId = null;
    Boolean isSyncing = null;
    try {
      if (checkChainId) {
        chainId = source.chainId();
        if (chainId != network.chainId()) {
          return new Poll(chainId, null, null, null, null, null, null, ticker.read(),
              clock.instant());
        }
      }
      if (checkSyncing) {
        isSyncing = source.syncing();
      }
      HeadSource.Heads heads = source.heads(withFinalized);
      Reorg reorg = Boolean.TRUE.equals(isSyncing) ? null : follow(heads.latest());
      return new Poll(chainId, isSyncing, heads.latest(), heads.finalized(),
          heads.finalizedError(), reorg, null, ticker.read(), clock.instant());
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Poll(chainId, isSyncing, null, null, null, null, url.redact(message),
          ticker.read(), clock.instant());
    }
  }

  /**
   * Follows the endpoint's chain from the last head we saw to {@code h}; returns the reorg if the
   * blocks we had seen were replaced. A head that extends the last one costs nothing; a gap costs
   * one block-by-number call; only a real change of branch walks parent hashes back to the common
   * ancestor, at most the cache's window deep.
   */
  private @Nullable Reorg follow(BlockHead h) throws IOException {
    BlockHead prev = lastSeen;
    if (prev == null || (h.number() == prev.number() && h.hash().equals(prev.hash()))) {
      remember(h);
      return null;
    }
    BlockHead start;
    if (h.number() > prev.number()) {
      if (h.number() == prev.number() + 1 && h.parentHash().equals(prev.hash())) {
        remember(h);
        return null;
      }
      BlockHead there = h.number() == prev.number() + 1 ? parent(h)
          : source.blockByNumber(prev.number());
      if (there != null && there.hash().equals(prev.hash())) {
        remember(there);
        remember(h);
        return null;
      }
      if (there == null) {
        throw new RpcException("the node has no block at #" + prev.number() + " below its head #"
            + h.number());
      }
      start = there;
    } else {
      String known = h.number() == prev.number() ? prev.hash() : recent.get(h.number());
      if (known == null || known.equals(h.hash())) {
        // Behind what we saw, on the same chain (or beyond what we remember): not a reorg.
        return null;
      }
      start = h;
    }
    // The blocks we saw were replaced: walk the new branch down to the block both share, but not
    // below what we have seen or remember: there we only know the reorg is at least that deep.
    long floor = Math.max(lowestSeen, prev.number() - window);
    BlockHead cur = start;
    while (true) {
      String known = recent.get(cur.number());
      if (known != null && known.equals(cur.hash())) {
        break;
      }
      if (cur.number() <= floor || cur.number() == 0) {
        remember(h);
        return new Reorg(prev.number() - floor + 1, -1, prev, h);
      }
      recent.put(cur.number(), cur.hash());
      cur = parent(cur);
    }
    remember(h);
    return new Reorg(prev.number() - cur.number(), cur.number(), prev, h);
  }

  private BlockHead parent(BlockHead child) throws IOException {
    BlockHead parent = source.blockByHash(child.parentHash());
    if (parent == null || parent.number() != child.number() - 1) {
      throw new RpcException("parent hash " + child.parentHash() + " of block #" + child.number()
          + " does not link to any block the node knows");
    }
    return parent;
  }

  private void remember(BlockHead h) {
    recent.put(h.number(), h.hash());
    if (h.number() > 0 && recent.get(h.number() - 1) == null) {
      // The parent hash tells us the block below too, one more height to compare after a reorg.
      recent.put(h.number() - 1, h.parentHash());
    }
    lowestSeen = Math.min(lowestSeen, h.number() - 1);
    BlockHead prev = lastSeen;
    if (prev == null || h.number() >= prev.number() || !h.hash().equals(prev.hash())) {
      lastSeen = h;
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
    Long chainId = poll.chainId();
    if (chainId != null) {
      if (chainId != network.chainId()) {
        chainVerified = false;
        changeState(
            EndpointState.WRONG_CHAIN,
            "serves chain id " + chainId + " but network " + network.name() + " is chain id "
                + network.chainId() + "; excluded");
        return;
      }
      chainVerified = true;
      nextChainIdCheckNanos = poll.seenAtNanos() + network.chainIdCheckInterval().toNanos();
    }
    Boolean isSyncing = poll.syncing();
    if (isSyncing != null) {
      syncing = isSyncing;
      nextSyncingCheckNanos = poll.seenAtNanos() + network.syncingCheckInterval().toNanos();
    }
    BlockHead latest = poll.head();
    if (latest != null) {
      BlockHead previous = head;
      long polledBefore = lastPolled;
      lastPolled = latest.number();
      if (latest.number() < polledBefore && poll.reorg() == null) {
        log.warn("network {} endpoint {}: head went backwards from #{} to #{}", network.name(),
            url, polledBefore, latest.number());
      }
      // With a subscription, a poll answered just before a push may be older than the pushed
      // head: that is not the node going back, so keep the newer one.
      if (stream == null || previous == null || latest.number() >= previous.number()
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
      log.warn("network {} endpoint {}: finality is not watched on this endpoint: {}",
          network.name(), url, poll.finalizedError());
      return;
    }
    BlockHead f = poll.finalized();
    if (f == null) {
      return;
    }
    if (f.number() > latest.number()) {
      log.warn("network {} endpoint {}: finalized block #{} is above the head #{}; ignored",
          network.name(), url, f.number(), latest.number());
      return;
    }
    finalized = f;
  }

  /** Whether its head may count towards the network head. */
  boolean eligible() {
    return (state == EndpointState.OK || state == EndpointState.LAGGING) && chainVerified
        && head != null;
  }

  /** Marks it LAGGING or OK against the network head (monitor thread). */
  void compareWith(long networkHead) {
    BlockHead h = head;
    if (h == null || !eligible()) {
      return;
    }
    if (networkHead - h.number() > network.maxLagBlocks()) {
      changeState(EndpointState.LAGGING,
          "head #" + h.number() + " trails the network head #" + networkHead + " by more than "
              + network.maxLagBlocks() + " blocks; excluded from the quorum's lead");
    } else {
      changeState(EndpointState.OK, "caught up at #" + h.number());
    }
  }

  @Nullable BlockHead head() {
    return head;
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
    return new EndpointStatus(url.masked(), state, h == null ? null : h.number(), headAdvancedAt,
        lastAnswerAt, lastError, push);
  }

  /** The subscription's state for the status, or null when there is none. */
  volatile @Nullable String push;
  volatile @Nullable HeadStream stream;
  private long lastPushNanos;
  private long headAtLastPush = -1;

  /**
   * A head pushed by the subscription (monitor thread): counts like a polled one once the endpoint
   * is verified and not syncing; reorg checks stay with the polls.
   */
  boolean acceptPushed(BlockHead pushed, long now, Instant at) {
    lastPushNanos = now;
    headAtLastPush = pushed.number();
    if (!chainVerified || syncing || !(state == EndpointState.OK
        || state == EndpointState.LAGGING)) {
      return false;
    }
    BlockHead h = head;
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
   * Whether the subscription went silent (monitor thread): subscribed, yet nothing pushed for
   * {@code silentAfter} while polls show this endpoint's head moved on.
   */
  boolean silent(long now, java.time.Duration silentAfter) {
    BlockHead h = head;
    return stream != null && "subscribed".equals(push) && h != null
        && now - lastPushNanos >= silentAfter.toNanos() && h.number() > headAtLastPush + 1;
  }

  void subscribed(long now) {
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
      log.debug("network {} endpoint {}: close failed", network.name(), url, e);
    }
  }

  private void changeState(EndpointState next, String why) {
    EndpointState previous = state;
    if (previous == next) {
      return;
    }
    state = next;
    if (next == EndpointState.WRONG_CHAIN) {
      log.error("network {} endpoint {}: {} -> {}: {}", network.name(), url, previous, next, why);
    } else if (next == EndpointState.OK) {
      log.info("network {} endpoint {}: {} -> {}: {}", network.name(), url, previous, next, why);
    } else {
      log.warn("network {} endpoint {}: {} -> {}: {}", network.name(), url, previous, next, why);
    }
  }
}
