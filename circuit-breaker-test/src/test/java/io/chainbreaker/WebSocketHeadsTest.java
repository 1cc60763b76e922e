package io.chainbreaker;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.test.Awaits;
import io.chainbreaker.test.SimulatedChain;
import io.chainbreaker.test.SimulatedEndpoint;
import io.chainbreaker.test.TransitionQueue;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * newHeads over WebSocket against the simulated chain's WebSocket side: pushed heads arrive between
 * polls, and a subscription that goes silent, sends garbage or drops is survived, polling carrying
 * the head meanwhile.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class WebSocketHeadsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String KEY = "wskey0123456789abcdefgh";

  private SimulatedChain chain;
  private SimulatedEndpoint endpoint;
  private ChainBreaker breaker;
  private final TransitionQueue transitions = new TransitionQueue();

  @BeforeEach
  void setUp() {
    chain = SimulatedChain.builder().chainId(8217).firstBlock(1000).build();
    chain.produceBlocks(Duration.ofMillis(100));
    endpoint = chain.endpoint();
  }

  @AfterEach
  void tearDown() {
    if (breaker != null) {
      breaker.close();
    }
    chain.close();
  }

  private void start(Duration poll) {
    breaker =
        ChainBreaker.builder()
            .network(
                NetworkConfig.builder("klaytn")
                    .chainId(8217)
                    .endpoint(endpoint.url(), endpoint.webSocketUrl() + "v3/" + KEY)
                    .blockInterval(Duration.ofMillis(100))
                    .haltAfter(Duration.ofSeconds(10))
                    .pollInterval(poll)
                    .build())
            .token("PXL", "klaytn")
            .build();
    breaker.events().onTokenTransition(transitions);
    breaker.start();
    transitions.await("PXL", WITHDRAWAL, ALLOWED, WAIT);
  }

  private EndpointStatus status() {
    return breaker.network("klaytn").endpoints().get(0);
  }

  private static void await(String what, BooleanSupplier condition) {
    Awaits.until(what, WAIT, condition::getAsBoolean);
  }

  @Test
  void pushedHeadsMoveTheNetworkHeadBetweenPolls() throws Exception {
    start(Duration.ofSeconds(3)); // polls every 3 s; blocks every 100 ms
    await("subscribed", () -> status().subscription() == SubscriptionState.SUBSCRIBED);
    long polls = endpoint.requestCount();
    long from = breaker.network("klaytn").head().number();
    await("ten pushed heads", () -> breaker.network("klaytn").head().number() >= from + 10);
    // Ten blocks took about a second: fewer polls than blocks, so the head came by push.
    assertThat(endpoint.requestCount() - polls).isLessThan(10);
    assertThat(status().url()).doesNotContain(KEY);
  }

  @Test
  void aSilentSubscriptionIsResubscribedWhilePollingCarriesTheHead() throws Exception {
    endpoint.webSocketSilent(true);
    start(Duration.ofMillis(100));
    await("a resubscription", () -> endpoint.webSocketConnections() >= 2);
    assertThat(breaker.allowsWithdrawal("PXL")).isTrue();
  }

  @Test
  void garbageIsReportedOnceAndTheMonitorGoesOn() throws Exception {
    endpoint.webSocketGarbage(true);
    start(Duration.ofMillis(200));
    await(
        "the garbage reported",
        () ->
            status().subscription() == SubscriptionState.FAILING
                && String.valueOf(status().subscriptionDetail()).startsWith("malformed"));
    long head = breaker.network("klaytn").head().number();
    await("the head moving by polls", () -> breaker.network("klaytn").head().number() > head + 3);
    assertThat(breaker.allowsWithdrawal("PXL")).isTrue();
    assertThat(String.valueOf(status().subscriptionDetail())).doesNotContain(KEY);
  }

  @Test
  void aDroppedConnectionIsReconnected() throws Exception {
    start(Duration.ofMillis(500));
    await("subscribed", () -> status().subscription() == SubscriptionState.SUBSCRIBED);
    endpoint.dropWebSockets();
    await(
        "reconnected",
        () ->
            endpoint.webSocketConnections() >= 2
                && status().subscription() == SubscriptionState.SUBSCRIBED);
    long from = breaker.network("klaytn").head().number();
    await("pushed heads again", () -> breaker.network("klaytn").head().number() >= from + 5);
    assertThat(breaker.allowsWithdrawal("PXL")).isTrue();
  }

  @Test
  void anEndpointMayBeHttpOnly() {
    SimulatedEndpoint second = chain.addEndpoint();
    NetworkConfig config =
        NetworkConfig.builder("klaytn")
            .chainId(8217)
            .endpoint(endpoint.url(), endpoint.webSocketUrl())
            .rpcUrls(second.url())
            .build();
    assertThat(config.rpcUrls()).hasSize(2);
    assertThat(config.wsUrl(config.rpcUrls().get(0))).isNotNull();
    assertThat(config.wsUrl(config.rpcUrls().get(1))).isNull();
  }
}
