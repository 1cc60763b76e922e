package io.chainbreaker;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.store.FleetStore;
import io.chainbreaker.store.InMemoryFleetStore;
import io.chainbreaker.store.InMemoryStateStore;
import io.chainbreaker.store.OutboxMessage;
import io.chainbreaker.test.ScriptedHeadSource;
import io.chainbreaker.test.TransitionQueue;
import io.chainbreaker.test.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Several engines as one fleet on one store, on virtual time: one leads and watches, the others
 * watch no provider and answer as the leader does; takeover, fencing and staleness fail closed.
 */
class FleetTest {

  /** Three (or more) members of fleet "exchange" on one in-memory store, on one virtual time. */
  static final class Fleet3 implements AutoCloseable {
    final VirtualTime time = VirtualTime.create();
    final InMemoryStateStore state = new InMemoryStateStore();
    final InMemoryFleetStore store = new InMemoryFleetStore(time.clock(), state);
    final List<Member> members = new ArrayList<>();
    final NetworkConfig klaytn =
        NetworkConfig.builder("klaytn")
            .chainId(8217)
            .rpcUrls("https://node0.example/v3/secretkey0123456789abcdef")
            .blockInterval(Duration.ofSeconds(1))
            .haltAfter(Duration.ofSeconds(10))
            .pollInterval(Duration.ofSeconds(1))
            .depositRecovery(RecoveryRule.of(3, Duration.ofSeconds(5)))
            .withdrawalRecovery(RecoveryRule.of(6, Duration.ofSeconds(10)))
            .build();

    /** One member: its engine, its threads, the endpoint it would talk to. */
    final class Member {
      final String id;
      final ScheduledExecutorService monitor = time.newScheduler();
      final ScheduledExecutorService watchdog = time.newScheduler();
      final ScheduledExecutorService fleet = time.newScheduler();
      final ScriptedHeadSource endpoint;
      final ChainBreaker breaker;
      final TransitionQueue transitions;

      Member(String id, long head) {
        this.id = id;
        this.endpoint = new ScriptedHeadSource(8217, head, time.clock());
        this.breaker =
            ChainBreaker.builder()
                .network(klaytn)
                .token("PXL", "klaytn")
                .token("COSM", "klaytn")
                .stateStore(state)
                .clock(time.clock())
                .ticker(time::nanoTime)
                .scheduler(monitor)
                .watchdogScheduler(watchdog)
                .ioExecutor(Runnable::run)
                .fleetScheduler(fleet)
                .headSources((settings, url) -> endpoint)
                .fleet(
                    FleetConfig.builder(store)
                        .name("exchange")
                        .instanceId(id)
                        .leaseTtl(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofSeconds(1))
                        .build())
                .build();
        this.transitions = TransitionQueue.listeningTo(breaker);
      }

      FleetStatus.Role role() {
        return breaker.fleet().role();
      }

      boolean allowsWithdrawal() {
        return breaker.allowsWithdrawal("PXL");
      }

      DirectionStatus status(Direction d) {
        return breaker.snapshot().token("PXL").orElseThrow().status(d);
      }

      /** As if the process died: nothing of it runs again, the lease is not given up. */
      void kill() {
        monitor.shutdownNow();
        watchdog.shutdownNow();
        fleet.shutdownNow();
      }

      /** As if it got SIGSTOP: nothing of it runs until resumed; time goes on. */
      void pause() {
        time.pause(monitor, watchdog, fleet);
      }

      void resume() {
        time.resume(monitor, watchdog, fleet);
      }
    }

    Fleet3(int n) {
      for (int i = 0; i < n; i++) {
        members.add(new Member("replica-" + i, 24_002_300));
      }
    }

    Fleet3 started() {
      // The first member starts alone and so leads; the others join a second later.
      members.get(0).breaker.start();
      time.runDue();
      time.advance(Duration.ofMillis(500));
      for (Member m : members.subList(1, members.size())) {
        m.breaker.start();
      }
      time.runDue();
      produce(3);
      return this;
    }

    Member leader() {
      List<Member> leaders =
          members.stream().filter(m -> m.role() == FleetStatus.Role.LEADER).toList();
      assertThat(leaders).as("exactly one leader").hasSize(1);
      return leaders.get(0);
    }

