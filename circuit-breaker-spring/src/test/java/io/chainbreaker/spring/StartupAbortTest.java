package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.test.Awaits;
import io.chainbreaker.test.SimulatedChain;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Spring context stopped during its start-up (a later bean fails after the engine was built, so
 * Spring closes what it had made) leaves no thread of the engine behind, and the application
 * started again works: its breakers allow on a healthy chain and suspend on a halted one.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StartupAbortTest {

  private SimulatedChain chain;
  private ApplicationContextRunner runner;

  /** A bean of the application that needs the engine and fails to start. */
  @Configuration(proxyBeanMethods = false)
  static class FailingService {
    @Bean
    Object withdrawalService(ChainBreaker breaker) {
      throw new IllegalStateException("the withdrawal service could not start");
    }
  }

  @BeforeEach
  void setUp() {
    chain = SimulatedChain.builder().chainId(8217).build();
    chain.produceBlocks(Duration.ofMillis(200));
    runner =
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ChainBreakerAutoConfiguration.class))
            .withPropertyValues(
                "chain-breaker.networks.klaytn.chain-id=8217",
                "chain-breaker.networks.klaytn.rpc-urls[0]=" + chain.endpoint().url(),
                "chain-breaker.networks.klaytn.block-interval=200ms",
                "chain-breaker.networks.klaytn.poll-interval=100ms",
                "chain-breaker.networks.klaytn.halt-after=2s",
                "chain-breaker.tokens.PXL.network=klaytn");
  }

  @AfterEach
  void tearDown() {
    chain.close();
  }

  private static List<String> engineThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("chain-breaker-"))
        .toList();
  }

  @Test
  void aStartUpStoppedHalfwayLeavesNoThreadAndTheNextStartWorks() {
    List<String> before = engineThreads();
    for (int attempt = 0; attempt < 3; attempt++) {
      runner
          .withUserConfiguration(FailingService.class)
          .run(
              context ->
                  assertThat(context.getStartupFailure())
                      .hasRootCauseMessage("the withdrawal service could not start"));
      Awaits.until(
          "no engine thread left after a failed start-up",
          Duration.ofSeconds(10),
          () -> engineThreads().size() <= before.size());
    }
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          ChainBreaker breaker = context.getBean(ChainBreaker.class);
          Awaits.until(
              "PXL allowed on the healthy chain",
              Duration.ofSeconds(15),
              () -> breaker.allowsWithdrawal("PXL"));
          chain.halt();
          Awaits.until(
              "PXL suspended on the halted chain",
              Duration.ofSeconds(15),
              () -> !breaker.allowsWithdrawal("PXL"));
        });
    Awaits.until(
        "no engine thread left after a clean stop",
        Duration.ofSeconds(10),
        () -> engineThreads().size() <= before.size());
  }
}
