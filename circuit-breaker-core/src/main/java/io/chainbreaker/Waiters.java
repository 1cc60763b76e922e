package io.chainbreaker;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps the futures of {@link ChainBreaker#awaitAllowed}: each completes when its breaker allows,
 * or fails when its token leaves the catalog.
 */
final class Waiters {

  private final Map<DirectionBreaker, List<CompletableFuture<TokenStatus>>> waiters =
      new ConcurrentHashMap<>();

  /** A future that completes with {@code e}'s status once {@code direction} is allowed. */
  CompletableFuture<TokenStatus> await(TokenEntry e, Direction direction) {
    Objects.requireNonNull(direction, "direction");
    CompletableFuture<TokenStatus> future = new CompletableFuture<>();
    List<CompletableFuture<TokenStatus>> list =
        waiters.computeIfAbsent(e.breaker(direction), k -> new CopyOnWriteArrayList<>());
    list.add(future);
    // However it completes (allowed, or cancelled by the caller), it leaves the list.
    CompletableFuture<?> unused = future.whenComplete((s, f) -> list.removeIf(w -> w == future));
    // Checked after registering, so an ALLOWED transition in between cannot be missed.
    if (e.breaker(direction).allowed()) {
      future.complete(e.status());
    }
    return future;
  }

  /** Completes the futures waiting on the breaker of {@code t}, if it is of a listed token. */
  void release(Listing listing, TokenTransition t) {
    TokenEntry e = listing.find(t.symbol(), t.network());
    if (e == null) {
      return;
    }
    List<CompletableFuture<TokenStatus>> list = waiters.get(e.breaker(t.direction()));
    if (list == null || list.isEmpty()) {
      return;
    }
    TokenStatus status = e.status();
    for (CompletableFuture<TokenStatus> f : list) {
      f.complete(status);
    }
  }

  /** Fails the futures waiting on {@code b}, whose token {@code e} left the catalog. */
  void retire(TokenEntry e, DirectionBreaker b) {
    List<CompletableFuture<TokenStatus>> list = waiters.remove(b);
    if (list != null) {
      for (CompletableFuture<TokenStatus> f : list) {
        f.completeExceptionally(
            new UnknownTokenException(
                e.symbol(), " on " + e.network + ": removed from the catalog"));
      }
    }
  }
}
