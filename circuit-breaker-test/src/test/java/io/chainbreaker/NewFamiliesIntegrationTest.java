package io.chainbreaker;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.test.SimulatedChain;
import io.chainbreaker.test.TransitionQueue;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The families added after the first seven (TON, XRP Ledger, Starknet, Substrate, NEAR, Algorand,
 * Stellar, Cardano), end to end over real HTTP against the simulated chain speaking each family's
 * documented API, in real time: what only some of them have. Halts, recovery, malformed answers,
 * HTTP errors and a wrong identity are run for every family, these included, by {@link
 * OtherFamiliesIntegrationTest}; the parsing of hostile answers by {@code NewFamiliesParsingTest}.
 */
@Timeout(120)
class NewFamiliesIntegrationTest {

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

  private String start(Protocol protocol, int finalityDepth, NetworkConfig.Builder extra) {
    return start(protocol, finalityDepth, Duration.ofMillis(100), extra);
  }

  private String start(
      Protocol protocol, int finalityDepth, Duration interval, NetworkConfig.Builder extra) {
    chain =
        SimulatedChain.builder()
            .chainId(4)
            .firstBlock(1_000)
            .history(50, Duration.ofSeconds(1))
            .finalityDepth(finalityDepth)
            .build();
    chain.produceBlocks(interval);
    String name = "net-" + protocol.name().toLowerCase(Locale.ROOT);
    NetworkConfig network =
        extra
            .protocol(protocol)
            .identity(chain.identity(protocol.name()))
            .rpcUrls(chain.endpoint().url())
            .blockInterval(interval)
            .pollInterval(Duration.ofMillis(100))
            .requestTimeout(Duration.ofMillis(500))
            .recovery(RecoveryRule.of(3, Duration.ofMillis(300)))
            .build();
    breaker = ChainBreaker.builder().network(network).token("TKN", name).build();
    breaker.events().onTokenTransition(transitions);
    breaker.start();
    transitions.await("TKN", DEPOSIT, ALLOWED, WAIT);
    transitions.await("TKN", WITHDRAWAL, ALLOWED, WAIT);
    return name;
  }

  @ParameterizedTest
  @EnumSource(
      value = Protocol.class,
      names = {"STARKNET", "SUBSTRATE", "NEAR"})
  void aFinalityStallSuspendsDepositsWhileBlocksContinue(Protocol protocol) {
    String name =
        start(
            protocol,
            2,
            // slow enough that every block is seen: Substrate asks six questions a poll here,
            // and the recovery's cadence check needs consecutive blocks
            Duration.ofMillis(300),
            NetworkConfig.builder("net-" + protocol.name().toLowerCase(Locale.ROOT))
                .haltAfter(Duration.ofSeconds(5))
                .finalityStallAfter(Duration.ofSeconds(1)));
    chain.freezeFinalized();
    TokenTransition stall = transitions.await("TKN", DEPOSIT, SUSPENDED, WAIT);
    assertThat(stall.reason()).isEqualTo(Reason.FINALITY_STALLED);
    assertThat(breaker.allowsWithdrawal("TKN")).isTrue();
    assertThat(breaker.network(name).health()).isNotEqualTo(NetworkHealth.HALTED);

    chain.unfreezeFinalized();
    try {
      transitions.await("TKN", DEPOSIT, ALLOWED, WAIT);
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "; network "
              + breaker.network(name).health()
              + " head "
              + breaker.network(name).head()
              + " endpoints "
              + breaker.network(name).endpoints()
              + " chain head "
              + chain.head().number()
              + " finalized "
              + chain.finalized().number(),
          e);
    }
  }

  @Test
  void anXrplValidatedLedgerThatStopsWhileTheCurrentOneMovesHaltsBothDirections() {
    // The 2025-02-04 incident: servers kept closing ledgers, none was validated for about an hour.
    start(Protocol.XRPL, 0, NetworkConfig.builder("net-xrpl").haltAfter(Duration.ofMillis(1500)));
    chain.freezeFinalized(); // validated stops here; the chain (current ledgers) goes on
    long validated = chain.finalized().number();
    TokenTransition deposit = transitions.await("TKN", DEPOSIT, SUSPENDED, WAIT);
    TokenTransition withdrawal = transitions.await("TKN", WITHDRAWAL, SUSPENDED, WAIT);
    assertThat(withdrawal.reason()).isEqualTo(Reason.HALTED);
    assertThat(deposit.reason()).isEqualTo(Reason.HALTED);
    assertThat(withdrawal.head()).isEqualTo(validated);
    assertThat(chain.head().number()).isGreaterThan(validated);

    chain.unfreezeFinalized();
    transitions.await("TKN", WITHDRAWAL, ALLOWED, WAIT);
  }

  @ParameterizedTest
  @EnumSource(
      value = Protocol.class,
      names = {"STARKNET", "SUBSTRATE", "CARDANO", "XRPL"})
  void aBranchReplacedOnResumeIsADeepReorgThatSuspendsDeposits(Protocol protocol) {
    // Starknet, 2025-09-02: blocks produced before the halt were replaced on restart.
    String name =
        start(
            protocol,
            0,
            NetworkConfig.builder("net-" + protocol.name().toLowerCase(Locale.ROOT))
                .haltAfter(Duration.ofSeconds(5))
                .maxReorgDepth(3));
    long seenFrom = chain.head().number();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (breaker.network(name).head().number() < seenFrom + 10) {
      assertThat(System.nanoTime()).as("the engine following the chain").isLessThan(deadline);
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
    chain.halt();
    while (breaker.network(name).head().number() < chain.head().number()) {
      assertThat(System.nanoTime()).as("the engine reaching the head").isLessThan(deadline);
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
    chain.reorg(5, 1);
    chain.resume();
    TokenTransition reorg = transitions.await("TKN", DEPOSIT, SUSPENDED, WAIT);
    assertThat(reorg.reason()).isEqualTo(Reason.DEEP_REORG);
    assertThat(reorg.detail()).contains("reorganisation 5 blocks deep");
    assertThat(breaker.allowsWithdrawal("TKN")).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = NetworkPreset.class,
      names = {
        "TON",
        "XRPL",
        "STARKNET",
        "POLKADOT",
        "KUSAMA",
        "NEAR",
        "ALGORAND",
        "STELLAR",
        "CARDANO"
      })
  void eachNewPresetBuildsANetworkOfItsFamilyWithItsMainnetIdentity(NetworkPreset preset) {
    NetworkConfig network =
        NetworkConfig.builder("n").preset(preset).rpcUrls("https://node.example/").build();
    assertThat(network.protocol()).isEqualTo(preset.protocol()).isNotEqualTo(Protocol.EVM);
    assertThat(network.identity()).isEqualTo(preset.identity());
    assertThat(network.blockInterval()).isEqualTo(preset.blockInterval());
    assertThat(network.haltAfter()).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
    boolean finality = preset.protocol() == Protocol.SUBSTRATE || preset == NetworkPreset.NEAR;
    assertThat(network.finalityStallAfter() != null).isEqualTo(finality);
  }
}
