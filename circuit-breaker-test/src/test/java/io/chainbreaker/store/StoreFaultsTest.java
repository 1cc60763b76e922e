package io.chainbreaker.store;

import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.CatalogChange;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.Reason;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.TokenConfig;
import io.chainbreaker.TokenTransition;
import io.chainbreaker.test.ScriptedHeadSource;
import io.chainbreaker.test.SimulatedChain;
import io.chainbreaker.test.VirtualTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store under faults, on a real PostgreSQL, bounded in time: the database away for 30 s while a
 * network halts and an operator overrides; a queue that fills; 10,000 catalog cycles. Each test
 * prints its figures (queue high-water mark, rows written against writes accepted, heap), which
 * docs/store.md quotes.
 */
class StoreFaultsTest {

  private static PostgresServer postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Test
  @Timeout(180)
  void aDatabaseAwayForThirtySecondsDuringAHaltAndAnOverrideLosesNothingAndAllowsNothingWrongly()
      throws Exception {
    DataSource ds = postgres.emptyDatabase("PostgreSQL");
    JdbcStateStore store =
        JdbcStateStore.builder(ds)
            .instanceId("outage")
            .createSchema(true)
            .retryInterval(Duration.ofMillis(200))
            .build();
    try (SimulatedChain chain = SimulatedChain.builder().chainId(8217).build();
        ChainBreaker breaker = httpEngine(store, chain)) {
      chain.produceBlocks(Duration.ofMillis(100));
      List<TokenTransition> seen = new CopyOnWriteArrayList<>();
      breaker.events().onTokenTransition(seen::add);
      breaker.start();
      waitUntil(() -> breaker.allowsWithdrawal("PXL"), Duration.ofSeconds(20));
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();

      postgres.stopServer();
      long away = System.nanoTime();
      breaker.forceSuspend("DTA", DEPOSIT, "carol", "during the outage", null);
      chain.halt();
      waitUntil(
          () -> breaker.token("PXL").status().withdrawal().reason() == Reason.HALTED,
          Duration.ofSeconds(10));
      int wronglyAllowed = 0;
      // Halted for 10 s of the outage, then moving again for the rest of it.
      while (System.nanoTime() - away < Duration.ofSeconds(10).toNanos()) {
        wronglyAllowed += breaker.allowsWithdrawal("PXL") || breaker.allowsDeposit("PXL") ? 1 : 0;
        wronglyAllowed += breaker.allowsDeposit("DTA") ? 1 : 0;
        LockSupport.parkNanos(50_000_000);
      }
      chain.resume();
      while (System.nanoTime() - away < Duration.ofSeconds(30).toNanos()) {
        wronglyAllowed += breaker.allowsDeposit("DTA") ? 1 : 0;
        LockSupport.parkNanos(50_000_000);
      }
      int queuedAtReturn = store.queued();
      postgres.startServer();
      assertThat(store.flush(Duration.ofSeconds(30))).isTrue();

      long rows =
          count(ds, "SELECT COUNT(*) FROM chain_breaker_audit WHERE instance_id = 'outage'");
      System.out.printf(
          "database away 30 s: %d transitions published, %d audit rows written, writes accepted"
              + " %d, stored %d, lost %d; queue high-water mark %d (of %d), %d queued when it"
              + " came back%n",
          seen.size(),
          rows,
          store.writesAccepted(),
          store.writesStored(),
          store.writesLost(),
          store.queueHighWater(),
          10_000,
          queuedAtReturn);
      assertThat(wronglyAllowed).as("checks that found a suspended token allowed").isZero();
      assertThat(queuedAtReturn).isPositive();
      assertThat(store.writesLost()).isZero();
      assertThat(store.queueHighWater()).isLessThanOrEqualTo(10_000);
      assertThat(rows).isEqualTo(seen.size());
      assertThat(store.overrides())
          .extracting(BreakerOverride::note)
          .containsExactly("during the outage");
      List<AuditRecord> trail =
          store.audit("PXL", Instant.EPOCH, Instant.now().plusSeconds(1), 100);
      assertThat(trail)
          .extracting(r -> r.transition().direction() + " " + r.transition().to())
          .contains("WITHDRAWAL SUSPENDED", "WITHDRAWAL RECOVERING", "WITHDRAWAL ALLOWED");
      assertThat(store.audit("DTA", Instant.EPOCH, Instant.now().plusSeconds(1), 100))
          .extracting(r -> r.transition().actor())
          .contains("carol");
      assertThat(breaker.allowsDeposit("DTA")).isFalse();
    }
  }

