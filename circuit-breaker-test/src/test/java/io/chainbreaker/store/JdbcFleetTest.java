package io.chainbreaker.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.FleetConfig;
import io.chainbreaker.FleetStatus;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.Reason;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.TokenTransition;
import io.chainbreaker.test.Awaits;
import io.chainbreaker.test.SimulatedChain;
import io.chainbreaker.test.SimulatedEndpoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fleet on real PostgreSQL with real HTTP chains (the simulated chain): engines of one JVM on
 * their own threads, and members in processes of their own for SIGKILL and SIGSTOP. Real time, with
 * a short lease (2 s) so that each failure plays out in seconds; every test is bounded.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JdbcFleetTest {

  private static PostgresServer pg;
  private SimulatedChain chain;
  private SimulatedEndpoint endpoint;
  private final List<Member> members = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @BeforeEach
  void freshDatabaseAndChain() throws Exception {
    DataSource ds = pg.emptyDatabase("PostgreSQL");
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS chain_breaker_lease");
      s.execute("DROP TABLE IF EXISTS chain_breaker_verdict");
      s.execute("DROP TABLE IF EXISTS chain_breaker_outbox");
    }
    JdbcFleetStore.builder(ds).createSchema(true).build().close();
    chain =
        SimulatedChain.builder()
            .chainId(8217)
            .firstBlock(24_002_300)
            .history(20, Duration.ofMillis(200))
            .build();
    endpoint = chain.endpoint();
    chain.produceBlocks(Duration.ofMillis(200));
  }

  @AfterEach
  void stopAll() {
    processes.forEach(Process::destroyForcibly);
    members.forEach(Member::close);
    chain.close();
  }

  /** One engine of the fleet in this JVM, on a data source that can be cut off for it alone. */
  final class Member implements AutoCloseable {
    final String id;
    final AtomicBoolean cutOff = new AtomicBoolean();
    final ChainBreaker breaker;
    final List<TokenTransition> transitions = new CopyOnWriteArrayList<>();

    Member(String id) {
      this.id = id;
      DataSource ds = cuttable(pg.dataSource(), cutOff);
      breaker =
          ChainBreaker.builder()
              .network(
                  NetworkConfig.builder("klaytn")
                      .chainId(8217)
                      .rpcUrls(endpoint.url())
                      .blockInterval(Duration.ofMillis(200))
                      .pollInterval(Duration.ofMillis(200))
                      .haltAfter(Duration.ofSeconds(2))
                      .depositRecovery(RecoveryRule.of(3, Duration.ofMillis(500)))
                      .withdrawalRecovery(RecoveryRule.of(3, Duration.ofMillis(500)))
                      .build())
              .token("PXL", "klaytn")
              .stateStore(JdbcStateStore.builder(ds).instanceId(id).build())
              .overrideSyncInterval(Duration.ofMillis(250))
              .fleet(
                  FleetConfig.builder(
                          JdbcFleetStore.builder(ds).queryTimeout(Duration.ofSeconds(1)).build())
                      .name("exchange")
                      .instanceId(id)
                      .leaseTtl(Duration.ofSeconds(2))
                      .pollInterval(Duration.ofMillis(200))
                      .build())
              .build();
      breaker.events().onTokenTransition(transitions::add);
      breaker.start();
    }

    boolean allows() {
      return breaker.allowsWithdrawal("PXL");
    }

    FleetStatus.Role role() {
      return breaker.fleet().role();
    }

    @Override
    public void close() {
      breaker.close();
    }
  }

  private Member member(String id) {
    Member m = new Member(id);
    members.add(m);
    return m;
  }

  @Test
  void threeEnginesOnPostgresOneLeadsFollowersSendNothingAndAllSuspendWithinASecond()
      throws Exception {
    Member a = member("a");
    await(Duration.ofSeconds(10), () -> a.role() == FleetStatus.Role.LEADER && a.allows());
    Member b = member("b");
    Member c = member("c");
    await(Duration.ofSeconds(10), () -> b.allows() && c.allows());
    long before = endpoint.requestCount();
    // real time: how many requests two seconds of a fleet of three cost
    Awaits.holdsFor(
        "all three allow", Duration.ofSeconds(2), () -> a.allows() && b.allows() && c.allows());
    long perTwoSeconds = endpoint.requestCount() - before;
    assertThat(perTwoSeconds).as("one watcher's polls (5/s), not three's").isBetween(5L, 15L);
    assertThat(b.role()).isEqualTo(FleetStatus.Role.FOLLOWER);
    assertThat(b.breaker.fleet().leader()).isEqualTo("a");
    assertThat(b.breaker.network("klaytn").head()).isNotNull();

    chain.halt();
    Instant lastBlock = Instant.now();
    await(Duration.ofSeconds(10), () -> !a.allows() && !b.allows() && !c.allows());
    List<Instant> suspendedAt = new ArrayList<>();
    for (Member m : List.of(a, b, c)) {
      TokenTransition t =
          m.transitions.stream()
              .filter(x -> x.direction() == Direction.WITHDRAWAL && x.reason() == Reason.HALTED)
              .findFirst()
              .orElseThrow();
      suspendedAt.add(t.at());
    }
    Instant first = suspendedAt.stream().min(Instant::compareTo).orElseThrow();
    Instant last = suspendedAt.stream().max(Instant::compareTo).orElseThrow();
    System.out.printf(
        "fleet of 3 on PostgreSQL: halt reported %d ms after the last block, members %d ms apart%n",
        Duration.between(lastBlock, first).toMillis(), Duration.between(first, last).toMillis());
    assertThat(Duration.between(first, last)).isLessThanOrEqualTo(Duration.ofSeconds(1));
    // The trail has the halt once per direction, written by the leader.
    assertThat(count("SELECT count(*) FROM chain_breaker_audit WHERE reason = 'HALTED'"))
        .isEqualTo(2);
    assertThat(
            count(
                "SELECT count(DISTINCT instance_id) FROM chain_breaker_audit WHERE reason = 'HALTED'"))
        .isEqualTo(1);
  }

  @Test
  void withPostgresGoneFor20sDuringAHaltNothingIsAllowedAndAnOverrideWrittenBeforeIsInForceAfter()
      throws Exception {
    Member a = member("a");
    await(Duration.ofSeconds(10), () -> a.allows());
    Member b = member("b");
    await(Duration.ofSeconds(10), () -> b.allows());
    b.breaker.forceSuspend("PXL", Direction.DEPOSIT, "alice", "cold wallet audit", null);
    await(Duration.ofSeconds(5), () -> !a.breaker.allowsDeposit("PXL"));
    chain.halt();
    await(Duration.ofSeconds(10), () -> !a.allows() && !b.allows());

    pg.stopServer();
    Awaits.holdsFor(
        "nothing allowed while the database is gone",
        Duration.ofSeconds(20),
        () -> !a.allows() && !b.allows());
    chain.resume(); // the chain is back before the database: still nothing allowed
    assertThat(a.breaker.snapshot().token("PXL").orElseThrow().withdrawal().reason())
        .isEqualTo(Reason.VIEW_STALE);
    assertThat(b.breaker.snapshot().token("PXL").orElseThrow().withdrawal().reason())
        .isEqualTo(Reason.VIEW_STALE);
    pg.startServer();
    await(Duration.ofSeconds(30), () -> a.allows() && b.allows());
    assertThat(a.breaker.allowsDeposit("PXL")).as("the override survived the outage").isFalse();
    assertThat(b.breaker.allowsDeposit("PXL")).isFalse();
    long leaders = members.stream().filter(m -> m.role() == FleetStatus.Role.LEADER).count();
    assertThat(leaders).isEqualTo(1);
  }

  @Test
  void withPostgresGoneFor20sDuringNormalRunningEveryMemberHoldsWithViewStaleThenAllowsAgain()
      throws Exception {
    Member a = member("a");
    await(Duration.ofSeconds(10), () -> a.allows());
    Member b = member("b");
    await(Duration.ofSeconds(10), () -> b.allows());

    pg.stopServer();
    Instant gone = Instant.now();
    await(Duration.ofSeconds(10), () -> !a.allows() && !b.allows());
    Duration held = Duration.between(gone, Instant.now());
    System.out.printf("fleet: database gone, every member held after %d ms%n", held.toMillis());
    // staleAfter (2.4 s here) after the last contact: the bound, never sooner than the lease
    assertThat(held).isLessThanOrEqualTo(Duration.ofSeconds(5));
    for (Member m : List.of(a, b)) {
      assertThat(m.breaker.snapshot().token("PXL").orElseThrow().withdrawal().reason())
          .isEqualTo(Reason.VIEW_STALE);
      assertThat(m.breaker.fleet().problem()).isNotNull();
    }
    Awaits.holdsFor(
        "nothing allowed without a fresh verdict",
        Duration.ofSeconds(17),
        () -> !a.allows() && !b.allows());
    pg.startServer();
    Instant back = Instant.now();
    await(Duration.ofSeconds(30), () -> a.allows() && b.allows());
    System.out.printf(
        "fleet: database back, every member allowed again after %d ms%n",
        Duration.between(back, Instant.now()).toMillis());
    assertThat(members.stream().filter(m -> m.role() == FleetStatus.Role.LEADER).count())
        .isEqualTo(1);
  }

  @Test
  void aFollowerThatLosesOnlyItsOwnConnectionHoldsWithViewStaleWhileTheOthersGoOn()
      throws Exception {
    Member a = member("a");
    await(Duration.ofSeconds(10), () -> a.allows());
    Member b = member("b");
    await(Duration.ofSeconds(10), () -> b.allows());

    b.cutOff.set(true);
    await(Duration.ofSeconds(10), () -> !b.allows());
    assertThat(b.breaker.snapshot().token("PXL").orElseThrow().withdrawal().reason())
        .isEqualTo(Reason.VIEW_STALE);
    assertThat(b.breaker.fleet().problem()).isNotNull();
    assertThat(a.allows()).as("the leader goes on").isTrue();
    assertThat(a.role()).isEqualTo(FleetStatus.Role.LEADER);

    b.cutOff.set(false);
    await(Duration.ofSeconds(10), () -> b.allows());
  }

  @Test
  void killingTheLeaderProcessDuringAHaltAllowsNothingAndANewLeaderPublishesWithinTtlAndAPoll()
      throws Exception {
    Member watcher = member("watcher");
    await(Duration.ofSeconds(10), () -> watcher.allows());
    // The in-JVM member leads; two processes follow. Make a process lead: close this one.
    Process p1 = process("p1");
    Process p2 = process("p2");
    await(
        Duration.ofSeconds(20),
        () -> out("p1").contains("STARTED p1") && out("p2").contains("STARTED p2"));
    watcher.close();
    members.remove(watcher);
    await(Duration.ofSeconds(10), () -> leaderInDatabase().startsWith("p"));
    String leader = leaderInDatabase();
    Process leaderProcess = leader.equals("p1") ? p1 : p2;
    String other = leader.equals("p1") ? "p2" : "p1";

    Member follower = member("follower");
    await(Duration.ofSeconds(10), () -> follower.allows());
    chain.halt();
    await(Duration.ofSeconds(10), () -> !follower.allows());
    long epoch = epochInDatabase();

    leaderProcess.destroyForcibly(); // SIGKILL: no lease given up
    Instant killed = Instant.now();
    Awaits.until(
        "a new leader, nothing allowed meanwhile",
        Duration.ofSeconds(15),
        () -> {
          assertThat(follower.allows()).as("nothing allowed while nobody leads").isFalse();
          return epochInDatabase() != epoch;
        });
    Duration takeover = Duration.between(killed, Instant.now());
    System.out.printf("fleet: leader killed, new leader after %d ms%n", takeover.toMillis());
    assertThat(epochInDatabase()).isGreaterThan(epoch);
    assertThat(takeover).isLessThanOrEqualTo(Duration.ofMillis(2_000 + 200 + 800));
    Awaits.holdsFor("the follower still holds", Duration.ofSeconds(1), () -> !follower.allows());
    assertThat(out(other) + " " + leaderInDatabase()).containsAnyOf(other, "follower");
    chain.resume();
    await(Duration.ofSeconds(15), () -> follower.allows());
  }

  @Test
  void aLeaderStoppedWithSigstopPastItsTtlIsFencedWhenItWakes() throws Exception {
    Process p1 = process("p1");
    await(Duration.ofSeconds(20), () -> out("p1").contains("ROLE LEADER"));
    Member b = member("b");
    await(Duration.ofSeconds(10), () -> b.allows());
    long epoch = epochInDatabase();

    signal(p1, "STOP");
    await(Duration.ofSeconds(10), () -> b.role() == FleetStatus.Role.LEADER);
    // p1 sleeps on past its lease (its deadlines would call the chain halted); b allows meanwhile
    Awaits.holdsFor("b allows while p1 is stopped", Duration.ofSeconds(3), () -> b.allows());
    assertThat(epochInDatabase()).isGreaterThan(epoch);
    long newEpoch = epochInDatabase();
    Instant woke = Instant.now();
    signal(p1, "CONT");
    await(Duration.ofSeconds(10), () -> out("p1").contains("ROLE FOLLOWER"));
    Awaits.holdsFor(
        "the woken p1 stays fenced: b leads and allows",
        Duration.ofSeconds(1),
        () -> b.allows() && leaderInDatabase().equals("b"));

    assertThat(epochInDatabase()).isEqualTo(newEpoch);
    assertThat(leaderInDatabase()).isEqualTo("b");
    assertThat(b.allows()).isTrue();
    assertThat(count("SELECT count(*) FROM chain_breaker_verdict WHERE epoch <> " + newEpoch))
        .as("every verdict is the new leader's")
        .isZero();
    assertThat(
            count(
                "SELECT count(*) FROM chain_breaker_audit WHERE instance_id = 'p1' AND at >= '"
                    + woke.minusSeconds(4)
                    + "'"))
        .as("nothing p1 concluded after the takeover reached the trail")
        .isZero();
  }

  // ---- helpers ----

  private final Map<String, StringBuffer> lines = new ConcurrentHashMap<>();

  private Process process(String id) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                FleetMember.class.getName(),
                jdbcUrl(),
                endpoint.url(),
                id,
                "2000",
                "200")
            .redirectErrorStream(true)
            .start();
    processes.add(p);
    StringBuffer out = new StringBuffer();
    lines.put(id, out);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  out.append(line).append('\n');
                }
              } catch (Exception ignored) {
                // the process is gone
              }
            },
            "fleet-member-" + id);
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  private String out(String id) {
    StringBuffer b = lines.get(id);
    return b == null ? "" : b.toString();
  }

  private String jdbcUrl() throws SQLException {
    try (Connection c = pg.dataSource().getConnection()) {
      return c.getMetaData().getURL();
    }
  }

  private static void signal(Process p, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  private long count(String sql) throws SQLException {
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private long epochInDatabase() throws SQLException {
    return count("SELECT epoch FROM chain_breaker_lease WHERE fleet = 'exchange'");
  }

  private String leaderInDatabase() throws SQLException {
    try (Connection c = pg.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT coalesce(holder, '') FROM chain_breaker_lease"
                    + " WHERE expires_at > clock_timestamp() ORDER BY epoch DESC LIMIT 1")) {
      return rs.next() ? rs.getString(1) : "";
    }
  }

  /** A condition that may ask the database. */
  @FunctionalInterface
  private interface Check {
    boolean holds() throws Exception;
  }

  private static void await(Duration timeout, Check condition) {
    Awaits.until("the condition", timeout, condition::holds);
  }

  /** {@code ds}, whose connections fail (as to a host cut off) while {@code cut} is set. */
  private static DataSource cuttable(DataSource ds, AtomicBoolean cut) {
    return (DataSource)
        Proxy.newProxyInstance(
            JdbcFleetTest.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getConnection") && cut.get()) {
                throw new SQLTransientConnectionException("connection refused (cut off)");
              }
              try {
                return method.invoke(ds, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
