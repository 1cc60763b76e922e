package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.RpcUrl;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine knows of one endpoint. {@link #fetch} runs on the I/O pool; everything else on the
 * network's monitor thread. Logs each change of state once, naming network and masked endpoint.
 */
final class EndpointTracker {

  private static final Logger log = LoggerFactory.getLogger("io.chainbreaker.chain");

  /** The outcome of one poll of one endpoint. */
  record Poll(
      @Nullable Long chainId,
      @Nullable Boolean syncing,
      @Nullable BlockHead head,
      @Nullable String error,
      long seenAtNanos,
      Instant seenAt) {}

  final RpcUrl url;
  private final NetworkConfig network;
  private final HeadSource source;

  volatile boolean inFlight;
  private volatile EndpointState state = EndpointState.STARTING;
  private volatile @Nullable BlockHead head;
  private volatile @Nullable Instant lastAnswerAt;
  private volatile @Nullable String lastError;
  private boolean chainVerified;
  private boolean syncing;
  private long nextChainIdCheckNanos;
  private long nextSyncingCheckNanos;
  private long lastAnswerNanos;

  EndpointTracker(NetworkConfig network, RpcUrl url, HeadSource source) {
    this.network = network;
    this.url = url;
    this.source = source;
  }

  /** Whether this poll must check the chain id (monitor thread). */
  boolean chainIdDue(long now) {
    return !chainVerified || now - nextChainIdCheckNanos >= 0;
  }

  /** Whether this poll must check {@code eth_syncing} (monitor thread). */
  boolean syncingDue(long now) {
    return syncing || !chainVerified || now - nextSyncingCheckNanos >= 0;
  }

  /** Asks the endpoint; never throws (I/O thread). */
  Poll fetch(boolean checkChainId, boolean checkSyncing, Ticker ticker, java.time.Clock clock) {
    Long chainId = null;
    Boolean isSyncing = null;
    try {
      if (checkChainId) {
        chainId = source.chainId();
        if (chainId != network.chainId()) {
          return new Poll(chainId, null, null, null, ticker.read(), clock.instant());
        }
      }
      if (checkSyncing) {
        isSyncing = source.syncing();
      }
      BlockHead latest = source.latest();
      return new Poll(chainId, isSyncing, latest, null, ticker.read(), clock.instant());
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Poll(chainId, isSyncing, null, url.redact(message), ticker.read(), clock.instant());
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
      if (previous != null && latest.number() < previous.number()) {
        log.warn("network {} endpoint {}: head went backwards from #{} to #{}", network.name(),
            url, previous.number(), latest.number());
      }
      head = latest;
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

  long lastAnswerNanos() {
    return lastAnswerNanos;
  }

  EndpointState state() {
    return state;
  }

  EndpointStatus status() {
    BlockHead h = head;
    return new EndpointStatus(url.masked(), state, h == null ? null : h.number(), lastAnswerAt,
        lastError);
  }

  void close() {
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
