package io.chainbreaker;

import io.chainbreaker.chain.RpcUrl;
import io.chainbreaker.store.InMemoryStateStore;
import io.chainbreaker.store.StateStore;
import io.chainbreaker.test.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;

/**
 * An engine on virtual time over scripted endpoints: network {@code klaytn} (chain 8217, 1 s blocks,
 * haltAfter 10 s, poll 1 s) carrying COSM, DTA and PXL.
 */
final class Rig implements AutoCloseable {
  static final long CHAIN = 8217;

  static final java.time.Instant START = java.time.Instant.parse("2020-03-29T14:00:00Z");

  final VirtualTime time = VirtualTime.startingAt(START);
  final ScheduledExecutorService monitorScheduler = time.newScheduler();
  final ScheduledExecutorService watchdogScheduler = time.newScheduler();
  final Map<String, ScriptedSource> sources = new HashMap<>();
  final List<ScriptedSource> endpoints = new ArrayList<>();
  final List<TokenTransition> transitions = new CopyOnWriteArrayList<>();
  final List<NetworkHealthChange> healthChanges = new CopyOnWriteArrayList<>();
  final StateStore store;
  final ChainBreaker breaker;

  Rig() {
    this(1, b -> b, new InMemoryStateStore());
  }

  Rig(int endpointCount, UnaryOperator<NetworkConfig.Builder> network) {
    this(endpointCount, network, new InMemoryStateStore());
  }

  Rig(int endpointCount, UnaryOperator<NetworkConfig.Builder> network, StateStore store) {
    this(endpointCount, network, store, t -> t);
  }

  Rig(int endpointCount, UnaryOperator<NetworkConfig.Builder> network, StateStore store,
      UnaryOperator<TokenConfig> pxl) {
    this.store = store;
    NetworkConfig.Builder nb = NetworkConfig.builder("klaytn").chainId(CHAIN)
        .blockInterval(Duration.ofSeconds(1))
        .haltAfter(Duration.ofSeconds(10))
        .pollInterval(Duration.ofSeconds(1))
        .depositRecovery(RecoveryRule.of(3, Duration.ofSeconds(5)))
        .withdrawalRecovery(RecoveryRule.of(6, Duration.ofSeconds(10)));
    for (int i = 0; i < endpointCount; i++) {
      String url = "https://node" + i + ".example/v3/secretkey0123456789abcdef";
      ScriptedSource s = new ScriptedSource(CHAIN, 24_002_300, () -> time.now().getEpochSecond());
      sources.put(url, s);
      endpoints.add(s);
      nb.rpcUrls(url);
    }
    breaker = ChainBreaker.builder()
        .network(network.apply(nb).build())
        .token("COSM", "klaytn")
        .token("DTA", "klaytn")
        .token(pxl.apply(TokenConfig.of("PXL", "klaytn")
            .withContract("0x7a1cdca99fe5995ab8e317ede8495c07cbf488ad")))
        .stateStore(store)
        .clock(time.clock())
        .ticker(time::nanoTime)
        .scheduler(monitorScheduler)
        .watchdogScheduler(watchdogScheduler)
        .ioExecutor(Runnable::run)
        .headSources((net, url) -> sources.get(url.uri().toString()))
        .build();
    breaker.events().onTokenTransition(transitions::add).onNetworkHealthChange(healthChanges::add);
  }

  ScriptedSource endpoint(int i) {
    return endpoints.get(i);
  }

  /** Starts the engine and runs the first poll. */
  Rig started() {
    breaker.start();
    time.runDue();
    return this;
  }

  /** Every endpoint mines one block per second for {@code seconds} seconds. */
  void produce(int seconds) {
    for (int i = 0; i < seconds; i++) {
      time.advance(Duration.ofSeconds(1));
      endpoints.forEach(e -> e.mine(1));
    }
  }

  /** Lets virtual time pass with no new blocks. */
  void idle(Duration d) {
    time.advance(d);
  }

  DirectionStatus status(String token, Direction d) {
    return breaker.snapshot().token(token).orElseThrow().status(d);
  }

  NetworkStatus network() {
    return breaker.snapshot().network("klaytn").orElseThrow();
  }

  static RpcUrl url(String s) {
    return RpcUrl.parse(s);
  }

  @Override
  public void close() {
    breaker.close();
  }
}