    /** The chain makes one block a second for {@code seconds}, seen by every member's endpoint. */
    void produce(int seconds) {
      for (int i = 0; i < seconds; i++) {
        time.advance(Duration.ofSeconds(1));
        members.forEach(m -> m.endpoint.mine(1));
      }
    }

    void idle(Duration d) {
      long steps = d.toMillis() / 100;
      for (long i = 0; i < steps; i++) {
        time.advance(Duration.ofMillis(100));
      }
    }

    /** Every running member's answer for PXL withdrawals. */
    Map<String, Boolean> answers() {
      Map<String, Boolean> a = new HashMap<>();
      for (Member m : members) {
        a.put(m.id, m.allowsWithdrawal());
      }
      return a;
    }

    @Override
    public void close() {
      members.forEach(m -> m.breaker.close());
    }
  }

  @Test
  void oneMemberLeadsAndWatchesWhileFollowersSendNoRequestAndAnswerTheSame() {
    try (Fleet3 f = new Fleet3(3).started()) {
      f.produce(10);

      Fleet3.Member leader = f.leader();
      assertThat(leader.id).isEqualTo("replica-0");
      for (Fleet3.Member m : f.members) {
        assertThat(m.allowsWithdrawal()).as(m.id).isTrue();
        assertThat(m.breaker.allowsDeposit("COSM")).as(m.id).isTrue();
        if (m != leader) {
          assertThat(m.role()).isEqualTo(FleetStatus.Role.FOLLOWER);
          assertThat(m.endpoint.requestCount()).as(m.id + " sends nothing").isZero();
          assertThat(m.breaker.fleet().leader()).isEqualTo("replica-0");
          // The follower shows the leader's view of the network, head included.
          assertThat(m.breaker.network("klaytn").health()).isEqualTo(NetworkHealth.HEALTHY);
        }
      }
      assertThat(leader.endpoint.requestCount()).isPositive();
      assertThat(f.members.get(1).breaker.fleet().verdictAges().get("klaytn"))
          .isLessThanOrEqualTo(Duration.ofSeconds(5));
    }
  }