  @Test
  @Timeout(120)
  void aFullQueueHoldsTheTokensItCouldNotRecordAndSaysInTheTrailWhatItLost() throws Exception {
    DataSource ds = postgres.emptyDatabase("PostgreSQL");
    JdbcStateStore store =
        JdbcStateStore.builder(ds)
            .instanceId("full")
            .createSchema(true)
            .queueCapacity(4)
            .blockWhenFull(Duration.ofMillis(20))
            .retryInterval(Duration.ofMillis(100))
            .build();
    VirtualTime time = VirtualTime.startingAt(Instant.parse("2020-03-29T14:00:00Z"));
    ScriptedHeadSource chain = new ScriptedHeadSource(8217, 24_002_300, time.clock());
    try (ChainBreaker breaker = virtualEngine(store, time, chain)) {
      breaker.start();
      for (int i = 0; i < 3; i++) {
        chain.mine(1);
        time.advance(Duration.ofSeconds(1));
      }
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
      postgres.stopServer();
      try {
        time.advance(Duration.ofSeconds(12)); // halted: six transitions, room for four
        assertThat(store.writesLost()).isPositive();
        assertThat(store.caughtUp()).isFalse();
        assertThatThrownBy(
                () -> breaker.forceAllow("PXL", WITHDRAWAL, "alice", "while it is full", null))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("not applied")
            .hasMessageContaining("queue is full");
        for (int i = 0; i < 20; i++) {
          chain.mine(1);
          time.advance(Duration.ofSeconds(1));
        }
        // The chain moves, but what could not be recorded stays suspended.
        for (String token : List.of("COSM", "DTA", "PXL")) {
          for (Direction d : Direction.values()) {
            assertThat(breaker.allows(token, d)).as(token + " " + d).isFalse();
          }
        }
        assertThat(breaker.token("PXL").status().withdrawal().reason())
            .isEqualTo(Reason.STORE_UNAVAILABLE);
      } finally {
        postgres.startServer();
      }
      waitUntil(store::caughtUp, Duration.ofSeconds(20));
      assertThat(store.flush(Duration.ofSeconds(20))).isTrue();
      for (int i = 0; i < 20; i++) {
        chain.mine(1);
        time.advance(Duration.ofSeconds(1));
      }
      assertThat(breaker.allowsWithdrawal("PXL")).isTrue();
      long lostRows = count(ds, "SELECT COUNT(*) FROM chain_breaker_audit WHERE kind = 'LOST'");
      String detail = text(ds, "SELECT detail FROM chain_breaker_audit WHERE kind = 'LOST'");
      System.out.printf(
          "full queue (capacity 4): writes accepted %d, stored %d, lost %d in %d LOST rows;"
              + " high-water mark %d%n",
          store.writesAccepted(),
          store.writesStored(),
          store.writesLost(),
          lostRows,
          store.queueHighWater());
      assertThat(lostRows).isPositive();
      assertThat(detail).contains("could not be stored").contains("complete again from here");
      assertThat(store.queueHighWater()).isLessThanOrEqualTo(4 + (int) lostRows);
    } finally {
      store.close();
    }
  }

