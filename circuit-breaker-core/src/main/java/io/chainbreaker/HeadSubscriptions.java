package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadStream;
import io.chainbreaker.chain.RpcUrl;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes a network's endpoints to pushed heads and resubscribes one that falls silent while
 * polls show the head moving; what a stream reports is taken on the monitor thread.
 */
final class HeadSubscriptions {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  /** Asks an endpoint for a poll now (a pushed head on another branch wants one). */
  @FunctionalInterface
  interface Poller {
    void poll(EndpointTracker endpoint, long now);
  }

  private final MonitorContext context;
  private final Supplier<NetworkConfig> config;
  private final Supplier<List<EndpointTracker>> endpoints;
  private final Predicate<Runnable> onMonitor;
  private final Runnable evaluate;
  private final Poller poller;

  /**
   * @param onMonitor runs a task on the monitor thread; false if it never will (closed)
   * @param evaluate re-evaluates the network after a pushed head moved it
   * @param poller polls an endpoint at once
   */
  HeadSubscriptions(
      MonitorContext context,
      Supplier<NetworkConfig> config,
      Supplier<List<EndpointTracker>> endpoints,
      Predicate<Runnable> onMonitor,
      Runnable evaluate,
      Poller poller) {
    this.context = context;
    this.config = config;
    this.endpoints = endpoints;
    this.onMonitor = onMonitor;
    this.evaluate = evaluate;
    this.poller = poller;
  }

  /**
   * How long a subscription may push nothing before it no longer counts as delivering, and, while
   * polls show the head moving, before it is resubscribed: 3 block or poll intervals.
   */
  static Duration silentAfter(NetworkConfig c) {
    Duration blocks = c.blockInterval().multipliedBy(3);
    Duration polls = c.pollInterval().multipliedBy(3);
    return blocks.compareTo(polls) >= 0 ? blocks : polls;
  }

  /** Subscribes every endpoint that has a WebSocket URL and no subscription yet. */
  void subscribeAll() {
    NetworkConfig c = config.get();
    for (EndpointTracker e : endpoints.get()) {
      RpcUrl ws = c.wsUrl(e.url());
      if (ws != null && !e.subscribes()) {
        subscribe(e, ws);
      }
    }
  }

  /** A subscription that says nothing while polls show the head moving is resubscribed. */
  void checkSilent(long now) {
    Duration silentAfter = silentAfter(config.get());
    for (EndpointTracker e : endpoints.get()) {
      if (e.resubscribeIfSilent(now, silentAfter)) {
        log.warn(
            "network {} endpoint {}: the newHeads subscription sent nothing for {} while the"
                + " head moved on; resubscribing",
            config.get().name(),
            e.url(),
            silentAfter);
      }
    }
  }

  /** Runs {@code task} on the monitor thread; a closed engine drops it. */
  private void post(Runnable task) {
    boolean unused = onMonitor.test(task);
  }

  /** Subscribes to an endpoint's new heads; what the stream reports is handled on the monitor. */
  private void subscribe(EndpointTracker endpoint, RpcUrl ws) {
    String network = config.get().name();
    HeadStream.Listener listener =
        new HeadStream.Listener() {
          @Override
          public void onHead(BlockHead head) {
            post(
                () -> {
                  long now = context.ticker().read();
                  if (endpoint.acceptPushed(head, now, context.clock().instant())) {
                    evaluate.run();
                  }
                  if (endpoint.pollWanted()) {
                    poller.poll(endpoint, now);
                  }
                });
          }

          @Override
          public void onSubscribed() {
            post(
                () -> {
                  endpoint.subscribedAt(context.ticker().read());
                  log.info(
                      "network {} endpoint {}: subscribed to newHeads on {}",
                      config.get().name(),
                      endpoint.url(),
                      ws);
                });
          }

          @Override
          public void onProblem(String problem) {
            post(
                () -> {
                  endpoint.subscriptionFailed(problem);
                  log.warn(
                      "network {} endpoint {}: newHeads subscription on {}: {}",
                      config.get().name(),
                      endpoint.url(),
                      ws,
                      problem);
                });
          }
        };
    endpoint.subscribing();
    try {
      endpoint.subscription(
          context.headSources().subscribe(config.get().sourceSettings(), ws, listener));
    } catch (RuntimeException e) {
      endpoint.subscriptionFailed("cannot subscribe: " + e.getMessage());
      log.warn(
          "network {} endpoint {}: cannot subscribe on {}: {}; polling only",
          network,
          endpoint.url(),
          ws,
          e.getMessage());
    }
  }
}
