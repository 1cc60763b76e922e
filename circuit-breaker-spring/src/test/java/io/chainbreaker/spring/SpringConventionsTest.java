package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chainbreaker.BreakerState;
import io.chainbreaker.CatalogChange;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.EndpointStatus;
import io.chainbreaker.NetworkPreset;
import io.chainbreaker.TokenConfig;
import io.chainbreaker.TokenHandle;
import io.chainbreaker.TokenTransition;
import io.chainbreaker.test.SimulatedChain;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter follows Spring Boot's own conventions: the endpoint exists only where it is
 * available, health obeys {@code management.health.chainbreaker.enabled}, presets bind as the enum,
 * the lifecycle stops and starts again, and meters measure on the engine's clock.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class SpringConventionsTest {

  private SimulatedChain chain;
  private ApplicationContextRunner runner;

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
                "chain-breaker.networks.klaytn.block-interval=1s",
                "chain-breaker.networks.klaytn.poll-interval=100ms",
                "chain-breaker.tokens.PXL.network=klaytn");
  }

  @AfterEach
  void tearDown() {
    chain.close();
  }

  @Test
  void theEndpointExistsOnlyWhenExposedAndNotSwitchedOff() {
    runner.run(
        context -> assertThat(context).hasNotFailed().doesNotHaveBean(ChainBreakerEndpoint.class));
    ApplicationContextRunner exposed =
        runner.withPropertyValues("management.endpoints.web.exposure.include=chainbreakers");
    exposed.run(context -> assertThat(context).hasSingleBean(ChainBreakerEndpoint.class));
    // upper case: the runner's environment converts enums strictly, unlike SpringApplication's
    exposed
        .withPropertyValues("management.endpoint.chainbreakers.access=NONE")
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(ChainBreakerEndpoint.class));
  }

  @Test
  void healthFollowsManagementHealthChainbreakerEnabled() {
    ApplicationContextRunner asked = runner.withPropertyValues("chain-breaker.health.enabled=true");
    asked.run(context -> assertThat(context).hasSingleBean(ChainBreakerHealthIndicator.class));
    asked
        .withPropertyValues("management.health.chainbreaker.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(ChainBreakerHealthIndicator.class));
    asked
        .withPropertyValues("management.health.defaults.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ChainBreakerHealthIndicator.class));
    asked
        .withPropertyValues(
            "management.health.defaults.enabled=false",
            "management.health.chainbreaker.enabled=true")
        .run(context -> assertThat(context).hasSingleBean(ChainBreakerHealthIndicator.class));
  }

  @Test
  void presetsBindAsTheEnumWrittenAsInTheReadme() {
    runner
        .withPropertyValues(
            "chain-breaker.networks.kairos.preset=klaytn-testnet",
            "chain-breaker.networks.kairos.rpc-urls[0]=http://127.0.0.1:1/",
            "chain-breaker.networks.eth.preset=ETHEREUM",
            "chain-breaker.networks.eth.rpc-urls[0]=http://127.0.0.1:1/")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ChainBreakerProperties p = context.getBean(ChainBreakerProperties.class);
              assertThat(p.getNetworks().get("kairos").getPreset())
                  .isEqualTo(NetworkPreset.KLAYTN_TESTNET);
              assertThat(p.getNetworks().get("eth").getPreset()).isEqualTo(NetworkPreset.ETHEREUM);
              ChainBreaker breaker = context.getBean(ChainBreaker.class);
              assertThat(breaker.network("kairos").chainId()).isEqualTo(1001);
              assertThat(breaker.network("eth").chainId()).isEqualTo(1);
            });
  }

  @Test
  void theLifecycleStopsAndStartsAgainAndWatchingResumes() {
    // After a restart under an override the state underneath is unknown (docs/store.md): once the
    // override is cleared the token recovers by its rule, kept short here.
    runner
        .withPropertyValues(
            "chain-breaker.networks.klaytn.recovery.withdrawal.blocks=1",
            "chain-breaker.networks.klaytn.recovery.withdrawal.grace=500ms")
        .run(
            context -> {
              ChainBreaker breaker = context.getBean(ChainBreaker.class);
              TokenHandle pxl = breaker.token("PXL");
              List<TokenTransition> seen = new CopyOnWriteArrayList<>();
              breaker.events().onTokenTransition(seen::add);
              await().atMost(Duration.ofSeconds(20)).until(() -> answeredAt(breaker) != null);
              breaker.forceSuspend("PXL", Direction.WITHDRAWAL, "alice", "audit", null);
              // listed at run time, not in the properties
              breaker.change(
                  CatalogChange.by("alice").putToken(TokenConfig.of("DTA", "klaytn")).build());

              ConfigurableApplicationContext app = context.getSourceApplicationContext();
              app.stop();
              assertThat(context.getBean(ChainBreakerLifecycle.class).isRunning()).isFalse();
              Instant stoppedAt = Instant.now();

              app.start();
              assertThat(context.getBean(ChainBreakerLifecycle.class).isRunning()).isTrue();
              // the restarted engine polls the chain again: an answer after the stop
              await()
                  .atMost(Duration.ofSeconds(20))
                  .until(
                      () -> {
                        Instant at = answeredAt(breaker);
                        return at != null && at.isAfter(stoppedAt);
                      });
              // the token listed at run time is still listed; the override came back from the state
              // store; the old handle follows the new engine
              assertThat(breaker.catalog().tokens())
                  .extracting(TokenConfig::symbol)
                  .contains("PXL", "DTA");
              assertThat(breaker.token("DTA").network()).isEqualTo("klaytn");
              assertThat(pxl.status().withdrawal().state()).isEqualTo(BreakerState.SUSPENDED);
              // a fresh engine holds tokens until it has seen the chain, then allows them
              await().atMost(Duration.ofSeconds(20)).until(pxl::allowsDeposit);
              // a listener registered before the restart hears the new engine
              breaker.clearOverride("PXL", Direction.WITHDRAWAL, "alice");
              await().atMost(Duration.ofSeconds(20)).until(pxl::allowsWithdrawal);
              assertThat(seen)
                  .anySatisfy(
                      t -> {
                        assertThat(t.direction()).isEqualTo(Direction.WITHDRAWAL);
                        assertThat(t.to()).isEqualTo(BreakerState.ALLOWED);
                      });
            });
  }

  @Test
  void metersMeasureAgesOnTheEnginesClock() {
    // The engine and the chain run a day behind this host: ages are seconds on the engine's clock,
    // where the system clock would make every head a day old.
    Clock dayBehind = Clock.offset(Clock.systemUTC(), Duration.ofDays(-1));
    chain.close();
    chain = SimulatedChain.builder().chainId(8217).clock(dayBehind).build();
    chain.produceBlocks(Duration.ofMillis(200));
    runner
        .withPropertyValues("chain-breaker.networks.klaytn.rpc-urls[0]=" + chain.endpoint().url())
        .withBean(ChainBreakerAutoConfiguration.CLOCK, Clock.class, () -> dayBehind)
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            context -> {
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              context.getBean(ChainBreakerMetrics.class).bindTo(registry);
              ChainBreaker breaker = context.getBean(ChainBreaker.class);
              await().atMost(Duration.ofSeconds(20)).until(() -> answeredAt(breaker) != null);
              assertThat(answeredAt(breaker)).isBefore(Instant.now().minus(Duration.ofHours(23)));
              assertThat(registry.get("chainbreaker.endpoint.answer.age").gauge().value())
                  .isBetween(0.0, 60.0);
              assertThat(registry.get("chainbreaker.network.head.age").gauge().value())
                  .isBetween(0.0, 60.0);
            });
  }

  private static Instant answeredAt(ChainBreaker breaker) {
    EndpointStatus endpoint = breaker.network("klaytn").endpoints().get(0);
    return endpoint.lastAnswerAt();
  }
}
