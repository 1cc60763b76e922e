package io.chainbreaker;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a network's polls to its endpoints, one in flight per endpoint, asking what each poll needs
 * (the cheapest question first, a keep-alive while a subscription delivers), and hands each answer
 * to the monitor thread.
 */
final class EndpointPoller {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  private final MonitorContext context;
  private final Supplier<NetworkConfig> config;
  private final Predicate<Runnable> onMonitor;
  private final BiConsumer<EndpointTracker, EndpointTracker.Poll> onPoll;

  /**
   * @param onMonitor runs a task on the monitor thread; false if it never will (closed)
   * @param onPoll takes an answer, on the monitor thread
   */
  EndpointPoller(
      MonitorContext context,
      Supplier<NetworkConfig> config,
      Predicate<Runnable> onMonitor,
      BiConsumer<EndpointTracker, EndpointTracker.Poll> onPoll) {
    this.context = context;
    this.config = config;
    this.onMonitor = onMonitor;
    this.onPoll = onPoll;
  }

  /**
   * Sends one poll to an endpoint unless one is in flight: the chain id and syncing checks when
   * due, then the head. While its subscription delivers heads, it is only checked every {@link
   * #keepAliveNanos}, and then by the head's number alone.
   */
  void poll(EndpointTracker endpoint, long now) {
    NetworkConfig c = config.get();
    EndpointTracker.Plan plan =
        endpoint.startPoll(
            now, HeadSubscriptions.silentAfter(c).toNanos(), keepAliveNanos(c), numberFirst(c));
    if (plan == null) {
      return;
    }
    CompletableFuture<EndpointTracker.Poll> answer;
    try {
      answer = endpoint.fetch(plan, context.ticker(), context.clock());
    } catch (RuntimeException e) {
      endpoint.pollDropped();
      log.error("network {} endpoint {}: poll failed to start", c.name(), endpoint.url(), e);
      return;
    }
    CompletableFuture<?> unused =
        answer.whenComplete(
            (poll, failure) -> {
              boolean posted = poll != null && onMonitor.test(() -> onPoll.accept(endpoint, poll));
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
  private static boolean numberFirst(NetworkConfig c) {
    return c.mode() == NetworkMode.ON_DEMAND
        || c.blockInterval().compareTo(c.pollInterval().multipliedBy(3)) >= 0;
  }

  /**
   * The polling period of an endpoint whose subscription delivers heads: a quarter of {@code
   * haltAfter}, at least the poll interval and at most 15 s. A silent subscription is still caught
   * by these polls long before {@code haltAfter}.
   */
  private static long keepAliveNanos(NetworkConfig c) {
    long quarter = c.haltAfter().toNanos() / 4;
    return Math.max(c.pollInterval().toNanos(), Math.min(quarter, 15_000_000_000L));
  }
}