  @Test
  void everyMemberSuspendsWithinAPollOfTheLeaderWhenTheChainHalts() {
    try (Fleet3 f = new Fleet3(3).started()) {
      f.produce(5);
      Instant lastBlock = f.time.now();

      f.idle(Duration.ofSeconds(12));

      for (Fleet3.Member m : f.members) {
        TokenTransition halted =
            m.transitions.next(t -> t.to() == SUSPENDED && t.reason() == Reason.HALTED);
        Duration late = Duration.between(lastBlock, halted.at());
        assertThat(late).as(m.id).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(12));
        assertThat(m.allowsWithdrawal()).isFalse();
        assertThat(m.status(WITHDRAWAL).reason()).isEqualTo(Reason.HALTED);
      }
      // The audit trail has the leader's transitions once, not once per member.
      long halts =
          f.state.audit("PXL", Instant.EPOCH, Instant.MAX, 1000).stream()
              .filter(r -> r.transition().reason() == Reason.HALTED)
              .count();
      assertThat(halts).isEqualTo(2); // deposit and withdrawal
    }
  }

  @Test
  void killingTheLeaderDuringAHaltLetsNoMemberAllowAndANewLeaderTakesOverWithinTtlAndAPoll() {
    try (Fleet3 f = new Fleet3(3).started()) {
      f.produce(5);
      f.idle(Duration.ofSeconds(12));
      assertThat(f.answers()).doesNotContainValue(true);

      Fleet3.Member old = f.leader();
      old.kill();
      Instant killed = f.time.now();
      f.members.remove(old);
      Instant takeover = null;
      for (int i = 0; i < 200 && takeover == null; i++) {
        f.time.advance(Duration.ofMillis(100));
        assertThat(f.answers()).as("nothing allowed during the failover").doesNotContainValue(true);
        if (f.members.stream().anyMatch(m -> m.role() == FleetStatus.Role.LEADER)) {
          takeover = f.time.now();
        }
      }
      assertThat(takeover).isNotNull();
      assertThat(Duration.between(killed, takeover)).isLessThanOrEqualTo(Duration.ofSeconds(11));
      Fleet3.Member next = f.leader();
      assertThat(next.breaker.fleet().epoch()).isEqualTo(2);
      // The chain resumes: suspended stays suspended until the recovery rule is met again.
      f.produce(2);
      assertThat(f.answers()).doesNotContainValue(true);
      f.produce(15);
      assertThat(f.answers()).doesNotContainValue(false);
      for (Fleet3.Member m : f.members) {
        assertThat(m.status(WITHDRAWAL).detail()).contains("recovered after HALTED");
      }
    }
  }

  @Test
  void aNewLeaderStartsFromThePublishedVerdictsNeverFromAllowed() {
    try (Fleet3 f = new Fleet3(2).started()) {
      f.produce(5);
      f.idle(Duration.ofSeconds(12));
      Fleet3.Member old = f.leader();
      Fleet3.Member follower = f.members.get(1);
      old.kill();
      // The chain comes back while nobody leads: the new leader sees a healthy chain at once.
      for (int i = 0; i < 12; i++) {
        f.produce(1);
      }
      assertThat(follower.role()).isEqualTo(FleetStatus.Role.LEADER);
      // Yet its withdrawals wait for the whole recovery rule (6 blocks, 10 s) from its own view.
      DirectionStatus w = follower.status(WITHDRAWAL);
      assertThat(w.state()).isNotEqualTo(ALLOWED);
      f.produce(12);
      assertThat(follower.allowsWithdrawal()).isTrue();
    }
  }

  @Test
  void aPausedLeaderThatWakesAfterATakeoverChangesNothing() {
    try (Fleet3 f = new Fleet3(2).started()) {
      f.produce(5);
      Fleet3.Member old = f.leader();
      Fleet3.Member other = f.members.get(1);
      old.pause();
      f.produce(15); // past the lease's TTL: the other member takes over
      assertThat(other.role()).isEqualTo(FleetStatus.Role.LEADER);
      long epoch = other.breaker.fleet().epoch();
      assertThat(other.allowsWithdrawal()).isTrue();

      old.resume(); // its deadlines fire at once: it believes the chain halted for 15 s
      f.time.runDue();
      f.produce(3);

      assertThat(old.role()).isEqualTo(FleetStatus.Role.FOLLOWER);
      assertThat(other.role()).isEqualTo(FleetStatus.Role.LEADER);
      assertThat(other.breaker.fleet().epoch()).isEqualTo(epoch);
      // Nothing the woken member concluded reached the store or the other member.
      assertThat(other.allowsWithdrawal()).isTrue();
      assertThat(other.transitions.transitions())
          .noneMatch(
              t -> t.reason() == Reason.HALTED && t.at().isAfter(f.time.now().minusSeconds(20)));
      f.produce(2);
      assertThat(old.allowsWithdrawal()).isTrue();
      assertThat(old.endpoint.requestCount()).isPositive(); // it did watch while it led
    }
  }

  @Test
  void theStoreRefusesAWriteWhoseEpochIsOlderThanTheLease() {
    VirtualTime time = VirtualTime.create();
    InMemoryFleetStore store = new InMemoryFleetStore(time.clock());
    FleetStore.Lease a = store.acquire("x", "a", Duration.ofSeconds(10));
    assertThat(a.heldBy("a")).isTrue();
    assertThat(store.acquire("x", "b", Duration.ofSeconds(10)).holder()).isEqualTo("a");
    time.advance(Duration.ofSeconds(11));
    FleetStore.Lease b = store.acquire("x", "b", Duration.ofSeconds(10));
    assertThat(b.heldBy("b")).isTrue();
    assertThat(b.epoch()).isEqualTo(a.epoch() + 1);

    assertThatThrownBy(() -> store.publish("x", "a", a.epoch(), List.of(), List.of()))
        .isInstanceOf(FleetStore.FencedException.class)
        .hasMessageContaining("held by b");
    assertThat(store.renew("x", "a", a.epoch(), Duration.ofSeconds(10))).isFalse();
    assertThatThrownBy(
            () ->
                store
                    .outbox()
                    .add(
                        OutboxMessage.of("k", "incident.opened", "n", "{}", time.now()),
                        new FleetStore.Fence("x", "a", a.epoch())))
        .isInstanceOf(FleetStore.FencedException.class);
    assertThat(
            store
                .outbox()
                .add(
                    OutboxMessage.of("k", "incident.opened", "n", "{}", time.now()),
                    new FleetStore.Fence("x", "b", b.epoch())))
        .isTrue();
    assertThat(
            store
                .outbox()
                .add(OutboxMessage.of("k", "incident.opened", "n", "{}", time.now()), null))
        .as("the same key twice is queued once")
        .isFalse();
  }

  @Test
  void withTheStoreGoneEveryMemberHoldsWithViewStaleAndNothingSuspendedIsAllowedAfter() {
    try (Fleet3 f = new Fleet3(3).started()) {
      f.produce(5);
      f.idle(Duration.ofSeconds(12)); // halted: suspended everywhere
      f.members.get(0).breaker.forceAllow("COSM", DEPOSIT, "alice", "manual crediting", null);
      f.produce(0);
      f.time.advance(Duration.ofSeconds(1));

      f.store.unavailable(true);
      for (int i = 0; i < 20; i++) {
        f.produce(1); // the chain resumes meanwhile
        for (Fleet3.Member m : f.members) {
          assertThat(m.allowsWithdrawal()).as(m.id + " at " + i + " s").isFalse();
        }
      }
      for (Fleet3.Member m : f.members) {
        assertThat(m.status(WITHDRAWAL).reason()).isEqualTo(Reason.VIEW_STALE);
        assertThat(m.role()).isEqualTo(FleetStatus.Role.FOLLOWER);
        assertThat(m.breaker.fleet().problem()).contains("unavailable");
        // An override written before the outage stays in force everywhere.
        assertThat(m.breaker.allowsDeposit("COSM")).as(m.id).isTrue();
      }
      f.store.unavailable(false);
      f.produce(3);
      assertThat(f.leader()).isNotNull();
      // Back: the new leader recovers by the rule from its own view, everyone follows it.
      f.produce(15);
      assertThat(f.answers()).doesNotContainValue(false);
      assertThat(f.members.stream().map(m -> m.breaker.fleet().epoch()).collect(Collectors.toSet()))
          .hasSize(1);
    }
  }

  @Test
  void anOverrideMadeOnAFollowerTakesEffectOnEveryMemberWithinASecondAndIsAuditedOnce() {
    try (Fleet3 f = new Fleet3(3).started()) {
      f.produce(3);
      Fleet3.Member follower = f.members.get(2);
      assertThat(follower.role()).isEqualTo(FleetStatus.Role.FOLLOWER);
      follower.breaker.forceSuspend("PXL", WITHDRAWAL, "alice", "hot wallet audit", null);
      f.time.advance(Duration.ofSeconds(1));
      for (Fleet3.Member m : f.members) {
        assertThat(m.allowsWithdrawal()).as(m.id).isFalse();
        assertThat(m.status(WITHDRAWAL).reason()).isEqualTo(Reason.OPERATOR);
      }
      f.produce(2);
      long audited =
          f.state.audit("PXL", Instant.EPOCH, Instant.MAX, 1000).stream()
              .filter(r -> Objects.equals(r.transition().actor(), "alice"))
              .count();
      assertThat(audited).isEqualTo(1);
    }
  }

  @Test
  void fleetSettingsAreCheckedNamingTheValue() {
    InMemoryFleetStore store = new InMemoryFleetStore(VirtualTime.create().clock());
    assertThatThrownBy(() -> FleetConfig.builder(store).leaseTtl(Duration.ofMillis(10)))
        .hasMessage("fleet leaseTtl must be at least 1s but was PT0.01S");
    assertThatThrownBy(() -> FleetConfig.builder(store).name("no spaces"))
        .hasMessageContaining("'no spaces'");
    assertThatThrownBy(
            () ->
                FleetConfig.builder(store)
                    .leaseTtl(Duration.ofSeconds(10))
                    .staleAfter(Duration.ofSeconds(5))
                    .build())
        .hasMessageContaining("staleAfter must be at least leaseTtl");
    assertThat(FleetConfig.builder(store).build().staleAfter()).isEqualTo(Duration.ofSeconds(12));
  }
}