  @Test
  @Timeout(180)
  void tenThousandCatalogAddRemoveCyclesKeepTheHeapFlat() throws Exception {
    DataSource ds = postgres.emptyDatabase("PostgreSQL");
    JdbcStateStore store =
        JdbcStateStore.builder(ds).instanceId("catalog").createSchema(true).build();
    VirtualTime time = VirtualTime.startingAt(Instant.parse("2020-03-29T14:00:00Z"));
    ScriptedHeadSource chain = new ScriptedHeadSource(8217, 24_002_300, time.clock());
    try (ChainBreaker breaker = virtualEngine(store, time, chain)) {
      breaker.start();
      chain.mine(1);
      time.advance(Duration.ofSeconds(1));
      CatalogChange add = CatalogChange.by("bot").putToken(TokenConfig.of("NEW", "klaytn")).build();
      CatalogChange remove = CatalogChange.by("bot").removeToken("NEW", "klaytn").build();
      cycles(breaker, store, time, chain, add, remove, 500); // warm up
      long before = usedHeapAfterGc();
      cycles(breaker, store, time, chain, add, remove, 10_000);
      long after = usedHeapAfterGc();
      assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
      long catalogRows =
          count(ds, "SELECT COUNT(*) FROM chain_breaker_audit WHERE kind = 'CATALOG'");
      System.out.printf(
          "10,000 catalog add/remove cycles: used heap after GC %.1f MB before, %.1f MB after;"
              + " writes accepted %d, stored %d, lost %d; %d catalog rows; queue high-water"
              + " mark %d%n",
          before / 1e6,
          after / 1e6,
          store.writesAccepted(),
          store.writesStored(),
          store.writesLost(),
          catalogRows,
          store.queueHighWater());
      assertThat(after - before).as("heap growth in bytes").isLessThan(32L << 20);
      assertThat(catalogRows).isEqualTo(2 * 10_500);
      assertThat(store.writesStored()).isEqualTo(store.writesAccepted());
      assertThat(breaker.catalog().tokens()).extracting(TokenConfig::symbol).doesNotContain("NEW");
    } finally {
      store.close();
    }
  }

  private static void cycles(
      ChainBreaker breaker,
      JdbcStateStore store,
      VirtualTime time,
      ScriptedHeadSource chain,
      CatalogChange add,
      CatalogChange remove,
      int count)
      throws InterruptedException {
    for (int i = 0; i < count; i++) {
      breaker.change(add);
      breaker.change(remove);
      if (i % 250 == 249) {
        // The writer keeps up in batches; a catalog bot this fast would otherwise fill the queue.
        assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
        chain.mine(1);
        time.advance(Duration.ofSeconds(1));
      }
    }
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      LockSupport.parkNanos(50_000_000);
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }

  private static ChainBreaker httpEngine(StateStore store, SimulatedChain chain) {
    return ChainBreaker.builder()
        .network(
            NetworkConfig.builder("klaytn")
                .chainId(8217)
                .rpcUrls(chain.endpoint().url())
                .blockInterval(Duration.ofMillis(100))
                .haltAfter(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(100))
                .recovery(RecoveryRule.of(3, Duration.ofMillis(300)))
                .build())
        .token("COSM", "klaytn")
        .token("DTA", "klaytn")
        .token("PXL", "klaytn")
        .stateStore(store)
        .build();
  }

  private static ChainBreaker virtualEngine(
      StateStore store, VirtualTime time, ScriptedHeadSource chain) {
    return ChainBreaker.builder()
        .network(
            NetworkConfig.builder("klaytn")
                .chainId(8217)
                .blockInterval(Duration.ofSeconds(1))
                .haltAfter(Duration.ofSeconds(10))
                .pollInterval(Duration.ofSeconds(1))
                .recovery(RecoveryRule.of(3, Duration.ofSeconds(3)))
                .rpcUrls("https://node0.example/")
                .build())
        .token("COSM", "klaytn")
        .token("DTA", "klaytn")
        .token("PXL", "klaytn")
        .stateStore(store)
        .clock(time.clock())
        .ticker(time::nanoTime)
        .scheduler(time.newScheduler())
        .watchdogScheduler(time.newScheduler())
        .ioExecutor(Runnable::run)
        .headSources((settings, url) -> chain)
        .build();
  }

  private static void waitUntil(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout);
      }
      LockSupport.parkNanos(20_000_000);
    }
  }

  private static long count(DataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String text(DataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
