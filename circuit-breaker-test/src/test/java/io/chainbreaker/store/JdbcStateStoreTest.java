package io.chainbreaker.store;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.BreakerState;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.LogCapture;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.Reason;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.TokenTransition;
import io.chainbreaker.test.Awaits;
import io.chainbreaker.test.SimulatedChain;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The JDBC store on a real PostgreSQL and on H2, through the same tests. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class JdbcStateStoreTest {

  private static PostgresServer postgres;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  static Stream<Arguments> databases() {
    return Stream.of(Arguments.of("PostgreSQL"), Arguments.of("H2"));
  }

  private JdbcStateStore store(DataSource ds, String instance) {
    JdbcStateStore store =
        JdbcStateStore.builder(ds)
            .instanceId(instance)
            .createSchema(true)
            .retryInterval(Duration.ofMillis(200))
            .build();
    closing.add(store);
    return store;
  }

  private static long count(DataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static TokenTransition transition(
      String token, Direction d, BreakerState from, BreakerState to, Instant at) {
    return new TokenTransition(
        token, "klaytn", d, from, to, Reason.HALTED, "no new head", at, 24_002_379L, null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void storesOverridesAndAnAppendOnlyAuditTrail(String kind) throws Exception {
    DataSource ds = postgres.emptyDatabase(kind);
    JdbcStateStore store = store(ds, "exchange-1");
    Instant t0 = Instant.parse("2020-03-29T14:32:40Z");
    BreakerOverride o =
        new BreakerOverride(
            "PXL", "klaytn", WITHDRAWAL, SUSPENDED, "alice", "audit", t0, t0.plusSeconds(3600));
    store.putOverride(o);
    store.putOverride(
        new BreakerOverride("DTA", "klaytn", DEPOSIT, ALLOWED, "bob", "manual", t0, null));
    store.removeOverride("DTA", "klaytn", DEPOSIT);
    store.append(transition("PXL", WITHDRAWAL, ALLOWED, SUSPENDED, t0));
    store.append(
        transition("PXL", WITHDRAWAL, SUSPENDED, BreakerState.RECOVERING, t0.plusSeconds(60)));
    store.append(transition("PXL", DEPOSIT, ALLOWED, SUSPENDED, t0.plusSeconds(1)));
    store.append(transition("COSM", DEPOSIT, ALLOWED, SUSPENDED, t0));
    assertThat(store.flush(Duration.ofSeconds(10))).isTrue();

    assertThat(store.overrides()).containsExactly(o);
    List<AuditRecord> audit = store.audit("PXL", t0, t0.plusSeconds(61), 100);
    assertThat(audit)
        .extracting(r -> r.transition().to())
        .containsExactly(SUSPENDED, BreakerState.RECOVERING, SUSPENDED);
    assertThat(audit).allSatisfy(r -> assertThat(r.instance()).isEqualTo("exchange-1"));
    assertThat(audit.get(0).transition())
        .isEqualTo(transition("PXL", WITHDRAWAL, ALLOWED, SUSPENDED, t0));
    assertThat(store.audit("PXL", t0.plusSeconds(1), t0.plusSeconds(60), 100)).hasSize(1);
    assertThat(store.audit("PXL", t0, t0.plusSeconds(61), 2)).hasSize(2);
    assertThat(store.lastTransitions())
        .extracting(t -> t.symbol() + " " + t.direction() + " " + t.to())
        .containsExactlyInAnyOrder(
            "PXL WITHDRAWAL RECOVERING", "PXL DEPOSIT SUSPENDED", "COSM DEPOSIT SUSPENDED");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aTransitionWithoutAHeadReadsBackWithoutOneAndOneWithAHeadKeepsIt(String kind)
      throws Exception {
    JdbcStateStore store = store(postgres.emptyDatabase(kind), "exchange-1");
    Instant t0 = Instant.parse("2020-03-29T14:32:40Z");
    // Before any head was seen (an operator's override at startup): no head, not block #0.
    TokenTransition headless =
        new TokenTransition(
            "PXL",
            "klaytn",
            DEPOSIT,
            ALLOWED,
            SUSPENDED,
            Reason.OPERATOR,
            "held by alice",
            t0,
            null,
            "alice");
    store.append(headless);
    store.append(transition("COSM", DEPOSIT, ALLOWED, SUSPENDED, t0));
    assertThat(store.flush(Duration.ofSeconds(10))).isTrue();

    assertThat(store.lastTransitions())
        .containsExactlyInAnyOrder(headless, transition("COSM", DEPOSIT, ALLOWED, SUSPENDED, t0));
    assertThat(store.audit("PXL", t0, t0.plusSeconds(1), 10))
        .singleElement()
        .satisfies(r -> assertThat(r.transition().head()).isNull());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void twoInstancesOnOneDatabaseSeeEachOthersOverridesWithinTwoSeconds(String kind)
      throws Exception {
    DataSource ds = postgres.emptyDatabase(kind);
    ChainBreaker a = engine(store(ds, "a"));
    ChainBreaker b = engine(store(ds, "b"));
    BlockingQueue<TokenTransition> seenByB = new LinkedBlockingQueue<>();
    BlockingQueue<TokenTransition> seenByA = new LinkedBlockingQueue<>();
    b.events().onTokenTransition(seenByB::add);
    a.events().onTokenTransition(seenByA::add);
    a.start();
    b.start();

    a.forceSuspend("PXL", WITHDRAWAL, "alice", "hot wallet audit", null);
    await(seenByA, t -> t.actor() != null, Duration.ofSeconds(1));
    TokenTransition there =
        await(
            seenByB,
            t -> t.reason() == Reason.OPERATOR && t.to() == SUSPENDED,
            Duration.ofSeconds(2));
    assertThat(there.actor()).isEqualTo("alice");
    assertThat(b.allowsWithdrawal("PXL")).isFalse();
    assertThat(b.token("PXL").status().withdrawal().override().note())
        .isEqualTo("hot wallet audit");

    b.clearOverride("PXL", WITHDRAWAL, "bob");
    TokenTransition cleared =
        await(
            seenByA,
            t -> t.symbol().equals("PXL") && t.reason() != Reason.OPERATOR,
            Duration.ofSeconds(2));
    assertThat(cleared.actor()).isEqualTo("another instance");
    assertThat(a.token("PXL").status().withdrawal().override()).isNull();
    // A's own override, read back from the database, caused no further transition on A.
    assertThat(seenByA).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aThousandConcurrentOverridesLeaveExactlyTheExpectedAuditRows(String kind) throws Exception {
    DataSource ds = postgres.emptyDatabase(kind);
    JdbcStateStore store = store(ds, "busy");
    ChainBreaker breaker = engine(store);
    List<TokenTransition> seen = new CopyOnWriteArrayList<>();
    breaker.events().onTokenTransition(seen::add);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch done = new CountDownLatch(1000);
    String[] tokens = {"COSM", "DTA", "PXL"};
    for (int i = 0; i < 1000; i++) {
      int n = i;
      pool.execute(
          () -> {
            Random r = new Random(n);
            String token = tokens[r.nextInt(tokens.length)];
            Direction d = Direction.values()[r.nextInt(2)];
            switch (r.nextInt(3)) {
              case 0 -> breaker.forceSuspend(token, d, "op" + n, "load", null);
              case 1 -> breaker.forceAllow(token, d, "op" + n, "load", null);
              default -> breaker.clearOverride(token, d, "op" + n);
            }
            done.countDown();
          });
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    pool.shutdown();
    assertThat(store.flush(Duration.ofSeconds(30))).isTrue();

    assertThat(count(ds, "SELECT COUNT(*) FROM chain_breaker_audit WHERE instance_id = 'busy'"))
        .isEqualTo(seen.size());
    // Per token and direction the trail is a chain: each row starts where the previous ended.
    Map<String, BreakerState> last = new ConcurrentHashMap<>();
    for (String token : tokens) {
      for (AuditRecord r :
          store.audit(token, Instant.EPOCH, Instant.now().plusSeconds(60), 10_000)) {
        String key = token + r.transition().direction();
        BreakerState previous = last.put(key, r.transition().to());
        if (previous != null) {
          assertThat(r.transition().from()).as("row " + r.id()).isEqualTo(previous);
        }
      }
    }
    for (String token : tokens) {
      for (Direction d : Direction.values()) {
        BreakerState stored = last.get(token + d);
        if (stored != null) {
          assertThat(breaker.token(token).status().status(d).state()).isEqualTo(stored);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void anInstanceStartedDuringASuspensionRecoversByItsOwnEvidence(String kind) throws Exception {
    DataSource ds = postgres.emptyDatabase(kind);
    try (SimulatedChain chain = SimulatedChain.builder().chainId(8217).build()) {
      chain.produceBlocks(Duration.ofMillis(100));
      JdbcStateStore first = store(ds, "first");
      BlockingQueue<TokenTransition> seen = new LinkedBlockingQueue<>();
      try (ChainBreaker a = engine(first, chain)) {
        a.events().onTokenTransition(seen::add);
        a.start();
        await(seen, t -> t.to() == ALLOWED, Duration.ofSeconds(20));
        chain.halt();
        await(seen, t -> t.to() == SUSPENDED && t.symbol().equals("PXL"), Duration.ofSeconds(20));
      }
      assertThat(first.flush(Duration.ofSeconds(10))).isTrue();
      chain.resume();

      ChainBreaker b = engine(store(ds, "second"), chain);
      BlockingQueue<TokenTransition> seenByB = new LinkedBlockingQueue<>();
      b.events().onTokenTransition(seenByB::add);
      assertThat(b.token("PXL").status().withdrawal().reason()).isEqualTo(Reason.HALTED);
      b.start();
      TokenTransition firstMove =
          await(
              seenByB,
              t -> t.symbol().equals("PXL") && t.direction() == WITHDRAWAL,
              Duration.ofSeconds(20));
      assertThat(firstMove.to()).isEqualTo(BreakerState.RECOVERING);
      await(
          seenByB,
          t -> t.symbol().equals("PXL") && t.direction() == WITHDRAWAL && t.to() == ALLOWED,
          Duration.ofSeconds(20));
    }
  }

  @Test
  void theDatabaseStoppedAndStartedUnderARunningEngineLosesNothing() throws Exception {
    DataSource ds = postgres.emptyDatabase("PostgreSQL");
    JdbcStateStore store = store(ds, "outage");
    try (SimulatedChain chain = SimulatedChain.builder().chainId(8217).build()) {
      chain.produceBlocks(Duration.ofMillis(100));
      ChainBreaker breaker = engine(store, chain);
      List<TokenTransition> seen = new CopyOnWriteArrayList<>();
      BlockingQueue<TokenTransition> queue = new LinkedBlockingQueue<>();
      breaker.events().onTokenTransition(seen::add).onTokenTransition(queue::add);
      breaker.start();
      await(queue, t -> t.to() == ALLOWED, Duration.ofSeconds(20));
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();

      postgres.stopServer();
      breaker.forceSuspend("DTA", DEPOSIT, "carol", "during the outage", null);
      chain.halt();
      await(
          queue,
          t -> t.symbol().equals("PXL") && t.to() == SUSPENDED && t.reason() == Reason.HALTED,
          Duration.ofSeconds(20));
      // The engine decided from the chain; the override is in force; the rows wait.
      assertThat(breaker.allowsWithdrawal("PXL")).isFalse();
      assertThat(breaker.allowsDeposit("DTA")).isFalse();
      assertThat(store.queued()).isGreaterThan(0);
      assertThat(store.flush(Duration.ofMillis(500))).isFalse();

      postgres.startServer();
      assertThat(store.flush(Duration.ofSeconds(20))).isTrue();
      assertThat(count(ds, "SELECT COUNT(*) FROM chain_breaker_audit WHERE instance_id = 'outage'"))
          .isEqualTo(seen.size());
      assertThat(store.overrides())
          .extracting(BreakerOverride::note)
          .containsExactly("during the outage");
      assertThat(breaker.allowsDeposit("DTA")).isFalse();
      breaker.close();
    }
  }

  @Test
  void anEngineStartedWhilePostgresqlIsDownStaysSuspendedUntilItIsBackThenRecovers()
      throws Exception {
    DataSource ds = postgres.emptyDatabase("PostgreSQL");
    try (SimulatedChain chain = SimulatedChain.builder().chainId(8217).build()) {
      chain.produceBlocks(Duration.ofMillis(100));
      JdbcStateStore first = store(ds, "before-crash");
      BlockingQueue<TokenTransition> seen = new LinkedBlockingQueue<>();
      try (ChainBreaker a = engine(first, chain)) {
        a.events().onTokenTransition(seen::add);
        a.start();
        await(seen, t -> t.to() == ALLOWED, Duration.ofSeconds(20));
        chain.halt();
        await(
            seen,
            t -> t.to() == SUSPENDED && t.symbol().equals("PXL") && t.direction() == WITHDRAWAL,
            Duration.ofSeconds(20));
        a.forceSuspend("COSM", DEPOSIT, "alice", "incident 42", null);
      }
      assertThat(first.flush(Duration.ofSeconds(10))).isTrue();
      chain.resume();
      postgres.stopServer();

      JdbcStateStore second = store(ds, "after-crash");
      ChainBreaker b = engine(second, chain);
      BlockingQueue<TokenTransition> seenByB = new LinkedBlockingQueue<>();
      b.events().onTokenTransition(seenByB::add);
      assertThat(b.token("PXL").status().withdrawal().reason()).isEqualTo(Reason.STORE_UNAVAILABLE);
      b.start();
      long headAtStart = chain.head().number();
      waitUntil(
          () ->
              b.network("klaytn").head() != null
                  && b.network("klaytn").head().number() >= headAtStart + 10,
          Duration.ofSeconds(20));
      // Ten healthy heads later, with the database still down: nothing is allowed.
      for (String token : List.of("COSM", "DTA", "PXL")) {
        for (Direction d : Direction.values()) {
          assertThat(b.allows(token, d)).as(token + " " + d).isFalse();
          assertThat(b.token(token).status().status(d).reason())
              .isEqualTo(Reason.STORE_UNAVAILABLE);
        }
      }
      assertThat(seenByB).isEmpty();

      postgres.startServer();
      TokenTransition recovering =
          await(
              seenByB,
              t -> t.symbol().equals("PXL") && t.direction() == WITHDRAWAL && t.to() != SUSPENDED,
              Duration.ofSeconds(20));
      assertThat(recovering.to()).isEqualTo(BreakerState.RECOVERING);
      assertThat(recovering.reason()).isEqualTo(Reason.HALTED);
      assertThat(b.token("COSM").status().deposit().override().actor()).isEqualTo("alice");
      await(
          seenByB,
          t -> t.symbol().equals("PXL") && t.direction() == WITHDRAWAL && t.to() == ALLOWED,
          Duration.ofSeconds(20));
      assertThat(b.allowsDeposit("COSM")).isFalse();
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) {
    Awaits.until("the condition holds", timeout, condition::getAsBoolean);
  }

  @Test
  void aWriteThePostgresqlRejectsIsDroppedAndAuditedWithoutBlockingLaterWrites() throws Exception {
    DataSource ds = postgres.emptyDatabase("PostgreSQL");
    JdbcStateStore store = store(ds, "strict");
    Instant t0 = Instant.parse("2020-03-29T14:32:40Z");
    // What the engine's API now refuses, but another writer of the store could still send:
    // a NUL byte (SQLSTATE 22021) and an expiry past PostgreSQL's last timestamp (22008).
    store.putOverride(
        new BreakerOverride(
            "PXL", "klaytn", WITHDRAWAL, SUSPENDED, "mallory", "nul \u0000 byte", t0, null));
    store.putOverride(
        new BreakerOverride(
            "COSM",
            "klaytn",
            DEPOSIT,
            SUSPENDED,
            "mallory",
            "forever",
            t0,
            t0.plus(Duration.ofDays(200_000_000))));
    store.append(
        new TokenTransition(
            "PXL",
            "klaytn",
            WITHDRAWAL,
            ALLOWED,
            SUSPENDED,
            Reason.OPERATOR,
            "forced by mallory: nul \u0000 byte",
            t0,
            1L,
            "mallory"));
    BreakerOverride good =
        new BreakerOverride(
            "DTA", "klaytn", DEPOSIT, SUSPENDED, "alice", "audit", t0.plusSeconds(1), null);
    store.putOverride(good);
    store.append(transition("DTA", DEPOSIT, ALLOWED, SUSPENDED, t0.plusSeconds(1)));

    String log = LogCapture.of(() -> assertThat(flush(store, Duration.ofSeconds(10))).isTrue());

    assertThat(store.queued()).isZero();
    assertThat(store.overrides()).containsExactly(good);
    assertThat(store.audit("DTA", t0, t0.plusSeconds(2), 10)).hasSize(1);
    assertThat(store.audit("PXL", t0, t0.plusSeconds(2), 10))
        .extracting(r -> r.transition().detail() + " by " + r.transition().actor())
        .containsExactly(
            "override rejected by the database (SQLSTATE 22021), not stored by mallory",
            "rejected by the database (SQLSTATE 22021), not stored by mallory");
    assertThat(store.audit("COSM", t0, t0.plusSeconds(2), 10))
        .extracting(r -> r.transition().detail())
        .containsExactly("override rejected by the database (SQLSTATE 22008), not stored");
    assertThat(log)
        .contains("state store rejected a write")
        .doesNotContain("unreachable")
        .doesNotContain("\u0000");
  }

  @Test
  void closingDuringAnOutageNamesEveryWriteItDrops() throws Exception {
    DataSource ds = postgres.emptyDatabase("PostgreSQL");
    JdbcStateStore store =
        JdbcStateStore.builder(ds)
            .instanceId("closing")
            .createSchema(true)
            .retryInterval(Duration.ofMillis(200))
            .build();
    Instant t0 = Instant.parse("2020-03-29T14:32:40Z");
    postgres.stopServer();
    try {
      store.putOverride(
          new BreakerOverride("PXL", "klaytn", WITHDRAWAL, SUSPENDED, "alice", "audit", t0, null));
      store.append(transition("PXL", WITHDRAWAL, ALLOWED, SUSPENDED, t0));
      String log = LogCapture.of(store::close);
      assertThat(log)
          .contains("state store closed with 2 writes not stored")
          .contains(
              "not stored: override PXL@klaytn WITHDRAWAL SUSPENDED by alice until cleared: audit")
          .contains("not stored: audit PXL@klaytn WITHDRAWAL ALLOWED -> SUSPENDED HALTED at " + t0);
    } finally {
      postgres.startServer();
    }
  }

  private static boolean flush(JdbcStateStore store, Duration timeout) {
    try {
      return store.flush(timeout);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private ChainBreaker engine(StateStore store) {
    ChainBreaker breaker =
        ChainBreaker.builder()
            .network(
                NetworkConfig.builder("klaytn")
                    .chainId(8217)
                    .rpcUrls("http://127.0.0.1:1/")
                    .build())
            .token("COSM", "klaytn")
            .token("DTA", "klaytn")
            .token("PXL", "klaytn")
            .stateStore(store)
            .build();
    closing.add(breaker);
    return breaker;
  }

  private ChainBreaker engine(StateStore store, SimulatedChain chain) {
    ChainBreaker breaker =
        ChainBreaker.builder()
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
    closing.add(breaker);
    return breaker;
  }

  private static TokenTransition await(
      BlockingQueue<TokenTransition> queue, Predicate<TokenTransition> p, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<TokenTransition> other = new ArrayList<>();
    while (true) {
      TokenTransition t =
          queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (t == null) {
        throw new AssertionError("no matching transition within " + timeout + "; saw " + other);
      }
      if (p.test(t)) {
        return t;
      }
      other.add(t);
    }
  }
}
