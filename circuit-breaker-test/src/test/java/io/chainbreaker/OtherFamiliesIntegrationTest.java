package io.chainbreaker;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.RECOVERING;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.test.Awaits;
import io.chainbreaker.test.SimulatedChain;
import io.chainbreaker.test.SimulatedEndpoint;
import io.chainbreaker.test.TransitionQueue;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every non-EVM family end to end: the engine's built-in head source of the family, over real HTTP,
 * against the simulated chain speaking that family's API, in real time.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OtherFamiliesIntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private SimulatedChain chain;
  private ChainBreaker breaker;
  private final TransitionQueue transitions = new TransitionQueue();

  @AfterEach
  void close() {
    if (breaker != null) {
      breaker.close();
    }
    if (chain != null) {
      chain.close();
    }
  }

  private ChainBreaker start(Protocol protocol, List<SimulatedEndpoint> endpoints) {
    NetworkConfig.Builder network =
        NetworkConfig.builder("net-" + protocol.name().toLowerCase(Locale.ROOT))
            .protocol(protocol)
            .identity(chain.identity(protocol.name()))
            .blockInterval(Duration.ofMillis(100))
            .haltAfter(Duration.ofMillis(1500))
            .pollInterval(Duration.ofMillis(100))
            .requestTimeout(Duration.ofMillis(500))
            .chainIdCheckInterval(Duration.ofMillis(300))
            .syncingCheckInterval(Duration.ofMillis(300))
            .recovery(RecoveryRule.of(3, Duration.ofMillis(300)));
    endpoints.forEach(e -> network.rpcUrls(e.url().replace("http://", "http://user:s3cret@")));
    breaker =
        ChainBreaker.builder()
            .network(network.build())
            .token("USDT", network.build().name())
            .build();
    breaker.events().onTokenTransition(transitions);
    breaker.start();
    transitions.await("USDT", WITHDRAWAL, ALLOWED, WAIT);
    return breaker;
  }

  private void chain() {
    // Chain id 4: Aptos chain ids are one byte.
    chain =
        SimulatedChain.builder()
            .chainId(4)
            .firstBlock(1_000)
            .history(50, Duration.ofSeconds(1))
            .build();
    chain.produceBlocks(Duration.ofMillis(100));
  }

  @ParameterizedTest
  @EnumSource(value = Protocol.class, names = "EVM", mode = EnumSource.Mode.EXCLUDE)
  void suspendsWhenTheChainHaltsAndResumesAfterRecovery(Protocol protocol) {
    chain();
    start(protocol, List.of(chain.endpoint(), chain.addEndpoint()));
    String name = breaker.snapshot().networks().get(0).name();
    assertThat(breaker.network(name).health()).isEqualTo(NetworkHealth.HEALTHY);
    awaitEndpoint(name, 0, "OK", s -> s.state() == EndpointState.OK);
    awaitEndpoint(name, 1, "OK", s -> s.state() == EndpointState.OK);
    assertThat(chain.endpoint().lastAuthorization()).startsWith("Basic ");

    chain.halt();
    TokenTransition halt = transitions.await("USDT", WITHDRAWAL, SUSPENDED, WAIT);
    assertThat(halt.reason()).isEqualTo(Reason.HALTED);
    assertThat(halt.head()).isEqualTo(chain.head().number());

    chain.resume();
    transitions.await("USDT", WITHDRAWAL, RECOVERING, WAIT);
    transitions.await("USDT", WITHDRAWAL, ALLOWED, WAIT);
    assertThat(breaker.allowsWithdrawal("USDT")).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = Protocol.class, names = "EVM", mode = EnumSource.Mode.EXCLUDE)
  void badAnswersExcludeTheEndpointWithAClearErrorNamingNetworkAndMaskedEndpoint(Protocol protocol)
      throws Exception {
    chain();
    SimulatedEndpoint good = chain.endpoint();
    SimulatedEndpoint bad = chain.addEndpoint();
    String log =
        LogCapture.of(
            () -> {
              start(protocol, List.of(good, bad));
              String name = breaker.snapshot().networks().get(0).name();

              bad.respondWithBody("{\"jsonrpc\":\"2.0\",\"result\":");
              awaitEndpoint(
                  name,
                  1,
                  "malformed JSON",
                  s ->
                      s.state() == EndpointState.FAILING
                          && s.lastError() != null
                          && s.lastError().contains("malformed"));

              bad.healthy().respondWithStatus(502);
              awaitEndpoint(
                  name,
                  1,
                  "HTTP 502",
                  s ->
                      s.state() == EndpointState.FAILING
                          && s.lastError() != null
                          && s.lastError().startsWith("HTTP 502"));

              bad.healthy().reportChainId(5);
              awaitEndpoint(name, 1, "another chain", s -> s.state() == EndpointState.WRONG_CHAIN);

              bad.healthy();
              awaitEndpoint(name, 1, "healthy again", s -> s.state() == EndpointState.OK);
              assertThat(breaker.allowsWithdrawal("USDT")).isTrue();
            });
    String network =
        "network net-" + protocol.name().toLowerCase(Locale.ROOT) + " endpoint http://***@";
    assertThat(log).contains(network).doesNotContain("s3cret");
    assertThat(log.lines().filter(l -> l.contains("-> WRONG_CHAIN")).findFirst().orElseThrow())
        .contains(network)
        .contains(
            "but network net-"
                + protocol.name().toLowerCase(Locale.ROOT)
                + " is "
                + protocol.identityName()
                + " "
                + chain.identity(protocol.name())
                + "; excluded");
  }

  private void awaitEndpoint(
      String network, int index, String what, java.util.function.Predicate<EndpointStatus> test) {
    Awaits.until(
        "endpoint " + index + " of " + network + " shows " + what,
        WAIT,
        () -> breaker.network(network).endpoints().get(index),
        test);
  }

  private void startReorgWatch(Protocol protocol) {
    chain();
    NetworkConfig network =
        NetworkConfig.builder("reorged")
            .protocol(protocol)
            .identity(chain.identity(protocol.name()))
            .rpcUrls(chain.endpoint().url())
            .blockInterval(Duration.ofMillis(100))
            .haltAfter(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(100))
            .maxReorgDepth(3)
            .recovery(RecoveryRule.of(3, Duration.ofMillis(300)))
            .build();
    breaker = ChainBreaker.builder().network(network).token("USDT", "reorged").build();
    breaker.events().onTokenTransition(transitions);
    breaker.start();
    transitions.await("USDT", DEPOSIT, ALLOWED, WAIT);
    long seenFrom = chain.head().number();
    // let the engine see ten blocks of the branch that will be replaced
    Awaits.until(
        "the engine following the chain",
        WAIT,
        () -> breaker.network("reorged").head().number() >= seenFrom + 10);
    // A pause far shorter than haltAfter, so that the engine has seen every block replaced.
    chain.halt();
    Awaits.until(
        "the engine reaching the head",
        WAIT,
        () -> breaker.network("reorged").head().number() >= chain.head().number());
  }

  @ParameterizedTest
  @EnumSource(
      value = Protocol.class,
      names = {"BITCOIN", "COMETBFT", "TRON", "SUI"})
  void aDeepReorgSuspendsDepositsWhereTheFamilyLinksBlocksByHash(Protocol protocol) {
    startReorgWatch(protocol);
    chain.reorg(5, 1);
    chain.resume();
    TokenTransition reorg = transitions.await("USDT", DEPOSIT, SUSPENDED, WAIT);
    assertThat(reorg.reason()).isEqualTo(Reason.DEEP_REORG);
    assertThat(reorg.detail()).contains("reorganisation 5 blocks deep");
    assertThat(breaker.allowsWithdrawal("USDT")).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = Protocol.class,
      names = {"SOLANA", "APTOS"})
  void aReplacedBranchNeitherSuspendsNorFailsAFamilyReadByHeightAlone(Protocol protocol) {
    startReorgWatch(protocol);
    chain.reorg(5, 1);
    chain.resume();
    long until = chain.head().number() + 10;
    Awaits.until(
        "the engine following the chain",
        WAIT,
        () -> breaker.network("reorged").head().number() >= until);
    assertThat(breaker.network("reorged").reorgs()).isZero();
    assertThat(breaker.allowsDeposit("USDT")).isTrue();
  }
}
