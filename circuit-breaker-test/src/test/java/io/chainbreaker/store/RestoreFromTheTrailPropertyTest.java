package io.chainbreaker.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.BreakerState;
import io.chainbreaker.CatalogChange;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.DirectionStatus;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.TokenConfig;
import io.chainbreaker.test.ScriptedHeadSource;
import io.chainbreaker.test.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Restoring from the audit trail, as a property: for random histories of one network (blocks,
 * halts, operators' overrides with and without a time to live, clears, delistings and listings
 * again), an engine on PostgreSQL restarted at random points never allows a token in a direction
 * that an engine which never stopped (same chain, same operators, same virtual time) holds
 * suspended. Restarting may only make an engine more careful.
 *
 * <p>Histories come from a seeded {@link Random}: a failure names its seed and its steps, and
 * {@code -Drestore.seed=N} replays it. Tries are bounded so the test stays well under a minute.
 */
class RestoreFromTheTrailPropertyTest {

  private static final int TRIES = Integer.getInteger("restore.tries", 16);
  private static final Instant START = Instant.parse("2020-03-29T14:00:00Z");
  private static final Duration HALT_AFTER = Duration.ofSeconds(10);
  private static final List<String> TOKENS = List.of("PXL", "DTA", "COSM");

  private static PostgresServer postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  /** One step of a history. */
  sealed interface Step {}

  /** {@code count} blocks, one a second. */
  record Blocks(int count) implements Step {}

  /** No block for {@code seconds}. */
  record Idle(int seconds) implements Step {}

  /** An operator forces {@code state}, for {@code ttlSeconds} or until cleared (null). */
  record Force(String symbol, Direction direction, BreakerState state, @Nullable Integer ttlSeconds)
      implements Step {}

  /** An operator clears the override. */
  record Clear(String symbol, Direction direction) implements Step {}

  /** The token is removed from the catalog. */
  record Delist(String symbol) implements Step {}

  /** The token is listed (again). */
  record Relist(String symbol) implements Step {}

  /** The engine under test stops and a new one starts on the same database. */
  record Restart() implements Step {}

  static List<Step> randomHistory(Random r) {
    List<Step> steps = new ArrayList<>();
    steps.add(new Blocks(3 + r.nextInt(5)));
    int length = 6 + r.nextInt(18);
    for (int i = 0; i < length; i++) {
      int dice = r.nextInt(100);
      String token = TOKENS.get(r.nextInt(TOKENS.size()));
      Direction d = Direction.values()[r.nextInt(2)];
      if (dice < 28) {
        steps.add(new Blocks(1 + r.nextInt(12)));
      } else if (dice < 48) {
        steps.add(new Idle(2 + r.nextInt(24)));
      } else if (dice < 64) {
        steps.add(
            new Force(
                token,
                d,
                r.nextBoolean() ? BreakerState.ALLOWED : BreakerState.SUSPENDED,
                r.nextInt(3) == 0 ? null : 2 + r.nextInt(30)));
      } else if (dice < 72) {
        steps.add(new Clear(token, d));
      } else if (dice < 77) {
        steps.add(new Delist(token));
      } else if (dice < 82) {
        steps.add(new Relist(token));
      } else {
        steps.add(new Restart());
      }
    }
    steps.add(new Blocks(15));
    return steps;
  }

  @Test
  @Timeout(60)
  void anEngineRestartedAnywhereInAnyHistoryNeverAllowsWhatANeverStoppedEngineSuspends()
      throws Exception {
    Long fixed = Long.getLong("restore.seed");
    long base = fixed != null ? fixed : new Random().nextLong();
    int tries = fixed != null ? 1 : TRIES;
    int restarts = 0;
    int checks = 0;
    for (int i = 0; i < tries; i++) {
      long seed = base + i;
      List<Step> history = randomHistory(new Random(seed));
      try (World w = new World(postgres.emptyDatabase("PostgreSQL"))) {
        w.run(history, "seed " + seed + " (-Drestore.seed=" + seed + ")");
        restarts += w.restarts;
        checks += w.checks;
      }
    }
    System.out.printf(
        "restore property: %d histories from seed %d, %d restarts, %d checks%n",
        tries, base, restarts, checks);
    assertThat(restarts).as("histories restart the engine").isPositive();
  }

  /**
   * The case that reading only the newest row got wrong: an operator allows a halted token for a
   * while; the engine restarts under the override; when it expires, the chain has resumed but the
   * recovery rule is not met yet. The newest row (the override's) hid the suspension underneath.
   */
  @Test
  @Timeout(30)
  void aTokenAllowedByAnExpiredOverrideRestartsSuspendedIfItWasSuspendedUnderneath()
      throws Exception {
    List<Step> history =
        List.of(
            new Blocks(3),
            new Idle(12),
            new Force("PXL", Direction.WITHDRAWAL, BreakerState.ALLOWED, 8),
            new Blocks(2),
            new Restart(),
            new Blocks(12));
    try (World w = new World(postgres.emptyDatabase("PostgreSQL"))) {
      w.run(history, "the expired override");
      assertThat(w.subject.allowsWithdrawal("PXL")).isTrue();
    }
  }

