package io.chainbreaker;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.test.Awaits;
import io.chainbreaker.test.SimulatedChain;
import io.chainbreaker.test.TransitionQueue;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The finality rule in each family that has finality to lose, over real HTTP from the simulated
 * chain in real time: Solana's {@code finalized} root can stop while confirmed slots go on; Sui's
 * certified checkpoint is its head, so losing it is a halt; CometBFT and Aptos are final at once.
 */
@Timeout(60)
class FinalityPerFamilyIntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private SimulatedChain chain;
  private ChainBreaker breaker;
  private final TransitionQueue transitions = new TransitionQueue();

  @BeforeEach
  void chain() {
    chain =
        SimulatedChain.builder()
            .chainId(4)
            .firstBlock(1_000)
            .history(50, Duration.ofSeconds(1))
            .finalityDepth(32)
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

  private String start(Protocol protocol) {
    String name = "net-" + protocol.name().toLowerCase(Locale.ROOT);
    breaker =
        ChainBreaker.builder()
            .network(
                NetworkConfig.builder(name)
                    .protocol(protocol)
                    .identity(chain.identity(protocol.name()))
                    .rpcUrls(chain.endpoint().url())
                    .blockInterval(Duration.ofMillis(100))
                    .haltAfter(Duration.ofMillis(1500))
                    .pollInterval(Duration.ofMillis(100))
                    .finalityStallAfter(Duration.ofSeconds(1))
                    .recovery(RecoveryRule.of(3, Duration.ofMillis(300)))
                    .build())
            .token("USDC", name)
            .build();
    breaker.events().onTokenTransition(transitions);
    breaker.start();
    transitions.await("USDC", DEPOSIT, ALLOWED, WAIT);
    return name;
  }

  @Test
  void aSolanaRootThatStopsWhileConfirmedSlotsGoOnSuspendsDepositsOnly() {
    String name = start(Protocol.SOLANA);
    BlockHead root = breaker.network(name).finalized();
    assertThat(root).as("getSlot at finalized commitment is read").isNotNull();
    assertThat(root.number()).isLessThan(breaker.network(name).head().number());

    chain.freezeFinalized();
    long frozen = chain.finalized().number();
    TokenTransition stalled = transitions.await("USDC", DEPOSIT, SUSPENDED, WAIT);
    assertThat(stalled.reason()).isEqualTo(Reason.FINALITY_STALLED);
    assertThat(stalled.detail()).startsWith("finalized block #" + frozen + " has not advanced");
    assertThat(breaker.allowsWithdrawal("USDC")).isTrue();
    assertThat(chain.producing()).isTrue();

    chain.unfreezeFinalized();
    transitions.await("USDC", DEPOSIT, ALLOWED, WAIT);
  }

  @Test
  void suiReportsItsCertifiedCheckpointAsFinalizedSoLosingFinalityIsAHaltThatSuspendsDeposits() {
    String name = start(Protocol.SUI);
    NetworkStatus status = breaker.network(name);
    assertThat(status.finalized()).as("the checkpoint is final when served").isNotNull();
    assertThat(status.finalized().number()).isGreaterThan(status.head().number() - 5);

    chain.halt(); // certification stops: no checkpoint at all
    TokenTransition halted = transitions.await("USDC", DEPOSIT, SUSPENDED, WAIT);
    assertThat(halted.reason()).isEqualTo(Reason.HALTED);
    assertThat(breaker.allowsWithdrawal("USDC")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(
      value = Protocol.class,
      names = {"COMETBFT", "APTOS"})
  void familiesFinalAtOnceSwitchTheFinalityRuleOffAndSaySo(Protocol protocol)
      throws InterruptedException {
    String name = start(protocol);
    chain.freezeFinalized(); // nothing of theirs follows it: there is no finalized tag
    Awaits.holdsFor(
        name + ": no finalized block, USDC allowed",
        Duration.ofMillis(1500),
        () -> breaker.network(name).finalized() == null && breaker.allowsDeposit("USDC"));
  }
}
