package io.chainbreaker;

import io.chainbreaker.EndpointTracker.Plan;
import io.chainbreaker.EndpointTracker.Poll;
import io.chainbreaker.EndpointTracker.Reorg;
import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.RpcException;
import io.chainbreaker.chain.RpcUrl;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Asks one endpoint what one poll needs (chain id, syncing, head, finalized block, the blocks a
 * reorg walk needs), one request after another and without blocking, and turns the answers into a
 * {@link Poll}. Its stages run on the HTTP client's threads; one poll at a time per endpoint.
 */
final class PollPipeline {

  /** A block stamped further ahead of this host's clock than this is refused. */
  private static final long FUTURE_LIMIT_SECONDS = 86_400;

  private final RpcUrl url;
  private final EndpointTracker.Settings settings;
  private final HeadSource source;
  private final ChainFollower follower;

  PollPipeline(EndpointTracker.Settings settings, RpcUrl url, HeadSource source) {
    this.settings = settings;
    this.url = url;
    this.source = source;
    this.follower = new ChainFollower(source, settings);
  }

  /** See {@link ChainFollower#canCheckEvery}. */
  boolean canRetuneReorgChecks(Duration checkEvery) {
    return follower.canCheckEvery(checkEvery);
  }

  /** See {@link ChainFollower#checkEvery}. */
  void retuneReorgChecks(Duration checkEvery) {
    follower.checkEvery(checkEvery);
  }

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
    follower.forget();
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
          if (chainId == null && follower.jumped(latest, now)) {
            // The view jumped (another branch, or far from where the endpoint was): before
            // following it, make sure the endpoint still serves our chain.
            return onOurChain(
                id -> follower.follow(latest, now).thenApply(reorg -> answer.apply(id, reorg)),
                ticker,
                clock);
          }
          // A reorg seen by following is a jump too: the chain id is checked before it counts.
          return follower
              .follow(latest, now)
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

  /** Whether the failure is one of transport (no answer), not of the answer. */
  static boolean transport(Throwable failure) {
    Throwable e = unwrap(failure);
    return !(e instanceof RpcException r) || r.transport();
  }

  static String message(Throwable failure) {
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
}
