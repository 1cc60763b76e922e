package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.BreakerState;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.NetworkHealth;
import io.chainbreaker.TokenSuspendedException;
import io.chainbreaker.TokenTransition;
import io.chainbreaker.store.InMemoryStateStore;
import io.chainbreaker.store.StateStore;
import io.chainbreaker.test.Awaits;
import io.chainbreaker.test.SimulatedChain;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class ChainBreakerAutoConfigurationTest {

  private SimulatedChain chain;
  private ApplicationContextRunner runner;

  @BeforeEach
  void setUp() {
    chain = SimulatedChain.builder().chainId(8217).build();
    chain.produceBlocks(Duration.ofMillis(200));
    runner =
        new ApplicationContextRunner()
            .withConfiguration(
                AutoConfigurations.of(
                    ChainBreakerAutoConfiguration.class, AopAutoConfiguration.class))
            .withPropertyValues(
                "management.endpoints.web.exposure.include=chainbreakers",
                "chain-breaker.networks.klaytn.chain-id=8217",
                "chain-breaker.networks.klaytn.rpc-urls[0]="
                    + chain.endpoint().url()
                    + "v3/KEY0123456789abcdef",
                "chain-breaker.networks.klaytn.block-interval=1s",
                "chain-breaker.networks.klaytn.halt-after=20s",
                "chain-breaker.networks.klaytn.recovery.withdrawal.blocks=20",
                "chain-breaker.tokens.PXL.network=klaytn",
                "chain-breaker.tokens.PXL.contract=0x7a1cdca99fe5995ab8e317ede8495c07cbf488ad",
                "chain-breaker.tokens.PXL.recovery.deposit.grace=5s",
                "chain-breaker.tokens.COSM.network=klaytn");
  }

  @AfterEach
  void tearDown() {
    chain.close();
  }

  @Test
  void bindsNetworksAndTokensAndFillsTheEngineDefaults() {
    runner.run(
        context -> {
          assertThat(context)
              .hasNotFailed()
              .hasSingleBean(ChainBreaker.class)
              .hasSingleBean(ChainBreakerLifecycle.class)
              .hasSingleBean(StateStore.class);
          ChainBreaker breaker = context.getBean(ChainBreaker.class);
          assertThat(breaker.snapshot().tokens())
              .extracting(t -> t.symbol())
              .containsExactly("PXL", "COSM");
          assertThat(breaker.token("PXL").status().contract())
              .isEqualTo("0x7a1cdca99fe5995ab8e317ede8495c07cbf488ad");
          assertThat(breaker.network("klaytn").endpoints().get(0).url()).endsWith("/v3/***");
          ChainBreakerProperties p = context.getBean(ChainBreakerProperties.class);
          assertThat(p.getNetworks().get("klaytn").get(io.chainbreaker.NetworkSettings.HALT_AFTER))
              .isEqualTo(Duration.ofSeconds(20));
          assertThat(
                  p.getNetworks().get("klaytn").get(io.chainbreaker.NetworkSettings.POLL_INTERVAL))
              .isNull();
          assertThat(p.getHealth().isEnabled()).isFalse();
          assertThat(p.getManagement().getOperatorRole()).isEqualTo("CHAIN_BREAKER_OPERATOR");
        });
  }

  @Test
  void startsWithTheContextAndPublishesTransitionsAsApplicationEvents() {
    runner
        .withUserConfiguration(EventCollector.class)
        .run(
            context -> {
              ChainBreaker breaker = context.getBean(ChainBreaker.class);
              EventCollector events = context.getBean(EventCollector.class);
              breaker.forceSuspend("PXL", Direction.WITHDRAWAL, "alice", "audit", null);
              assertThat(events.transitions)
                  .anySatisfy(
                      t -> {
                        assertThat(t.symbol()).isEqualTo("PXL");
                        assertThat(t.to()).isEqualTo(BreakerState.SUSPENDED);
                        assertThat(t.actor()).isEqualTo("alice");
                      });
            });
  }

  @Test
  void theUsersOwnBeansWin() {
    ChainBreaker own =
        ChainBreaker.builder()
            .network(NetworkConfig.builder("eth").chainId(1).rpcUrls("http://127.0.0.1:1/").build())
            .token("USDT", "eth")
            .build();
    InMemoryStateStore store = new InMemoryStateStore();
    runner
        .withBean(ChainBreaker.class, () -> own)
        .withBean(StateStore.class, () -> store)
        .run(
            context -> {
              assertThat(context.getBean(ChainBreaker.class)).isSameAs(own);
              assertThat(context.getBean(StateStore.class)).isSameAs(store);
            });
  }

  @Test
  void theApplicationsResilience4jRegistryHoldsTheTokenBreakers() {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    runner
        .withBean(CircuitBreakerRegistry.class, () -> registry)
        .run(context -> assertThat(registry.find("PXL@klaytn.withdrawal")).isPresent());
  }

  @Test
  void customizersAreApplied() {
    Clock fixed = Clock.fixed(Instant.parse("2020-03-29T14:32:40Z"), ZoneOffset.UTC);
    runner
        .withBean(ChainBreakerCustomizer.class, () -> b -> b.clock(fixed))
        .run(
            context ->
                assertThat(context.getBean(ChainBreaker.class).snapshot().takenAt())
                    .isEqualTo(fixed.instant()));
  }

  @Test
  void invalidConfigurationFailsStartUpNamingTheKeyAndValue() {
    runner
        .withPropertyValues("chain-breaker.networks.klaytn.halt-after=-1s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidChainBreakerConfigurationException.class)
                    .hasMessage(
                        "Invalid Chain Breaker configuration: "
                            + "chain-breaker.networks.klaytn.halt-after: "
                            + "haltAfter of network klaytn must be positive but was PT-1S"));
    runner
        .withPropertyValues("chain-breaker.tokens.DTA.network=kaia")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "chain-breaker.tokens.DTA.network: token DTA names the "
                            + "unknown network 'kaia'"));
    runner
        .withPropertyValues("chain-breaker.networks.klaytn.rpc-urls[1]=ftp://node")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "chain-breaker.networks.klaytn.rpc-urls[1]: network klaytn: "
                            + "RPC URL must start with http:// or https://"));
    runner
        .withPropertyValues("chain-breaker.networks.bsc.rpc-urls[0]=http://127.0.0.1:1/")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "chain-breaker.networks.bsc.chain-id: network bsc needs a chain id,"
                            + " an identity or a preset"));
    runner
        .withPropertyValues(
            "chain-breaker.networks.klaytn.endpoints[0].rpc-url=http://n/",
            "chain-breaker.networks.klaytn.endpoints[0].ws-url=http://x/")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "chain-breaker.networks.klaytn.endpoints[0].ws-url: network klaytn:"
                            + " RPC URL must start with ws:// or wss://"));
    runner
        .withPropertyValues("chain-breaker.networks.klaytn.preset=ripple")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "chain-breaker.networks.klaytn.preset: unknown network preset"));
  }

  @Test
  void storeTypeJdbcKeepsOverridesAndTheAuditTrailInTheApplicationsDataSource() {
    runner
        .withConfiguration(AutoConfigurations.of(BootLine.DATA_SOURCE_AUTO_CONFIGURATION))
        .withPropertyValues(
            "spring.datasource.url=jdbc:h2:mem:starter;DB_CLOSE_DELAY=-1",
            "chain-breaker.store.type=jdbc",
            "chain-breaker.store.create-schema=true",
            "chain-breaker.store.instance-id=pod-7")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              io.chainbreaker.store.JdbcStateStore store =
                  context.getBean(io.chainbreaker.store.JdbcStateStore.class);
              assertThat(store.instance()).isEqualTo("pod-7");
              ChainBreaker breaker = context.getBean(ChainBreaker.class);
              breaker.forceSuspend("PXL", Direction.DEPOSIT, "alice", "audit", null);
              assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
              assertThat(store.overrides()).hasSize(1);
              assertThat(store.audit("PXL", Instant.EPOCH, Instant.now().plusSeconds(5), 10))
                  .extracting(r -> r.instance())
                  .containsExactly("pod-7");
            });
  }

  @Test
  void storeTypeJdbcWithoutADataSourceFailsStartUpSayingSo() {
    runner
        .withPropertyValues("chain-breaker.store.type=jdbc")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "chain-breaker.store.type: jdbc needs exactly one DataSource"));
  }

  @Test
  void aSequencerFeedBindsAndABadOneFailsStartUpNamingTheKey() {
    runner
        .withPropertyValues(
            "chain-breaker.networks.arb.preset=arbitrum",
            "chain-breaker.networks.arb.rpc-urls[0]=http://127.0.0.1:2/",
            "chain-breaker.networks.arb.sequencer-feed=0xFdB631F5EE196F0ed6FAa767959853A9F217697D",
            "chain-breaker.networks.arb.sequencer-check-interval=10s",
            "chain-breaker.networks.arb.sequencer-grace-period=30m",
            "chain-breaker.networks.arb.suspend-on.sequencer-grace[0]=deposit",
            "chain-breaker.networks.arb.suspend-on.sequencer-grace[1]=withdrawal")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ChainBreakerProperties p = context.getBean(ChainBreakerProperties.class);
              try (var b = PropertiesMapper.builder(p).build()) {
                io.chainbreaker.NetworkConfig arb = b.catalog().network("arb");
                assertThat(arb.sequencerFeed())
                    .isEqualTo("0xFdB631F5EE196F0ed6FAa767959853A9F217697D");
                assertThat(arb.sequencerCheckInterval()).isEqualTo(Duration.ofSeconds(10));
                assertThat(arb.sequencerGracePeriod()).isEqualTo(Duration.ofMinutes(30));
                assertThat(arb.suspends(io.chainbreaker.Reason.SEQUENCER_GRACE))
                    .containsExactlyInAnyOrder(Direction.DEPOSIT, Direction.WITHDRAWAL);
              }
            });
    runner
        .withPropertyValues(
            "chain-breaker.networks.arb.preset=arbitrum",
            "chain-breaker.networks.arb.rpc-urls[0]=http://127.0.0.1:2/",
            "chain-breaker.networks.arb.sequencer-grace-period=-1m")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessage(
                        "Invalid Chain Breaker configuration: "
                            + "chain-breaker.networks.arb.sequencer-grace-period: "
                            + "sequencerGracePeriod of network arb must not be negative but was"
                            + " PT-1M"));
  }

  @Test
  void signalSettingsPresetsPoliciesAndMaintenanceBind() {
    runner
        .withPropertyValues(
            "chain-breaker.networks.eth.preset=ethereum",
            "chain-breaker.networks.eth.rpc-urls[0]=http://127.0.0.1:1/",
            "chain-breaker.networks.eth.max-reorg-depth=30",
            "chain-breaker.networks.eth.suspend-on.slow-blocks[0]=withdrawal",
            "chain-breaker.networks.eth.suspend-on.deep-reorg=",
            "chain-breaker.networks.eth.maintenance[0].start=2030-01-01T00:00:00Z",
            "chain-breaker.networks.eth.maintenance[0].end=2030-01-01T01:00:00Z",
            "chain-breaker.networks.eth.maintenance[0].note=Pectra",
            "chain-breaker.networks.arb.preset=arbitrum",
            "chain-breaker.networks.arb.rpc-urls[0]=http://127.0.0.1:2/",
            "chain-breaker.networks.kaia.chain-id=8217",
            "chain-breaker.networks.kaia.namespace=klay",
            "chain-breaker.networks.kaia.endpoints[0].rpc-url=http://127.0.0.1:3/",
            "chain-breaker.networks.kaia.endpoints[0].ws-url=ws://127.0.0.1:4/",
            "chain-breaker.tokens.USDT.network=eth")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ChainBreakerProperties p = context.getBean(ChainBreakerProperties.class);
              var eth = PropertiesMapper.builder(p).build();
              try (eth) {
                assertThat(eth.network("eth").chainId()).isEqualTo(1);
              }
              NetworkProperties n = p.getNetworks().get("eth");
              assertThat(n.getSuspendOn().get(io.chainbreaker.Reason.SLOW_BLOCKS))
                  .containsExactly(Direction.WITHDRAWAL);
              assertThat(n.getSuspendOn().get(io.chainbreaker.Reason.DEEP_REORG)).isEmpty();
              assertThat(n.getMaintenance().get(0).getNote()).isEqualTo("Pectra");
              assertThat(p.getNetworks().get("kaia").getEndpoints())
                  .singleElement()
                  .satisfies(e -> assertThat(e.getWsUrl()).isEqualTo("ws://127.0.0.1:4/"));
              assertThat(p.getNetworks().get("kaia").get(io.chainbreaker.NetworkSettings.NAMESPACE))
                  .isEqualTo(io.chainbreaker.RpcNamespace.KLAY);
            });
  }

  @Test
  void canBeSwitchedOff() {
    runner
        .withPropertyValues("chain-breaker.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ChainBreaker.class));
  }

  @Test
  void actuatorAndMicrometerPartsStayOptional() {
    runner
        .withClassLoader(
            // org.springframework.boot.health: the health API's own module in Spring Boot 4
            new FilteredClassLoader(
                "org.springframework.boot.actuate",
                "org.springframework.boot.health",
                "io.micrometer"))
        .withPropertyValues("chain-breaker.health.enabled=true")
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .hasSingleBean(ChainBreaker.class)
                  .doesNotHaveBean(ChainBreakerMetrics.class)
                  .doesNotHaveBean(ChainBreakerEndpoint.class)
                  .doesNotHaveBean(ChainBreakerHealthIndicator.class);
            });
  }

  @Test
  void theEndpointIsThereWithActuatorAndTheHealthIndicatorOnlyWhenAskedFor() {
    runner.run(
        context ->
            assertThat(context)
                .hasSingleBean(ChainBreakerEndpoint.class)
                .doesNotHaveBean(ChainBreakerHealthIndicator.class));
    runner
        .withPropertyValues("chain-breaker.health.enabled=true")
        .run(context -> assertThat(context).hasSingleBean(ChainBreakerHealthIndicator.class));
  }

  @Test
  void aHaltedChainNeverMakesTheApplicationHealthDown() {
    try (SimulatedChain halted =
        SimulatedChain.builder()
            .chainId(56)
            .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)))
            .build()) {
      runner
          .withPropertyValues(
              "chain-breaker.health.enabled=true",
              "chain-breaker.networks.bsc.chain-id=56",
              "chain-breaker.networks.bsc.rpc-urls[0]=" + halted.endpoint().url(),
              "chain-breaker.tokens.BNB.network=bsc")
          .withUserConfiguration(EventCollector.class)
          .run(
              context -> {
                EventCollector events = context.getBean(EventCollector.class);
                events.awaitSuspended("BNB");
                // var: Health is in another package on each Boot line
                var health = context.getBean(ChainBreakerHealthIndicator.class).health();
                assertThat(health.getStatus().getCode()).isEqualTo("UP");
                assertThat(health.getDetails().get("bsc")).asString().contains("HALTED");
              });
    }
  }

  @Test
  void metersFollowTheTokenStates() {
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            context -> {
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              context.getBean(ChainBreakerMetrics.class).bindTo(registry);
              ChainBreaker breaker = context.getBean(ChainBreaker.class);
              breaker.forceSuspend("PXL", Direction.WITHDRAWAL, "alice", "audit", null);
              assertThat(
                      registry
                          .get("chainbreaker.token.state")
                          .tags("symbol", "PXL", "direction", "withdrawal", "state", "suspended")
                          .gauge()
                          .value())
                  .isEqualTo(1.0);
              assertThat(
                      registry
                          .get("chainbreaker.token.state")
                          .tags("symbol", "PXL", "direction", "withdrawal", "state", "allowed")
                          .gauge()
                          .value())
                  .isEqualTo(0.0);
              assertThat(
                      registry
                          .get("chainbreaker.transitions")
                          .tags("state", "suspended", "reason", "operator")
                          .counter()
                          .count())
                  .isEqualTo(1.0);
              assertThat(
                      registry.get("chainbreaker.endpoint.head").tags("network", "klaytn").gauge())
                  .isNotNull();
              assertThat(
                      registry
                          .get("chainbreaker.endpoint.head.age")
                          .tags("network", "klaytn")
                          .gauge())
                  .isNotNull();
              assertThat(
                      registry
                          .get("chainbreaker.network.head.age")
                          .tags("network", "klaytn")
                          .gauge())
                  .isNotNull();
              assertThat(
                      registry
                          .get("chainbreaker.network.health")
                          .tags("network", "klaytn", "health", "unreachable")
                          .gauge()
                          .value())
                  .isEqualTo(0.0);
            });
  }

  @Test
  void guardedMethodsAreRefusedWhileTheirTokenIsSuspended() {
    runner
        .withUserConfiguration(GuardedService.Config.class)
        .run(
            context -> {
              GuardedService service = context.getBean(GuardedService.class);
              assertThat(AopUtils.isAopProxy(service)).isTrue();
              ChainBreaker breaker = context.getBean(ChainBreaker.class);
              breaker.forceAllow("PXL", Direction.WITHDRAWAL, "test", "open", null);
              breaker.forceAllow("COSM", Direction.DEPOSIT, "test", "open", null);
              assertThat(service.withdraw(new GuardedService.Request("PXL", 5)))
                  .isEqualTo("sent 5 PXL");
              assertThat(service.depositAddress("COSM")).isEqualTo("0xabc for COSM");

              breaker.forceSuspend("PXL", Direction.WITHDRAWAL, "alice", "incident", null);
              assertThatThrownBy(() -> service.withdraw(new GuardedService.Request("PXL", 5)))
                  .isInstanceOfSatisfying(
                      TokenSuspendedException.class, e -> assertThat(e.symbol()).isEqualTo("PXL"));
              assertThat(service.calls()).isEqualTo(2);
              assertThatThrownBy(() -> service.withdraw(new GuardedService.Request("DOGE", 1)))
                  .hasMessageContaining("unknown token 'DOGE'");
            });
  }

  /** Collects the engine's events as the application sees them. */
  @Configuration(proxyBeanMethods = false)
  static class EventCollector {
    final List<TokenTransition> transitions = new CopyOnWriteArrayList<>();
    final List<io.chainbreaker.NetworkHealthChange> health = new CopyOnWriteArrayList<>();

    @EventListener
    void on(TokenTransition t) {
      transitions.add(t);
    }

    @EventListener
    void on(io.chainbreaker.NetworkHealthChange c) {
      health.add(c);
    }

    void awaitSuspended(String token) {
      Awaits.until(
          "a suspension of " + token,
          Duration.ofSeconds(20),
          () -> List.copyOf(transitions),
          seen ->
              seen.stream()
                  .anyMatch(
                      t ->
                          t.symbol().equals(token)
                              && t.to() == BreakerState.SUSPENDED
                              && t.reason() == io.chainbreaker.Reason.HALTED));
      assertThat(health).anyMatch(c -> c.to() == NetworkHealth.HALTED);
    }
  }
}
