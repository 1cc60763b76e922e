package io.chainbreaker;

import io.chainbreaker.chain.RpcUrl;
import io.chainbreaker.store.InMemoryStateStore;
import io.chainbreaker.store.StateStore;
import io.chainbreaker.test.ChainBreakerRig;
import io.chainbreaker.test.ScriptedHeadSource;
import io.chainbreaker.test.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;

/**
 * The rule tests' preset of the kit's {@link ChainBreakerRig}: network {@code klaytn} (chain 8217,
 * 1 s blocks, haltAfter 10 s, poll 1 s) carrying COSM, DTA and PXL, its endpoints at block
 * 24,002,300. Fields keep the tests short.
 */
final class Rig implements AutoCloseable {
  static final long CHAIN = 8217;

  static final java.time.Instant START = java.time.Instant.parse("2020-03-29T14:00:00Z");

  final ChainBreakerRig rig;
  final VirtualTime time;
  final ScheduledExecutorService monitorScheduler;
  final List<TokenTransition> transitions;
  final List<NetworkHealthChange> healthChanges;
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

  Rig(
      int endpointCount,
      UnaryOperator<NetworkConfig.Builder> network,
      StateStore store,
      UnaryOperator<TokenConfig> pxl) {
    NetworkConfig.Builder nb =
        NetworkConfig.builder("klaytn")
            .chainId(CHAIN)
            .blockInterval(Duration.ofSeconds(1))
            .haltAfter(Duration.ofSeconds(10))
            .pollInterval(Duration.ofSeconds(1))
            .depositRecovery(RecoveryRule.of(3, Duration.ofSeconds(5)))
            .withdrawalRecovery(RecoveryRule.of(6, Duration.ofSeconds(10)));
    for (int i = 0; i < endpointCount; i++) {
      nb.rpcUrls("https://node" + i + ".example/v3/secretkey0123456789abcdef");
    }
    rig =
        ChainBreakerRig.builder()
            .network(network.apply(nb).build())
            .token("COSM", "klaytn")
            .token("DTA", "klaytn")
            .token(
                pxl.apply(
                    TokenConfig.of("PXL", "klaytn")
                        .withContract("0x7a1cdca99fe5995ab8e317ede8495c07cbf488ad")))
            .stateStore(store)
            .startingAt(START)
            .firstBlock(24_002_300)
            .build();
    time = rig.time();
    monitorScheduler = rig.monitorScheduler();
    transitions = rig.transitions().transitions();
    healthChanges = rig.transitions().healthChanges();
    this.store = store;
    breaker = rig.breaker();
  }

  ScriptedHeadSource endpoint(int i) {
    return rig.endpoint(i);
  }

  /** Starts the engine and runs the first poll. */
  Rig started() {
    rig.start();
    return this;
  }

  /**
   * Every endpoint mines one block per second for {@code seconds} seconds: a second passes, then
   * the block comes, so the engine sees it at its next poll (the kit's rig mines first).
   */
  void produce(int seconds) {
    for (int i = 0; i < seconds; i++) {
      time.advance(Duration.ofSeconds(1));
      rig.endpoints().forEach(e -> e.mine(1));
    }
  }

  /** Lets virtual time pass with no new blocks. */
  void idle(Duration d) {
    rig.halt(d);
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
    rig.close();
  }
}
