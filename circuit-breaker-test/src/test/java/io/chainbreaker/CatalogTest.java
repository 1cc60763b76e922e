package io.chainbreaker;

import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.store.InMemoryStateStore;
import io.chainbreaker.test.ScriptedHeadSource;
import io.chainbreaker.test.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The live catalog of a running engine, on virtual time. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class CatalogTest {

  private static final long TRON = 728_126_428;
  private static final String TRON_URL = "https://tron.example/jsonrpc";

  /**
   * Adds network {@code tron} (its endpoint mines only when told) carrying USDT, as is USDT on
   * klaytn.
   */
  private static ScriptedHeadSource addTron(Harness rig) {
    ScriptedHeadSource tron = new ScriptedHeadSource(TRON, 60_000_000, rig.time.clock());
    rig.sources.put(TRON_URL, tron);
    rig.breaker.change(
        CatalogChange.by("listing-bot")
            .putNetwork(
                NetworkConfig.builder("tron")
                    .chainId(TRON)
                    .rpcUrls(TRON_URL)
                    .blockInterval(Duration.ofSeconds(3))
                    .haltAfter(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofSeconds(1))
                    .build())
            .putToken(TokenConfig.of("USDT", "tron"))
            .putToken(TokenConfig.of("USDT", "klaytn"))
            .build());
    rig.time.runDue();
    return tron;
  }

  @Test
  void anAssetOnTwoNetworksIsAnsweredPerNetworkAndNeverBySymbolAlone() {
    try (Harness rig = new Harness().started()) {
      ScriptedHeadSource tron = addTron(rig);

      assertThat(rig.breaker.allowsWithdrawal("USDT", "tron")).isTrue();
      assertThat(rig.breaker.allowsWithdrawal("USDT", "klaytn")).isTrue();
      assertThatThrownBy(() -> rig.breaker.allowsWithdrawal("USDT"))
          .isInstanceOf(AmbiguousTokenException.class)
          .hasMessageContaining("2 networks")
          .hasMessageContaining("klaytn")
          .hasMessageContaining("tron");
      assertThatThrownBy(() -> rig.breaker.token("USDT"))
          .isInstanceOf(AmbiguousTokenException.class);
      // PXL is on one network: symbol-only queries keep working.
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();

      // klaytn keeps producing; tron halts.
      for (int i = 0; i < 12; i++) {
        rig.produce(1);
        if (i < 1) {
          tron.mine(1);
        }
      }

      assertThat(rig.breaker.network("tron").health()).isEqualTo(NetworkHealth.HALTED);
      assertThat(rig.breaker.allowsWithdrawal("USDT", "tron")).isFalse();
      assertThat(rig.breaker.allowsDeposit("USDT", "tron")).isFalse();
      assertThat(rig.breaker.allowsWithdrawal("USDT", "klaytn")).isTrue();
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
      assertThat(rig.transitions)
          .filteredOn(t -> t.reason() == Reason.HALTED)
          .extracting(t -> t.tokenId().toString())
          .containsOnly("USDT@tron")
          .hasSize(2);
      assertThat(rig.breaker.circuitBreaker("USDT", "tron", WITHDRAWAL).getName())
          .isEqualTo("USDT@tron.withdrawal");
    }
  }

  @Test
  void aTokenIdAsksOneNetworkWhereTheSymbolAloneIsAmbiguous() {
    try (Harness rig = new Harness().started()) {
      ScriptedHeadSource tron = addTron(rig);
      TokenId onTron = TokenId.parse("USDT@tron");
      TokenId onKlaytn = TokenId.of("USDT", "klaytn");

      assertThatThrownBy(() -> rig.breaker.checkWithdrawal("USDT"))
          .isInstanceOf(AmbiguousTokenException.class)
          .hasMessageContaining("klaytn")
          .hasMessageContaining("tron");
      assertThatThrownBy(() -> rig.breaker.allowsDeposit("USDT"))
          .isInstanceOf(AmbiguousTokenException.class);
      assertThat(rig.breaker.allowsWithdrawal(onTron)).isTrue();
      assertThat(rig.breaker.allowsDeposit(onTron)).isTrue();
      rig.breaker.checkDeposit(onTron);
      rig.breaker.checkWithdrawal(onKlaytn);
      assertThat(rig.breaker.token(onTron).tokenId()).isEqualTo(onTron);
      assertThat(rig.breaker.token(onTron).status().tokenId()).isEqualTo(onTron);
      assertThat(rig.breaker.circuitBreaker(onTron, WITHDRAWAL).getName())
          .isEqualTo(onTron + ".withdrawal");

      for (int i = 0; i < 12; i++) {
        rig.produce(1);
        if (i < 1) {
          tron.mine(1);
        }
      }

      assertThat(rig.breaker.allowsWithdrawal(onTron)).isFalse();
      assertThat(rig.breaker.allows(onTron, DEPOSIT)).isFalse();
      assertThat(rig.breaker.allowsWithdrawal(onKlaytn)).isTrue();
      assertThatThrownBy(() -> rig.breaker.checkWithdrawal(onTron))
          .isInstanceOfSatisfying(
              TokenSuspendedException.class,
              e -> {
                assertThat(e.network()).isEqualTo("tron");
                assertThat(e.reason()).isEqualTo(Reason.HALTED);
              });
      assertThatThrownBy(() -> rig.breaker.check(onTron, DEPOSIT))
          .isInstanceOf(TokenSuspendedException.class);
      assertThat(rig.transitions)
          .filteredOn(t -> t.reason() == Reason.HALTED)
          .extracting(TokenTransition::tokenId)
          .containsOnly(onTron);

      BreakerOverride forced =
          rig.breaker.forceAllow(onTron, WITHDRAWAL, "alice", "manual payouts", null);
      assertThat(forced.tokenId()).isEqualTo(onTron);
      assertThat(rig.breaker.allowsWithdrawal(onTron)).isTrue();
      rig.breaker.clearOverride(onTron, WITHDRAWAL, "alice");
      assertThat(rig.breaker.allowsWithdrawal(onTron)).isFalse();
      rig.breaker.forceSuspend(onKlaytn, DEPOSIT, "alice", "audit", null);
      assertThat(rig.breaker.allowsDeposit(onKlaytn)).isFalse();
      assertThat(rig.breaker.awaitAllowed(onKlaytn, WITHDRAWAL)).isCompleted();
    }
  }

  @Test
  void aTokenIdNotListedIsUnknownNamingWhereItsSymbolIs() {
    try (Harness rig = new Harness().started()) {
      addTron(rig);
      assertThatThrownBy(() -> rig.breaker.allowsDeposit(TokenId.of("USDT", "solana")))
          .isInstanceOf(UnknownTokenException.class)
          .hasMessageContaining("on network 'solana'; it is listed on [")
          .hasMessageContaining("klaytn")
          .hasMessageContaining("tron");
      rig.breaker.change(CatalogChange.by("bot").removeToken(TokenId.of("USDT", "tron")).build());
      assertThat(rig.breaker.catalog().token(TokenId.of("USDT", "tron"))).isNull();
      assertThat(rig.breaker.catalog().token(TokenId.of("USDT", "klaytn"))).isNotNull();
      // Listed on one network again: the symbol alone answers.
      assertThat(rig.breaker.allowsDeposit("USDT")).isTrue();
    }
  }

  @Test
  void aTokenAddedToAHealthyNetworkIsAllowedAtOnceAndNoOtherTokenMoves() {
    try (Harness rig = new Harness().started()) {
      rig.produce(2);
      int before = rig.transitions.size();

      rig.breaker.change(
          CatalogChange.by("alice").putToken(TokenConfig.of("NEW", "klaytn")).build());
      // Allowed when change() returns, before the monitor's next turn.
      assertThat(rig.breaker.allowsWithdrawal("NEW")).isTrue();
      rig.time.runDue(); // the monitor's next turn, with no time passing

      assertThat(rig.breaker.allowsDeposit("NEW")).isTrue();
      assertThat(rig.breaker.allowsWithdrawal("NEW", "klaytn")).isTrue();
      assertThat(rig.transitions.subList(before, rig.transitions.size()))
          .allMatch(t -> t.symbol().equals("NEW"));
      assertThat(rig.breaker.catalog().tokens())
          .extracting(TokenConfig::symbol)
          .containsExactly("COSM", "DTA", "PXL", "NEW");
    }
  }

  @Test
  void aRemovedTokenThrowsUnknownTokenAndAHeldHandleAnswersFalse() {
    try (Harness rig = new Harness().started()) {
      TokenHandle held = rig.breaker.token("DTA");
      assertThat(held.allowsWithdrawal()).isTrue();
      int before = rig.transitions.size();

      rig.breaker.change(CatalogChange.by("alice").removeToken("DTA", "klaytn").build());

      assertThatThrownBy(() -> rig.breaker.allowsWithdrawal("DTA"))
          .isInstanceOf(UnknownTokenException.class);
      assertThatThrownBy(() -> rig.breaker.allowsDeposit("DTA", "klaytn"))
          .isInstanceOf(UnknownTokenException.class);
      assertThat(held.allowsWithdrawal()).isFalse();
      assertThat(held.allowsDeposit()).isFalse();
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
      assertThat(rig.transitions.subList(before, rig.transitions.size()))
          .allMatch(t -> t.symbol().equals("DTA"));
      rig.produce(3);
      assertThat(rig.transitions.subList(before, rig.transitions.size()))
          .allMatch(t -> t.symbol().equals("DTA"));
    }
  }

  @Test
  void aReplacedNetworkKeepsHeadHealthAndBreakersAndItsNewRulesApply() {
    try (Harness rig = new Harness().started()) {
      rig.produce(5);
      DirectionStatus pxlBefore = rig.status("PXL", WITHDRAWAL);
      long head = rig.network().head().number();
      int before = rig.transitions.size();
      // Rotate the endpoint as operators do: add the new one beside node0, then drop node0;
      // haltAfter goes from 10 s to 30 s.
      String node0 = "https://node0.example/v3/secretkey0123456789abcdef";
      String rotated = "https://rotated.example/v3/anotherkey0123456789abcdef";
      ScriptedHeadSource fresh =
          new ScriptedHeadSource(Harness.CHAIN, rig.endpoint(0).number(), rig.time.clock());
      rig.sources.put(rotated, fresh);
      rig.endpoints.add(fresh);
      rig.breaker.change(CatalogChange.by("alice").putNetwork(klaytn(node0, rotated)).build());
      rig.time.runDue();
      rig.produce(1);
      rig.breaker.change(CatalogChange.by("alice").putNetwork(klaytn(rotated)).build());
      rig.endpoints.remove(0);
      rig.time.runDue();
      long now = rig.network().head().number();
      assertThat(now).isGreaterThanOrEqualTo(head); // kept, not reset to unknown
      assertThat(rig.network().health()).isEqualTo(NetworkHealth.HEALTHY);
      assertThat(rig.network().endpoints()).hasSize(1);
      assertThat(rig.status("PXL", WITHDRAWAL)).isEqualTo(pxlBefore);
      rig.produce(2);
      assertThat(rig.network().head().number()).isEqualTo(now + 2); // the rotated endpoint's

      rig.idle(Duration.ofSeconds(20)); // past the old haltAfter, within the new one
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
      assertThat(rig.transitions).hasSize(before);
      rig.idle(Duration.ofSeconds(11));
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isFalse();
      assertThat(rig.status("PXL", DEPOSIT).reason()).isEqualTo(Reason.HALTED);
    }
  }

  @Test
  void replacingEveryEndpointInOneChangeNeitherSuspendsNorLosesTheHead() {
    try (Harness rig = new Harness().started()) {
      rig.produce(5);
      long head = rig.network().head().number();
      int before = rig.transitions.size();
      String rotated = "https://rotated.example/v3/anotherkey0123456789abcdef";
      ScriptedHeadSource fresh =
          new ScriptedHeadSource(Harness.CHAIN, rig.endpoint(0).number(), rig.time.clock());
      rig.sources.put(rotated, fresh);
      rig.breaker.change(CatalogChange.by("alice").putNetwork(klaytn(rotated)).build());
      rig.endpoints.set(0, fresh);
      rig.time.runDue();
      // The new endpoint has not answered yet: the network's last answer is still recent.
      assertThat(rig.network().health()).isEqualTo(NetworkHealth.HEALTHY);
      rig.produce(3);

      assertThat(rig.network().head().number()).isEqualTo(head + 3);
      assertThat(rig.network().endpoints())
          .singleElement()
          .satisfies(e -> assertThat(e.url()).startsWith("https://rotated.example/"));
      assertThat(rig.transitions).hasSize(before);
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();
    }
  }

  private static NetworkConfig klaytn(String... urls) {
    return NetworkConfig.builder("klaytn")
        .chainId(Harness.CHAIN)
        .rpcUrls(urls)
        .blockInterval(Duration.ofSeconds(1))
        .haltAfter(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .depositRecovery(RecoveryRule.of(3, Duration.ofSeconds(5)))
        .withdrawalRecovery(RecoveryRule.of(6, Duration.ofSeconds(10)))
        .build();
  }

  @Test
  void aBadChangeIsRefusedWholeWithAClearMessageAndNothingApplied() {
    try (Harness rig = new Harness().started()) {
      Catalog before = rig.breaker.catalog();

      assertThatThrownBy(
              () ->
                  rig.breaker.change(
                      CatalogChange.by("alice")
                          .putToken(TokenConfig.of("GOOD", "klaytn"))
                          .putToken(TokenConfig.of("USDT", "solana"))
                          .build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nothing applied")
          .hasMessageContaining("solana");
      assertThatThrownBy(
              () ->
                  rig.breaker.change(
                      CatalogChange.by("alice")
                          .putToken(TokenConfig.of("GOOD", "klaytn"))
                          .removeNetwork("klaytn")
                          .build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nothing applied")
          .hasMessageContaining("klaytn");
      assertThatThrownBy(
              () ->
                  rig.breaker.change(
                      CatalogChange.by("alice")
                          .putToken(TokenConfig.of("GOOD", "klaytn"))
                          .putToken(
                              TokenConfig.of("GOOD", "klaytn")
                                  .withContract("0x7a1cdca99fe5995ab8e317ede8495c07cbf488ad"))
                          .build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nothing applied")
          .hasMessageContaining("GOOD");
      assertThatThrownBy(
              () ->
                  rig.breaker.change(
                      CatalogChange.by("alice")
                          .putToken(TokenConfig.of("GOOD", "klaytn"))
                          .removeToken("GONE", "klaytn")
                          .build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nothing applied")
          .hasMessageContaining("GONE");

      assertThat(rig.breaker.catalog()).isEqualTo(before);
      assertThatThrownBy(() -> rig.breaker.allowsDeposit("GOOD"))
          .isInstanceOf(UnknownTokenException.class);
      assertThat(rig.store.catalogAudit(Instant.EPOCH, Instant.MAX, 100)).isEmpty();
    }
  }

  @Test
  void aChangeIsAuditedWithItsActor() {
    try (Harness rig = new Harness().started()) {
      rig.breaker.change(
          CatalogChange.by("alice")
              .putToken(TokenConfig.of("NEW", "klaytn"))
              .removeToken("DTA", "klaytn")
              .build());

      assertThat(rig.store.catalogAudit(Instant.EPOCH, Instant.MAX, 100))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.actor()).isEqualTo("alice");
                assertThat(r.change()).isEqualTo("token NEW@klaytn, -token DTA@klaytn");
                assertThat(r.at()).isEqualTo(rig.time.now());
              });
    }
  }

  @Test
  void queriesDuringCatalogChangesNeverFailOtherwiseNorAnswerWrongly() throws Exception {
    try (Harness rig = new Harness().started()) {
      TokenHandle pxl = rig.breaker.token("PXL");
      AtomicBoolean stop = new AtomicBoolean();
      Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
      AtomicLong unknown = new AtomicLong();
      AtomicLong answered = new AtomicLong();
      int readers = 4;
      CountDownLatch done = new CountDownLatch(readers);
      for (int r = 0; r < readers; r++) {
        Thread reader =
            new Thread(
                () -> {
                  try {
                    while (!stop.get()) {
                      // Never touched by the changes: always allowed, never an exception.
                      if (!pxl.allowsWithdrawal()
                          || !rig.breaker.allowsDeposit("COSM")
                          || !rig.breaker.allowsWithdrawal("PXL", "klaytn")) {
                        failures.add(
                            new AssertionError("a token no change touched was not allowed"));
                      }
                      try {
                        // Listed and delisted in a loop: allowed, or not yet evaluated, or gone.
                        rig.breaker.allowsWithdrawal("NEW", "klaytn");
                        rig.breaker.token("NEW").status();
                        answered.incrementAndGet();
                      } catch (UnknownTokenException e) {
                        unknown.incrementAndGet();
                      }
                    }
                  } catch (Throwable t) {
                    failures.add(t);
                  } finally {
                    done.countDown();
                  }
                },
                "reader-" + r);
        reader.start();
      }
      for (int i = 0; i < 2_000; i++) {
        rig.breaker.change(
            CatalogChange.by("bot").putToken(TokenConfig.of("NEW", "klaytn")).build());
        rig.breaker.change(CatalogChange.by("bot").removeToken("NEW", "klaytn").build());
      }
      stop.set(true);
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();

      assertThat(failures).isEmpty();
      assertThat(answered.get() + unknown.get()).isPositive();
      assertThat(rig.breaker.catalog().tokens())
          .extracting(TokenConfig::symbol)
          .containsExactly("COSM", "DTA", "PXL");
      assertThat(rig.transitions)
          .allMatch(t -> t.symbol().equals("NEW") || t.from() == BreakerState.SUSPENDED);
      assertThat(List.of(pxl.allowsWithdrawal(), pxl.allowsDeposit())).containsOnly(true);
    }
  }

  /**
   * An engine on virtual time over scripted endpoints, like the kit's rig, except that endpoints
   * can be added while it runs (networks and URLs put by catalog changes): network {@code klaytn}
   * (chain 8217, 1 s blocks, haltAfter 10 s, poll 1 s) carrying COSM, DTA and PXL.
   */
  static final class Harness implements AutoCloseable {
    static final long CHAIN = 8217;
    final VirtualTime time = VirtualTime.startingAt(Instant.parse("2020-03-29T14:00:00Z"));
    final Map<String, ScriptedHeadSource> sources = new HashMap<>();

    /** The endpoints that mine in {@link #produce}. */
    final List<ScriptedHeadSource> endpoints = new ArrayList<>();

    final List<TokenTransition> transitions = new CopyOnWriteArrayList<>();
    final InMemoryStateStore store = new InMemoryStateStore();
    final ChainBreaker breaker;

    Harness() {
      String url = "https://node0.example/v3/secretkey0123456789abcdef";
      ScriptedHeadSource node0 = new ScriptedHeadSource(CHAIN, 24_002_300, time.clock());
      sources.put(url, node0);
      endpoints.add(node0);
      breaker =
          ChainBreaker.builder()
              .network(
                  NetworkConfig.builder("klaytn")
                      .chainId(CHAIN)
                      .rpcUrls(url)
                      .blockInterval(Duration.ofSeconds(1))
                      .haltAfter(Duration.ofSeconds(10))
                      .pollInterval(Duration.ofSeconds(1))
                      .depositRecovery(RecoveryRule.of(3, Duration.ofSeconds(5)))
                      .withdrawalRecovery(RecoveryRule.of(6, Duration.ofSeconds(10)))
                      .build())
              .token("COSM", "klaytn")
              .token("DTA", "klaytn")
              .token(
                  TokenConfig.of("PXL", "klaytn")
                      .withContract("0x7a1cdca99fe5995ab8e317ede8495c07cbf488ad"))
              .stateStore(store)
              .clock(time.clock())
              .ticker(time::nanoTime)
              .scheduler(time.newScheduler())
              .watchdogScheduler(time.newScheduler())
              .ioExecutor(Runnable::run)
              .headSources((net, u) -> sources.get(u.uri().toString()))
              .build();
      breaker.events().onTokenTransition(transitions::add);
    }

    Harness started() {
      breaker.start();
      time.runDue();
      return this;
    }

    ScriptedHeadSource endpoint(int i) {
      return endpoints.get(i);
    }

    /** A second passes, then every mining endpoint produces a block. */
    void produce(int seconds) {
      for (int i = 0; i < seconds; i++) {
        time.advance(Duration.ofSeconds(1));
        endpoints.forEach(e -> e.mine(1));
      }
    }

    void idle(Duration d) {
      time.advance(d);
    }

    DirectionStatus status(String symbol, Direction d) {
      return breaker.snapshot().token(symbol).orElseThrow().status(d);
    }

    NetworkStatus network() {
      return breaker.snapshot().network("klaytn").orElseThrow();
    }

    @Override
    public void close() {
      breaker.close();
    }
  }
}
