package io.chainbreaker.examples;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.NetworkConfig;
import io.chainbreaker.Reason;
import io.chainbreaker.examples.WithdrawalService.Withdrawal;
import io.chainbreaker.test.ChainBreakerExtension;
import io.chainbreaker.test.ChainBreakerRig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user's code tested with the test kit: the README's "Testing your own code" snippet. */
class WithdrawalServiceTest {

  // spotless:off -- laid out for the README, which quotes it word for word
  // testing-your-code:begin
  @RegisterExtension
  static final ChainBreakerExtension chainBreaker = ChainBreakerExtension.of(
      ChainBreakerRig.builder()
          .network(NetworkConfig.builder("klaytn").chainId(8217)
              .rpcUrls("https://public-en.node.kaia.io") // answered in-process, never called
              .blockInterval(Duration.ofSeconds(1)) // haltAfter: 30 s
              .pollInterval(Duration.ofSeconds(1)) // every block: the timings below are exact
              .build())
          .token("PXL", "klaytn"));

  @Test
  void holdsWithdrawalsWhileTheChainIsHaltedAndSendsThemWhenItHasRecovered(ChainBreakerRig rig) {
    List<Withdrawal> sent = new ArrayList<>();
    WithdrawalService service = new WithdrawalService(rig.breaker(), sent::add);
    Withdrawal first = new Withdrawal("PXL", "0xabc", new BigDecimal("10"));
    Withdrawal second = new Withdrawal("PXL", "0xdef", new BigDecimal("25"));

    rig.produceBlocks(20);
    assertThat(service.request(first)).isTrue();

    rig.halt(Duration.ofSeconds(30)); // no block for haltAfter
    rig.transitions().next("PXL", WITHDRAWAL, SUSPENDED);
    assertThat(service.request(second)).isFalse();

    rig.produceBlocks(60); // withdrawals recover after 10 blocks and 60 s by default
    assertThat(sent).containsExactly(first);
    rig.produceBlocks(1);
    rig.transitions().next("PXL", WITHDRAWAL, ALLOWED);
    assertThat(sent).containsExactly(first, second);
  }
  // testing-your-code:end
  // spotless:on

  @Test
  void holdsWithdrawalsWhenNoNodeAnswers(ChainBreakerRig rig) {
    List<Withdrawal> sent = new ArrayList<>();
    WithdrawalService service = new WithdrawalService(rig.breaker(), sent::add);

    rig.produceBlocks(5);
    rig.endpoint(0).timeOut();
    rig.produceBlocks(30); // blocks come, but no answer reaches the engine for unreachableAfter

    assertThat(rig.transitions().next("PXL", WITHDRAWAL, SUSPENDED).reason())
        .isEqualTo(Reason.UNREACHABLE);
    assertThat(service.request(new Withdrawal("PXL", "0xabc", BigDecimal.ONE))).isFalse();
    assertThat(sent).isEmpty();
  }
}
