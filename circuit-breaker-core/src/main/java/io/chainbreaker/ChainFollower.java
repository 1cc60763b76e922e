package io.chainbreaker;

import io.chainbreaker.EndpointTracker.Reorg;
import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.RpcException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * Follows one endpoint's chain from each head it reports to the next and tells when the blocks we
 * saw were replaced (a reorganisation), walking parent hashes back to the block both branches
 * share. Runs in the endpoint's request pipeline, which never runs twice at once for one endpoint.
 *
 * <p>A head that is the next block, the same height or a lower one is linked by its hashes alone,
 * at every poll. A head several blocks above the last one is linked at the reorg check's own
 * cadence ({@code reorgCheckInterval}), by one block-by-number call at the height of the block
 * linked at the previous check: a replaced block stays replaced, so that check sees any
 * reorganisation that reached down to it, however many polls ago it happened.
 */
final class ChainFollower {

  /** Bounds the recent headers of a fast chain with a long reorg check interval. */
  private static final int MAX_WINDOW = 4096;

  private final HeadSource source;
  private final EndpointTracker.Settings settings;

  /** How many recent heights it remembers, the deepest a walk can compare against. */
  private final int window;

  private final RecentHeaders recent;
  private volatile @Nullable BlockHead lastSeen;
  private volatile long lowestSeen = Long.MAX_VALUE;
  private volatile long lastSeenNanos;

  /** The newest head known to be on the chain as we followed it: the next check compares it. */
  private volatile @Nullable BlockHead linked;

  private volatile long nextCheckNanos;
  private volatile long checkEveryNanos;

  ChainFollower(HeadSource source, EndpointTracker.Settings settings) {
    this.source = source;
    this.settings = settings;
    this.checkEveryNanos = settings.reorgCheckInterval().toNanos();
    this.window = windowFor(settings, settings.reorgCheckInterval());
    this.recent = new RecentHeaders(window);
  }

  /**
   * How many recent heights a follower checking every {@code checkEvery} must remember: a check
   * compares a block up to one check interval (and a poll) below the head, and a walk goes back at
   * least twice the deepest reorg the network tolerates.
   */
  private static int windowFor(EndpointTracker.Settings settings, Duration checkEvery) {
    long perCheck = 2 * checkEvery.toNanos() / Math.max(1, settings.blockInterval().toNanos());
    return (int)
        Math.min(
            MAX_WINDOW, Math.max(Math.max(64, 2L * settings.maxReorgDepth() + 16), perCheck + 16));
  }

  /** Whether what it remembers is deep enough to check every {@code checkEvery}. */
  boolean canCheckEvery(Duration checkEvery) {
    return windowFor(settings, checkEvery) <= window;
  }

  /** Checks every {@code checkEvery} from now on; only where {@link #canCheckEvery} allows it. */
  void checkEvery(Duration checkEvery) {
    long was = checkEveryNanos;
    checkEveryNanos = checkEvery.toNanos();
    // A check due on a slower cadence comes forward by the difference; a faster one's stays.
    nextCheckNanos -= Math.max(0, was - checkEveryNanos);
  }

  /** Forgets what it followed: the endpoint served another chain, which is no reorg of ours. */
  void forget() {
    lastSeen = null;
    linked = null;
    lowestSeen = Long.MAX_VALUE;
    recent.clear();
  }

  /**
   * Whether {@code h} is neither the head we saw, nor its child, nor a plausible run of blocks
   * above it: a branch change below it, or a leap further than the chain could have gone.
   */
  boolean jumped(BlockHead h, long now) {
    BlockHead prev = lastSeen;
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

  /**
   * Follows the endpoint's chain from the last head we saw to {@code h}; yields the reorg if the
   * blocks we had seen were replaced. A head that extends the last one costs nothing; a gap costs
   * one block-by-number call when the reorg check is due, nothing otherwise; only a real change of
   * branch walks parent hashes back to the common ancestor, at most the cache's window deep.
   */
  CompletableFuture<@Nullable Reorg> follow(BlockHead h, long now) {
    BlockHead prev = lastSeen;
    if (!source.linksBlocks()) {
      // Heads without linked hashes: no branch to follow, no reorg to see.
      lastSeen = h;
      lastSeenNanos = now;
      return CompletableFuture.completedFuture(null);
    }
    BlockHead anchor = linked;
    if (prev == null || anchor == null) {
      remember(h, now);
      linked(h, now);
      return CompletableFuture.completedFuture(null);
    }
    if (h.number() == prev.number() && h.hash().equals(prev.hash())) {
      remember(h, now);
      return CompletableFuture.completedFuture(null);
    }
    if (h.number() > prev.number()) {
      if (h.number() == prev.number() + 1 && h.parentHash().equals(prev.hash())) {
        remember(h, now);
        if (anchor.hash().equals(prev.hash())) {
          // Linked block by block since the last check: the next check can start from here.
          linked = h;
        }
        return CompletableFuture.completedFuture(null);
      }
      if (h.number() == prev.number() + 1) {
        // The next height on another parent: a change of branch, followed at once.
        return parent(h)
            .thenCompose(there -> walk(there, prev, h, now))
            .thenApply(r -> linked(r, h, now));
      }
      if (now - nextCheckNanos < 0) {
        // Several new blocks, linked at the next check; the block linked last stays the anchor.
        remember(h, now);
        return CompletableFuture.completedFuture(null);
      }
      return source
          .blockByNumber(anchor.number())
          .thenCompose(
              there -> {
                if (there != null && there.hash().equals(anchor.hash())) {
                  remember(h, now);
                  linked(h, now);
                  return CompletableFuture.<@Nullable Reorg>completedFuture(null);
                }
                if (there == null) {
                  throw new CompletionException(
                      new RpcException(
                          "the node has no block at #"
                              + anchor.number()
                              + " below its head #"
                              + h.number()));
                }
                return walk(there, prev, h, now).thenApply(r -> linked(r, h, now));
              });
    }
    String known = recent.get(h.number());
    if (known == null || known.equals(h.hash())) {
      // Behind what we saw, on the same chain (or beyond what we remember): not a reorg.
      return CompletableFuture.completedFuture(null);
    }
    return walk(h, prev, h, now).thenApply(r -> linked(r, h, now));
  }

  /** {@code h} is linked to what we followed: the next check compares from it. */
  private void linked(BlockHead h, long now) {
    linked = h;
    nextCheckNanos = now + checkEveryNanos;
  }

  private @Nullable Reorg linked(@Nullable Reorg r, BlockHead h, long now) {
    linked(h, now);
    return r;
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
}
