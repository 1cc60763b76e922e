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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The whole engine, with web3j over real HTTP, against the simulated chain in real time. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SimulatedChainIntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private SimulatedChain chain;
  private ChainBreaker breaker;
  private final TransitionQueue transitions = new TransitionQueue();

  @BeforeEach
  void chain() {
    chain =
        SimulatedChain.builder()
            .chainId(8217)
            .firstBlock(24_002_300)
            .history(50, Duration.ofSeconds(1))
            .build();
    chain.produceBlocks(Duration.ofMillis(100));
  }

  @AfterEach
  void close() {
    if (breaker != null) {
      breaker.close();
    }
    chain.close();
  }

  private ChainBreaker start(List<SimulatedEndpoint> endpoints) {
    NetworkConfig.Builder network =
        NetworkConfig.builder("klaytn")
            .chainId(8217)
            .blockInterval(Duration.ofMillis(100))
            .haltAfter(Duration.ofMillis(1500))
            .pollInterval(Duration.ofMillis(100))
            .requestTimeout(Duration.ofMillis(500))
            .chainIdCheckInterval(Duration.ofMillis(300))
            .syncingCheckInterval(Duration.ofMillis(300))
            .recovery(RecoveryRule.of(3, Duration.ofMillis(300)));
    endpoints.forEach(e -> network.rpcUrls(e.url() + "v3/key0123456789abcdefghij"));
    breaker =
        ChainBreaker.builder()
            .network(network.build())
            .token("COSM", "klaytn")
            .token("DTA", "klaytn")
            .token("PXL", "klaytn")
            .build();
    breaker.events().onTokenTransition(transitions);
    breaker.start();
    transitions.await("PXL", WITHDRAWAL, ALLOWED, WAIT);
    return breaker;
  }

  @Test
  void suspendsWhenTheChainHaltsAndResumesAfterRecovery() {
    start(List.of(chain.endpoint(), chain.addEndpoint()));

    chain.halt();
    TokenTransition halt = transitions.await("PXL", WITHDRAWAL, SUSPENDED, WAIT);
    assertThat(halt.reason()).isEqualTo(Reason.HALTED);
    assertThat(halt.head()).isEqualTo(chain.head().number());
    assertThat(breaker.allowsDeposit("COSM")).isFalse();

    chain.resume();
    transitions.await("PXL", WITHDRAWAL, RECOVERING, WAIT);
    transitions.await("PXL", WITHDRAWAL, ALLOWED, WAIT);
    assertThat(breaker.allowsWithdrawal("PXL")).isTrue();
  }

  static List<Consumer<SimulatedEndpoint>> faults() {
    return List.of(
        e -> e.respondWithStatus(429),
        e -> e.respondWithStatus(500),
        e -> e.respondWithStatus(502),
        e -> e.respondWithBody("<html>gateway</html>"),
        e -> e.respondWithBody("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"number\":\"zz\"}}"),
        e -> e.nullBlocks(true),
        e -> e.rpcError("rate limited"),
        SimulatedEndpoint::resetConnections,
        SimulatedEndpoint::hang,
        e -> e.respondWithHugeBody(50L * 1024 * 1024),
        e -> e.reportChainId(1),
        e -> e.syncing(true),
        e -> e.lag(100));
  }

  @ParameterizedTest
  @MethodSource("faults")
  void oneMisbehavingEndpointNeverSuspendsWhileTheOthersServe(Consumer<SimulatedEndpoint> fault) {
    SimulatedEndpoint first = chain.endpoint();
    SimulatedEndpoint second = chain.addEndpoint();
    SimulatedEndpoint bad = chain.addEndpoint();
    start(List.of(first, second, bad));
    fault.accept(bad);
    long head = chain.head().number();

    // Wait until the engine has seen 20 more blocks with the fault in place.
    Awaits.until(
        "20 more blocks seen, PXL allowed all along",
        WAIT,
        () -> {
          assertThat(breaker.allowsWithdrawal("PXL")).isTrue();
          return breaker.snapshot().networks().get(0).head().number() >= head + 20;
        });

    assertThat(breaker.allowsWithdrawal("PXL")).isTrue();
    assertThat(breaker.allowsDeposit("DTA")).isTrue();
    EndpointStatus status = breaker.snapshot().networks().get(0).endpoints().get(2);
    assertThat(status.state()).isNotEqualTo(EndpointState.OK);
    assertThat(status.url()).endsWith("/v3/***");
    bad.healthy();
  }

  @Test
  void aDeepReorgOverHttpSuspendsDepositsAndAStalledFinalityToo() {
    NetworkConfig.Builder network =
        NetworkConfig.builder("klaytn")
            .chainId(8217)
            .rpcUrls(chain.endpoint().url())
            .blockInterval(Duration.ofMillis(100))
            .haltAfter(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(100))
            .maxReorgDepth(3)
            .finalityStallAfter(Duration.ofSeconds(1))
            .recovery(RecoveryRule.of(3, Duration.ofMillis(300)));
    breaker = ChainBreaker.builder().network(network.build()).token("PXL", "klaytn").build();
    breaker.events().onTokenTransition(transitions);
    breaker.start();
    transitions.await("PXL", DEPOSIT, ALLOWED, WAIT);
    long seenFrom = chain.head().number();
    // let the engine see ten blocks of the branch that will be replaced
    Awaits.until(
        "ten blocks of the branch seen",
        WAIT,
        () -> breaker.network("klaytn").head().number() >= seenFrom + 10);

    chain.reorg(5, 1);
    TokenTransition reorg = transitions.await("PXL", DEPOSIT, SUSPENDED, WAIT);
    assertThat(reorg.reason()).isEqualTo(Reason.DEEP_REORG);
    assertThat(breaker.allowsWithdrawal("PXL")).isTrue();
    transitions.await("PXL", DEPOSIT, ALLOWED, WAIT);

    chain.freezeFinalized();
    TokenTransition stalled = transitions.await("PXL", DEPOSIT, SUSPENDED, WAIT);
    assertThat(stalled.reason()).isEqualTo(Reason.FINALITY_STALLED);
    assertThat(breaker.allowsWithdrawal("PXL")).isTrue();
    chain.unfreezeFinalized();
    transitions.await("PXL", DEPOSIT, ALLOWED, WAIT);
  }

  private ChainBreaker startWith(NetworkConfig.Builder network) {
    breaker =
        ChainBreaker.builder()
            .network(network.rpcUrls(chain.endpoint().url()).chainId(8217).build())
            .token("PXL", "klaytn")
            .build();
    breaker.events().onTokenTransition(transitions);
    breaker.start();
    transitions.await("PXL", WITHDRAWAL, ALLOWED, WAIT);
    return breaker;
  }

  @Test
  void slowProductionOverHttpIsSlowBlocksAndSuspendsOnlyWhereThePolicySays() {
    startWith(
        NetworkConfig.builder("klaytn")
            .blockInterval(Duration.ofMillis(100))
            .haltAfter(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(100))
            .slowWindow(10)
            .suspendOn(Reason.SLOW_BLOCKS, WITHDRAWAL));
    chain.produceBlocks(Duration.ofMillis(700)); // seven times slower than configured
    TokenTransition slow = transitions.await("PXL", WITHDRAWAL, SUSPENDED, WAIT);
    assertThat(slow.reason()).isEqualTo(Reason.SLOW_BLOCKS);
    assertThat(breaker.allowsDeposit("PXL")).isTrue();
    assertThat(breaker.network("klaytn").health()).isEqualTo(NetworkHealth.DEGRADED);
  }

  @Test
  void anIdleOnDemandNetworkOverHttpStaysAllowed() {
    startWith(
        NetworkConfig.builder("klaytn")
            .mode(NetworkMode.ON_DEMAND)
            .blockInterval(Duration.ofMillis(100))
            .haltAfter(Duration.ofSeconds(1))
            .pollInterval(Duration.ofMillis(100)));
    chain.halt();
    long head = chain.head().number();
    // Three times haltAfter with no block, while the endpoint answers every poll.
    long polls = chain.endpoint().requestCount();
    Awaits.until("30 more polls", WAIT, () -> chain.endpoint().requestCount() >= polls + 30);
    assertThat(breaker.allowsWithdrawal("PXL")).isTrue();
    assertThat(breaker.network("klaytn").head().number()).isEqualTo(head);
    assertThat(breaker.network("klaytn").health()).isEqualTo(NetworkHealth.HEALTHY);
  }

  @Test
  void aMaintenanceWindowOverHttpSuspendsBothWaysThenRecovers() {
    java.time.Instant start = java.time.Instant.now().plusSeconds(2);
    startWith(
        NetworkConfig.builder("klaytn")
            .blockInterval(Duration.ofMillis(100))
            .haltAfter(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(100))
            .recovery(RecoveryRule.of(3, Duration.ofMillis(300)))
            .maintenance(new MaintenanceWindow(start, start.plusSeconds(2), "hard fork")));
    TokenTransition down = transitions.await("PXL", DEPOSIT, SUSPENDED, WAIT);
    assertThat(down.reason()).isEqualTo(Reason.MAINTENANCE);
    assertThat(down.at()).isAfterOrEqualTo(start);
    assertThat(breaker.allowsWithdrawal("PXL")).isFalse();
    transitions.await("PXL", WITHDRAWAL, ALLOWED, WAIT);
    assertThat(breaker.allowsWithdrawal("PXL")).isTrue();
  }

  static List<String> echoesOfTheKey() {
    return List.of(
        "invalid api key MyS3cretKey!abc", // percent-decoded
        "INVALID API KEY MYS3CRETKEY%21ABC", // upper-cased
        "no route for /v3/mys3cretkey%21abc", // lower-cased
        "bad credentials YWxpY2U6cEBzc3cwcmQ=", // Basic alice:p@ssw0rd
        "user alice with password p@ssw0rd is locked"); // decoded password
  }

  @ParameterizedTest
  @MethodSource("echoesOfTheKey")
  void aNodeEchoingTheKeyInAnotherFormNeverGetsItIntoLastError(String echo) {
    SimulatedEndpoint good = chain.endpoint();
    SimulatedEndpoint bad = chain.addEndpoint();
    String badUrl =
        bad.url().replace("http://", "http://alice:p%40ssw0rd@") + "v3/MyS3cretKey%21abc";
    breaker =
        ChainBreaker.builder()
            .network(
                NetworkConfig.builder("klaytn")
                    .chainId(8217)
                    .blockInterval(Duration.ofMillis(100))
                    .pollInterval(Duration.ofMillis(100))
                    .haltAfter(Duration.ofMillis(1500))
                    .requestTimeout(Duration.ofMillis(500))
                    .rpcUrls(good.url(), badUrl)
                    .build())
            .token("PXL", "klaytn")
            .build();
    bad.rpcError(echo);
    breaker.start();
    EndpointStatus status =
        Awaits.until(
            "the endpoint that echoes the key reported an error",
            WAIT,
            () -> breaker.snapshot().networks().get(0).endpoints().get(1),
            s -> s.lastError() != null);
    assertThat(bad.lastAuthorization()).isEqualTo("Basic YWxpY2U6cEBzc3cwcmQ=");

    String shown = (status.lastError() + " " + status.url()).toLowerCase(java.util.Locale.ROOT);
    assertThat(shown)
        .contains("***")
        .doesNotContain("s3cretkey")
        .doesNotContain("p@ssw0rd")
        .doesNotContain("p%40ssw0rd")
        .doesNotContain("ywxpy2u6cebzc3cwcmq");
    assertThat(status.url()).endsWith("/v3/***");
  }

  @Test
  void aSingleEndpointThatTurnsBadMakesTheNetworkUnreachableNotHalted() {
    start(List.of(chain.endpoint()));
    chain.endpoint().respondWithStatus(503);
    TokenTransition t = transitions.await("DTA", DEPOSIT, SUSPENDED, WAIT);
    assertThat(t.reason()).isEqualTo(Reason.UNREACHABLE);
    assertThat(breaker.snapshot().networks().get(0).endpoints().get(0).lastError())
        .startsWith("HTTP 503");

    chain.endpoint().healthy();
    transitions.await("DTA", DEPOSIT, ALLOWED, WAIT);
  }
}
