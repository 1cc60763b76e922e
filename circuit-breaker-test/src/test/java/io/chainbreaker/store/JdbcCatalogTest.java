package io.chainbreaker.store;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.CatalogChange;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Limits;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.Reason;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.TokenConfig;
import io.chainbreaker.TokenHandle;
import io.chainbreaker.TokenTransition;
import io.chainbreaker.UnknownTokenException;
import io.chainbreaker.test.Awaits;
import io.chainbreaker.test.SimulatedChain;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalog table and the catalog rows of the audit trail, on a real PostgreSQL and on H2, and
 * two engines sharing one table.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class JdbcCatalogTest {

  private static final String CONTRACT = "0x7a1cdca99fe5995ab8e317ede8495c07cbf488ad";

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
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

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void putListsRemoveDelistsAndTheTableIsOrderedBySymbolAndNetwork(String kind) throws Exception {
    JdbcCatalog catalog =
        JdbcCatalog.builder(postgres.emptyDatabase(kind))
            .createSchema(true)
            .clock(java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC))
            .build();
    String contract = "0x" + "ab".repeat(20);
    catalog.put(new TokenConfig("USDT", "tron", null), "alice");
    catalog.put(new TokenConfig("USDT", "ethereum", contract), "alice");
    catalog.put(TokenConfig.of("PXL", "klaytn"), "bob");
    // Replacing a row keeps one row per (symbol, network).
    catalog.put(new TokenConfig("PXL", "klaytn", contract), "carol");

    assertThat(catalog.list())
        .containsExactly(
            new JdbcCatalog.Entry(new TokenConfig("PXL", "klaytn", contract), "carol", T0),
            new JdbcCatalog.Entry(new TokenConfig("USDT", "ethereum", contract), "alice", T0),
            new JdbcCatalog.Entry(TokenConfig.of("USDT", "tron"), "alice", T0));
    assertThat(catalog.remove("USDT", "tron", "alice")).isTrue();
    assertThat(catalog.remove("USDT", "tron", "alice")).isFalse();
    assertThat(catalog.tokens())
        .extracting(t -> t.tokenId().toString())
        .containsExactly("PXL@klaytn", "USDT@ethereum");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aNameOverItsLimitIsRefusedAtTheEdgeNamingTheFieldAndTheLimit(String kind) throws Exception {
    JdbcCatalog catalog =
        JdbcCatalog.builder(postgres.emptyDatabase(kind)).createSchema(true).build();
    String longNetwork = "n".repeat(Limits.NETWORK + 1);

    assertThatThrownBy(() -> catalog.put(TokenConfig.of("USDT", longNetwork), "alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("network of token USDT must be at most 64 characters but had 65");
    assertThatThrownBy(() -> catalog.put(TokenConfig.of("USDT", "tron"), "a".repeat(101)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("override actor must be at most 100 characters but had 101");
    // The longest of each fits the table.
    TokenConfig longest = TokenConfig.of("S".repeat(Limits.SYMBOL), "n".repeat(Limits.NETWORK));
    catalog.put(longest, "a".repeat(Limits.ACTOR));
    assertThat(catalog.tokens()).containsExactly(longest);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aWriteTheDatabaseRefusesThrowsNamingTheToken(String kind) throws Exception {
    DataSource ds = postgres.emptyDatabase(kind);
    // A table narrower than the limits (made by hand, not by the schema scripts).
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE chain_breaker_catalog (symbol VARCHAR(32) NOT NULL, network VARCHAR(8)"
              + " NOT NULL, contract VARCHAR(64), listed_by VARCHAR(200) NOT NULL, listed_at"
              + " TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (symbol, network))");
    }
    JdbcCatalog catalog = JdbcCatalog.builder(ds).build();

    assertThatThrownBy(() -> catalog.put(TokenConfig.of("USDT", "ethereum-classic"), "alice"))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("catalog table refused to list USDT on ethereum-classic");
    assertThat(catalog.list()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void catalogChangesShareTheAuditTrailWithoutDisturbingTransitionReads(String kind)
      throws Exception {
    JdbcStateStore store = store(postgres.emptyDatabase(kind), "exchange-1");
    store.append(
        new TokenTransition(
            "PXL",
            "klaytn",
            WITHDRAWAL,
            ALLOWED,
            SUSPENDED,
            Reason.HALTED,
            "no new head",
            T0,
            7L,
            null));
    store.append(
        CatalogChange.by("alice")
            .putToken(TokenConfig.of("USDT", "tron"))
            .removeToken("PXL", "klaytn")
            .build(),
        T0.plusSeconds(1));
    store.append(
        new TokenTransition(
            "PXL",
            "klaytn",
            WITHDRAWAL,
            SUSPENDED,
            ALLOWED,
            Reason.HEALTHY,
            "recovered",
            T0.plusSeconds(2),
            9L,
            null));
    assertThat(store.flush(Duration.ofSeconds(10))).isTrue();

    List<CatalogRecord> changes = store.catalogAudit(T0, T0.plusSeconds(10), 100);
    assertThat(changes).hasSize(1);
    CatalogRecord r = changes.get(0);
    assertThat(r.change()).isEqualTo("token USDT@tron, -token PXL@klaytn");
    assertThat(r.actor()).isEqualTo("alice");
    assertThat(r.instance()).isEqualTo("exchange-1");
    assertThat(r.at()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.audit("PXL", T0, T0.plusSeconds(10), 100))
        .extracting(a -> a.id())
        .isSorted()
        .hasSize(2)
        .doesNotContain(r.id());
    assertThat(store.audit("PXL", T0, T0.plusSeconds(10), 100).get(1).id()).isGreaterThan(r.id());
    assertThat(store.lastTransitions()).extracting(TokenTransition::to).containsExactly(ALLOWED);
    assertThat(store.catalogAudit(T0.plusSeconds(2), T0.plusSeconds(10), 100)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void twoInstancesSharingTheTableListAndDelistWithinTheSyncInterval(String kind) throws Exception {
    DataSource ds = postgres.emptyDatabase(kind);
    try (SimulatedChain chain = SimulatedChain.builder().chainId(8217).build()) {
      chain.produceBlocks(Duration.ofMillis(100));
      JdbcStateStore storeA = store(ds, "a");
      JdbcStateStore storeB = store(ds, "b");
      JdbcCatalog catalogA = JdbcCatalog.builder(ds).createSchema(true).build();
      JdbcCatalog catalogB = JdbcCatalog.builder(ds).build();
      java.util.concurrent.atomic.AtomicInteger readsA =
          new java.util.concurrent.atomic.AtomicInteger();
      CatalogSource countedA =
          () -> {
            readsA.incrementAndGet();
            return catalogA.tokens();
          };
      ChainBreaker a = engine(storeA, countedA, chain);
      ChainBreaker b = engine(storeB, catalogB, chain);
      a.start();
      b.start();
      await(
          () -> a.allowsWithdrawal("PXL") && b.allowsWithdrawal("PXL"),
          () -> "PXL allowed on both: " + a.snapshot() + " / " + b.snapshot());

      // What the actuator does: write the table, then apply the change here at once.
      TokenConfig usdt = TokenConfig.of("USDT", "klaytn");
      catalogA.put(usdt, "alice");
      a.change(CatalogChange.by("alice").putToken(usdt).build());
      // Evaluated on the monitor thread at its next turn: milliseconds, not a sync interval.
      await(() -> a.allowsWithdrawal("USDT", "klaytn"), "USDT allowed on a");
      await(() -> b.catalog().tokens().contains(usdt), "USDT listed on b");
      await(() -> b.allowsWithdrawal("USDT", "klaytn"), "USDT allowed on b");
      assertThat(b.allowsDeposit("USDT")).isTrue();
      TokenHandle heldByB = b.token("USDT", "klaytn");
      TokenHandle heldByA = a.token("USDT", "klaytn");
      // The table's row makes USDT the source's on a once a has read the table with it there.
      int reads = readsA.get();
      await(() -> readsA.get() >= reads + 2, "a read the table since USDT was put");

      catalogB.remove("USDT", "klaytn", "bob");
      b.change(CatalogChange.by("bob").removeToken("USDT", "klaytn").build());
      assertThatThrownBy(() -> b.allowsWithdrawal("USDT", "klaytn"))
          .isInstanceOf(UnknownTokenException.class);
      assertThat(heldByB.allowsWithdrawal()).isFalse();
      // A listed it by hand, yet the table's removal delists it there too.
      await(() -> !a.catalog().tokens().contains(usdt), "USDT delisted on a");
      assertThat(heldByA.allowsWithdrawal()).isFalse();
      assertThatThrownBy(() -> a.allowsDeposit("USDT", "klaytn"))
          .isInstanceOf(UnknownTokenException.class);

      // A token configured in code is not the table's: a row for it changes nothing, neither
      // while it is there nor when it goes. A marker row listed after it tells when both
      // instances have read the table in that state, instead of sleeping through syncs.
      TokenConfig marker = TokenConfig.of("MARK", "klaytn");
      catalogA.put(TokenConfig.of("PXL", "klaytn").withContract(CONTRACT), "mallory");
      catalogA.put(marker, "mallory");
      await(
          () -> a.catalog().tokens().contains(marker) && b.catalog().tokens().contains(marker),
          "the marker listed on both");
      assertThat(a.catalog().tokens("PXL")).containsExactly(TokenConfig.of("PXL", "klaytn"));
      assertThat(b.catalog().tokens("PXL")).containsExactly(TokenConfig.of("PXL", "klaytn"));
      catalogA.remove("PXL", "klaytn", "mallory");
      catalogA.remove("MARK", "klaytn", "mallory");
      await(
          () -> !a.catalog().tokens().contains(marker) && !b.catalog().tokens().contains(marker),
          "the marker delisted on both");
      assertThat(a.allowsWithdrawal("PXL")).isTrue();
      assertThat(b.allowsWithdrawal("PXL")).isTrue();

      assertThat(storeA.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(storeB.flush(Duration.ofSeconds(5))).isTrue();
      List<CatalogRecord> trail =
          storeA.catalogAudit(Instant.EPOCH, Instant.now().plusSeconds(60), 100);
      assertThat(trail)
          .extracting(r -> r.actor() + "@" + r.instance() + ": " + r.change())
          .contains(
              "alice@a: token USDT@klaytn",
              "catalog source@b: token USDT@klaytn",
              "bob@b: -token USDT@klaytn",
              "catalog source@a: -token USDT@klaytn")
          .noneMatch(line -> line.contains("PXL"));
    }
  }

  private ChainBreaker engine(StateStore store, CatalogSource source, SimulatedChain chain) {
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
            .token("PXL", "klaytn")
            .stateStore(store)
            .catalogSource(source)
            .overrideSyncInterval(Duration.ofMillis(200))
            .build();
    closing.add(breaker);
    return breaker;
  }

  /** Real time here: two engines, one database, polled as an operator would. */
  private static void await(BooleanSupplier condition, String what) {
    Awaits.until(what, Duration.ofSeconds(10), condition::getAsBoolean);
  }

  /** As above, with a message built when the wait fails (to show the state then). */
  private static void await(BooleanSupplier condition, java.util.function.Supplier<String> what) {
    try {
      Awaits.until("the condition holds", Duration.ofSeconds(10), condition::getAsBoolean);
    } catch (AssertionError e) {
      throw new AssertionError(what.get() + " not within 10 s", e);
    }
  }
}
