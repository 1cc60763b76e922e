package io.chainbreaker;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.test.Awaits;
import io.chainbreaker.test.SimulatedChain;
import io.chainbreaker.test.TransitionQueue;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rollup's Chainlink L2 sequencer uptime feed, read with {@code eth_call} over real HTTP from the
 * simulated chain, in real time: down suspends at once while blocks still come; up again holds
 * withdrawals for the grace period; a feed that cannot be read lifts nothing.
 */
@Timeout(60)
class SequencerFeedIntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String FEED = "0xBCF85224fc0756B9Fa45aA7892530B47e10b6433";

  private SimulatedChain chain;
  private ChainBreaker breaker;
  private final TransitionQueue transitions = new TransitionQueue();

  @BeforeEach
  void chain() {
    chain = SimulatedChain.builder().chainId(8453).history(20, Duration.ofSeconds(1)).build();
    chain.produceBlocks(Duration.ofMillis(100));
    chain.sequencerFeed(FEED, false, Instant.now().minusSeconds(7200));
  }

  @AfterEach
  void close() {
    if (breaker != null) {
      breaker.close();
    }
    chain.close();
  }

  private void start(Duration grace) {
    breaker =
        ChainBreaker.builder()
            .network(
                NetworkConfig.builder("base")
                    .chainId(8453)
                    .rpcUrls(chain.endpoint().url())
                    .blockInterval(Duration.ofMillis(100))
                    .haltAfter(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .sequencerFeed(FEED)
                    .sequencerCheckInterval(Duration.ofMillis(100))
                    .sequencerGracePeriod(grace)
                    .recovery(RecoveryRule.of(3, Duration.ofMillis(200)))
                    .build())
            .token("USDC", "base")
            .build();
    breaker.events().onTokenTransition(transitions);
    breaker.start();
    transitions.await("USDC", WITHDRAWAL, ALLOWED, WAIT);
  }

  @Test
  void aSequencerReportedDownSuspendsBothDirectionsLongBeforeHaltAfter() {
    start(Duration.ofSeconds(2));
    long before = System.nanoTime();
    chain.sequencerFeed(FEED, true, Instant.now());
    TokenTransition down = transitions.await("USDC", DEPOSIT, SUSPENDED, WAIT);
    assertThat(down.reason()).isEqualTo(Reason.SEQUENCER_DOWN);
    assertThat(down.detail()).contains("reports the sequencer down since");
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
    assertThat(breaker.allowsWithdrawal("USDC")).isFalse();
    assertThat(chain.producing()).as("blocks still came: not a halt").isTrue();

    Instant back = Instant.now();
    chain.sequencerFeed(FEED, false, back);
    transitions.await("USDC", DEPOSIT, ALLOWED, WAIT);
    assertThat(breaker.allowsWithdrawal("USDC")).as("withdrawals held by the grace").isFalse();
    assertThat(breaker.network("base").reason()).isEqualTo(Reason.SEQUENCER_GRACE);
    TokenTransition allowed = transitions.await("USDC", WITHDRAWAL, ALLOWED, WAIT);
    assertThat(allowed.at()).isAfterOrEqualTo(back.plusSeconds(2).minusMillis(999));
  }

  @Test
  void aFeedThatStopsAnsweringKeepsTheSequencerDownItLastSaid() throws InterruptedException {
    start(Duration.ZERO);
    chain.sequencerFeed(FEED, true, Instant.now());
    transitions.await("USDC", WITHDRAWAL, SUSPENDED, WAIT);
    chain.sequencerFeedAnswers("0x"); // the contract answers nothing any more
    Awaits.holdsFor( // ten reads
        "withdrawals held by the sequencer down it last read",
        Duration.ofSeconds(1),
        () ->
            !breaker.allowsWithdrawal("USDC")
                && breaker.network("base").reason() == Reason.SEQUENCER_DOWN);

    chain.sequencerFeedAnswers(null);
    chain.sequencerFeed(FEED, false, Instant.now().minusSeconds(10));
    transitions.await("USDC", WITHDRAWAL, ALLOWED, WAIT);
  }

  @Test
  void aFeedThatNeverAnswersSuspendsNothingTheChainDoesNot() throws InterruptedException {
    chain.sequencerFeedAnswers("0x" + "f".repeat(320)); // hostile: answer and times out of range
    start(Duration.ofSeconds(1));
    Awaits.holdsFor(
        "USDC allowed both ways",
        Duration.ofSeconds(1),
        () -> breaker.allowsDeposit("USDC") && breaker.allowsWithdrawal("USDC"));
  }
}
