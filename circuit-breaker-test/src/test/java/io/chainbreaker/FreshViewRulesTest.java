package io.chainbreaker;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.HeadStream;
import io.chainbreaker.chain.RpcUrl;
import io.chainbreaker.chain.SourceSettings;
import io.chainbreaker.store.InMemoryStateStore;
import io.chainbreaker.test.ScriptedHeadSource;
import io.chainbreaker.test.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/**
 * What keeps the engine's view of a chain fresh, honest and cheap, on virtual time: a wrong host
 * clock, checks an endpoint does not support, an endpoint that starts serving another chain, the
 * gap of a halt, and what polling costs with and without a subscription.
 */
class FreshViewRulesTest {

  @Test
  void aHostClockAMinuteAheadIsReportedAndNeverKeepsTokensSuspendedWhileHeadsAdvance() {
    try (Rig rig = new Rig()) {
      ScriptedHeadSource node = rig.endpoint(0);
      node.clockLag(Duration.ofSeconds(60));
      node.mine(0);
      rig.started();
      // At start the block time is the only evidence, and it says a minute old: fail closed.
      assertThat(rig.status("PXL", WITHDRAWAL).state()).isEqualTo(SUSPENDED);

      rig.produce(30);

      assertThat(rig.status("PXL", DEPOSIT).state()).isEqualTo(ALLOWED);
      assertThat(rig.status("PXL", WITHDRAWAL).state()).isEqualTo(ALLOWED);
      NetworkStatus network = rig.network();
      assertThat(network.health()).isEqualTo(NetworkHealth.HEALTHY);
      assertThat(network.clockOffset()).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(61));

      int before = rig.transitions.size();
      rig.produce(120);
      assertThat(rig.transitions.subList(before, rig.transitions.size())).isEmpty();
    }
  }

  @Test
  void aRealHaltIsStillCaughtByTheDeadlineWhenTheHostClockIsOff() {
    try (Rig rig = new Rig()) {
      rig.endpoint(0).clockLag(Duration.ofSeconds(60));
      rig.endpoint(0).mine(0);
      rig.started();
      rig.produce(30);
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();

      // The last block is seen at the poll a second after it came; haltAfter counts from there.
      rig.idle(Duration.ofSeconds(11));

      DirectionStatus s = rig.status("PXL", WITHDRAWAL);
      assertThat(s.state()).isEqualTo(SUSPENDED);
      assertThat(s.reason()).isEqualTo(Reason.HALTED);
      assertThat(s.detail()).contains("no new head for PT10S");
    }
  }

  @Test
  void anEndpointThatRefusesEthSyncingStillCountsByItsHead() {
    try (Rig rig = new Rig()) {
      rig.endpoint(0).refusesSyncing(true);
      rig.started();
      rig.produce(5);
      rig.idle(Duration.ofSeconds(1)); // the last block is polled a second after it came

      assertThat(rig.breaker.allowsDeposit("PXL")).isTrue();
      EndpointStatus e = rig.network().endpoints().get(0);
      assertThat(e.state()).isEqualTo(EndpointState.OK);
      assertThat(e.head()).isEqualTo(24_002_305L);
      assertThat(rig.network().health()).isEqualTo(NetworkHealth.HEALTHY);
    }
  }

  @Test
  void anEndpointThatStartsServingAnotherChainIsExcludedBeforeItsLeapCounts() {
    try (Rig rig = new Rig()) {
      rig.started();
      rig.produce(5);
      rig.idle(Duration.ofSeconds(1));
      ScriptedHeadSource node = rig.endpoint(0);
      // Another chain, a million blocks ahead (the chain id is otherwise checked every 5 minutes).
      node.chainId(1);
      node.number(node.number() + 1_000_000);

      rig.produce(1);

      NetworkStatus network = rig.network();
      assertThat(network.endpoints().get(0).state()).isEqualTo(EndpointState.WRONG_CHAIN);
      assertThat(network.head().number()).isEqualTo(24_002_305L);
      assertThat(network.reorgs()).isZero();
      assertThat(rig.healthChanges).noneMatch(c -> c.reason() == Reason.DEEP_REORG);

      rig.idle(Duration.ofSeconds(10));
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isFalse();
    }
  }

  @Test
  void theGapOfAHaltIsNeverCountedAsSlowBlocks() {
    try (Rig rig = new Rig()) {
      rig.started();
      rig.produce(20);
      rig.idle(Duration.ofSeconds(15));
      assertThat(rig.network().health()).isEqualTo(NetworkHealth.HALTED);

      rig.produce(30);

      assertThat(rig.network().health()).isEqualTo(NetworkHealth.HEALTHY);
      assertThat(rig.healthChanges).noneMatch(c -> c.reason() == Reason.SLOW_BLOCKS);
    }
  }

  @Test
  void requestsAreCountedPerEndpointMinute() {
    try (Rig rig = new Rig()) {
      rig.started();
      rig.produce(125);

      EndpointStatus e = rig.network().endpoints().get(0);
      // One head request a second; the chain id and syncing checks are a few more a minute.
      assertThat(e.requestsPerMinute()).isBetween(60.0, 64.0);
      assertThat(e.requests()).isGreaterThan(125);
      assertThat(rig.network().requestsPerMinute()).isEqualTo(e.requestsPerMinute());
    }
  }

  @Test
  void aNetworkWhoseBlocksComeFarSlowerThanItPollsAsksTheNumberFirst() {
    try (Rig rig =
        new Rig(
            1,
            b ->
                b.blockInterval(Duration.ofSeconds(6))
                    .haltAfter(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)))) {
      rig.started();
      ScriptedHeadSource node = rig.endpoint(0);
      for (int i = 0; i < 10; i++) {
        rig.time.advance(Duration.ofSeconds(6));
        node.mine(1);
      }
      rig.idle(Duration.ofSeconds(1));
      // 60 polls: each asks the number; only the 10 that find a new one fetch the header too.
      assertThat(node.headRequests()).isBetween(69, 73);
      assertThat(rig.network().head().number()).isEqualTo(24_002_310L);
    }
  }

  @Test
  void whileASubscriptionDeliversHeadsPollingSlowsToAKeepAliveCheck() {
    VirtualTime time = VirtualTime.startingAt(Rig.START);
    ScheduledExecutorService scheduler = time.newScheduler();
    ScriptedHeadSource node = new ScriptedHeadSource(Rig.CHAIN, 24_002_300, time.clock());
    List<HeadStream.Listener> listeners = new ArrayList<>();
    HeadSource.Factory factory =
        new HeadSource.Factory() {
          @Override
          public HeadSource open(SourceSettings settings, RpcUrl url) {
            return node;
          }

          @Override
          public HeadStream subscribe(SourceSettings settings, RpcUrl url, HeadStream.Listener l) {
            listeners.add(l);
            return new HeadStream() {
              @Override
              public void resubscribe() {}

              @Override
              public void close() {}
            };
          }
        };
    try (ChainBreaker breaker =
        ChainBreaker.builder()
            .network(
                NetworkConfig.builder("klaytn")
                    .chainId(Rig.CHAIN)
                    .endpoint(
                        "https://node.example/v3/key0123456789abcdef",
                        "wss://node.example/ws/v3/key0123456789abcdef")
                    .blockInterval(Duration.ofSeconds(1))
                    .haltAfter(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .build())
            .token("PXL", "klaytn")
            .stateStore(new InMemoryStateStore())
            .clock(time.clock())
            .ticker(time::nanoTime)
            .scheduler(scheduler)
            .watchdogScheduler(time.newScheduler())
            .ioExecutor(Runnable::run)
            .headSources(factory)
            .build()) {
      breaker.start();
      time.runDue();
      listeners.get(0).onSubscribed();
      time.runDue();
      int before = node.headRequests();
      for (int i = 0; i < 60; i++) {
        time.advance(Duration.ofSeconds(1));
        node.mine(1);
        listeners
            .get(0)
            .onHead(
                new BlockHead(
                    node.number(),
                    "0x" + Long.toHexString(node.number()),
                    "0x" + Long.toHexString(node.number() - 1),
                    node.timestamp()));
        time.runDue();
      }
      // haltAfter 30 s: a keep-alive every 7.5 s instead of a poll every second.
      assertThat(node.headRequests() - before).isBetween(7, 9);
      assertThat(breaker.allowsWithdrawal("PXL")).isTrue();
      NetworkStatus s = breaker.network("klaytn");
      assertThat(s.head().number()).isEqualTo(24_002_360L);
      assertThat(s.endpoints().get(0).subscription()).isEqualTo(SubscriptionState.SUBSCRIBED);
    }
  }
}