  /** Two engines on one chain and one virtual time: the reference never stops, the subject does. */
  private static final class World implements AutoCloseable {
    final VirtualTime time = VirtualTime.startingAt(START);
    final ScriptedHeadSource chain = new ScriptedHeadSource(8217, 24_002_300, time.clock());
    final NetworkConfig network =
        NetworkConfig.builder("klaytn")
            .chainId(8217)
            .blockInterval(Duration.ofSeconds(1))
            .haltAfter(HALT_AFTER)
            .pollInterval(Duration.ofSeconds(1))
            .timestampSkew(Duration.ZERO)
            .depositRecovery(RecoveryRule.of(3, Duration.ofSeconds(5)))
            .withdrawalRecovery(RecoveryRule.of(6, Duration.ofSeconds(10)))
            .rpcUrls("https://node0.example/")
            .build();
    final DataSource ds;
    final Set<String> listed = new LinkedHashSet<>(TOKENS);
    final ChainBreaker reference;
    JdbcStateStore store;
    ChainBreaker subject;
    Instant lastBlock = START;
    int restarts;
    int checks;

    World(DataSource ds) {
      this.ds = ds;
      reference = engine(new InMemoryStateStore());
      store = store();
      subject = engine(store);
      time.runDue();
    }

    JdbcStateStore store() {
      return JdbcStateStore.builder(ds)
          .instanceId("subject")
          .createSchema(true)
          .retryInterval(Duration.ofMillis(100))
          .build();
    }

    ChainBreaker engine(StateStore s) {
      ChainBreaker.Builder b =
          ChainBreaker.builder()
              .network(network)
              .stateStore(s)
              .clock(time.clock())
              .ticker(time::nanoTime)
              .scheduler(time.newScheduler())
              .watchdogScheduler(time.newScheduler())
              .ioExecutor(Runnable::run)
              // One instance: the sync only re-reads its own overrides; each read is a new
              // connection (no pool here), so it is kept rare to keep the test fast.
              .overrideSyncInterval(Duration.ofSeconds(15))
              .headSources((settings, url) -> chain);
      listed.forEach(t -> b.token(TokenConfig.of(t, "klaytn")));
      ChainBreaker e = b.build();
      e.start();
      return e;
    }

    void run(List<Step> history, String name) throws Exception {
      for (int i = 0; i < history.size(); i++) {
        Step step = history.get(i);
        String where = name + ", step " + i + " " + step + " of " + history;
        if (step instanceof Blocks b) {
          for (int k = 0; k < b.count(); k++) {
            chain.mine(1);
            lastBlock = time.now();
            time.advance(Duration.ofSeconds(1));
            check(where);
          }
        } else if (step instanceof Idle idle) {
          for (int k = 0; k < idle.seconds(); k++) {
            time.advance(Duration.ofSeconds(1));
            check(where);
          }
        } else if (step instanceof Force f) {
          if (listed.contains(f.symbol())) {
            Duration ttl = f.ttlSeconds() == null ? null : Duration.ofSeconds(f.ttlSeconds());
            for (ChainBreaker e : List.of(reference, subject)) {
              if (f.state() == BreakerState.ALLOWED) {
                e.forceAllow(f.symbol(), f.direction(), "alice", "by the property", ttl);
              } else {
                e.forceSuspend(f.symbol(), f.direction(), "alice", "by the property", ttl);
              }
            }
          }
        } else if (step instanceof Clear c) {
          if (listed.contains(c.symbol())) {
            reference.clearOverride(c.symbol(), c.direction(), "bob");
            subject.clearOverride(c.symbol(), c.direction(), "bob");
          }
        } else if (step instanceof Delist d) {
          if (listed.remove(d.symbol())) {
            CatalogChange change =
                CatalogChange.by("bot").removeToken(d.symbol(), "klaytn").build();
            reference.change(change);
            subject.change(change);
          }
        } else if (step instanceof Relist r) {
          if (listed.add(r.symbol())) {
            CatalogChange change =
                CatalogChange.by("bot").putToken(TokenConfig.of(r.symbol(), "klaytn")).build();
            reference.change(change);
            subject.change(change);
          }
        } else if (step instanceof Restart) {
          assertThat(store.flush(Duration.ofSeconds(10)))
              .as("trail written before " + where)
              .isTrue();
          subject.close();
          store.close();
          store = store();
          subject = engine(store);
          restarts++;
        }
        time.runDue();
        check(where);
      }
    }

    /**
     * Right after {@code haltAfter} without a block, an engine that started during the halt sees it
     * by the block's time, to the second and with no live deadline: the halt rule's own allowance
     * (HaltedRule), not restoring. Checks in that second or two are skipped.
     */
    boolean inFreshHaltDetectionWindow() {
      Duration quiet = Duration.between(lastBlock, time.now());
      return quiet.compareTo(HALT_AFTER) >= 0 && quiet.compareTo(HALT_AFTER.plusSeconds(3)) <= 0;
    }

    void check(String where) {
      if (inFreshHaltDetectionWindow()) {
        return;
      }
      for (String token : listed) {
        for (Direction d : Direction.values()) {
          checks++;
          if (subject.allows(token, d) && !reference.allows(token, d)) {
            DirectionStatus ref = reference.token(token).status().status(d);
            DirectionStatus sub = subject.token(token).status().status(d);
            throw new AssertionError(
                token
                    + " "
                    + d
                    + " allowed early after a restart at "
                    + time.now()
                    + ": the engine that never stopped says "
                    + ref.state()
                    + " "
                    + ref.reason()
                    + " ("
                    + ref.detail()
                    + "), the restarted one "
                    + sub.state()
                    + " "
                    + sub.reason()
                    + " ("
                    + sub.detail()
                    + "); "
                    + where);
          }
        }
      }
    }

    @Override
    public void close() {
      subject.close();
      store.close();
      reference.close();
    }
  }
}
