package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.EndpointStatus;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.ProviderCost;
import io.chainbreaker.StatusSnapshot;
import io.chainbreaker.test.SimulatedChain;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * RPC cost through the starter: plans and cadence from properties, the {@code
 * chainbreaker.rpc.cost} counter by method in the provider's unit, the projection per provider in
 * the actuator's snapshot and the console's JSON. Real HTTP to the simulated chain, so on real
 * time.
 */
@Timeout(60)
class RpcCostAutoConfigurationTest {

  private SimulatedChain chain;
  private WebApplicationContextRunner runner;

  @BeforeEach
  void setUp() {
    chain = SimulatedChain.builder().chainId(8217).build();
    chain.produceBlocks(Duration.ofMillis(200));
    runner =
        new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ChainBreakerAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues(
                "management.endpoints.web.exposure.include=chainbreakers",
                "chain-breaker.console.enabled=true",
                "chain-breaker.rpc-plans.alchemy-growth.preset=alchemy",
                "chain-breaker.rpc-plans.alchemy-growth.weights.eth_getBlockByNumber=16",
                "chain-breaker.rpc-plans.alchemy-growth.budget-per-day=1000000",
                "chain-breaker.networks.klaytn.chain-id=8217",
                "chain-breaker.networks.klaytn.rpc-urls[0]="
                    + chain.endpoint().url()
                    + "v3/KEY0123456789abcdef",
                "chain-breaker.networks.klaytn.block-interval=1s",
                "chain-breaker.networks.klaytn.halt-lateness=200ms",
                "chain-breaker.networks.klaytn.rpc-plan=alchemy-growth",
                "chain-breaker.tokens.PXL.network=klaytn");
  }

  @AfterEach
  void tearDown() {
    chain.close();
  }

  @Test
  void costIsCountedByMethodInTheProvidersUnitAndProjectedInTheActuatorAndTheConsole() {
    runner.run(
        context -> {
          ChainBreaker breaker = context.getBean(ChainBreaker.class);
          NetworkConfig klaytn = breaker.catalog().network("klaytn");
          assertThat(klaytn.haltLateness()).isEqualTo(Duration.ofMillis(200));
          assertThat(klaytn.pollInterval()).isEqualTo(Duration.ofMillis(200));
          assertThat(klaytn.rpcPlan().name()).isEqualTo("alchemy-growth");
          assertThat(klaytn.rpcPlan().weight("eth_getBlockByNumber")).isEqualTo(16);
          assertThat(klaytn.rpcPlan().weight("eth_syncing")).isEqualTo(10);

          MeterRegistry registry = context.getBean(MeterRegistry.class);
          context.getBean(ChainBreakerMetrics.class).bindTo(registry);
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> {
                    EndpointStatus e = breaker.network("klaytn").endpoints().get(0);
                    return e.costPerDay() > 0
                        && e.costByMethod().getOrDefault("eth_getBlockByNumber", 0.0) > 16;
                  });

          FunctionCounter headers =
              registry
                  .get("chainbreaker.rpc.cost")
                  .tags(
                      "network",
                      "klaytn",
                      "method",
                      "eth_getBlockByNumber",
                      "unit",
                      "CU",
                      "provider",
                      "alchemy-growth")
                  .functionCounter();
          assertThat(headers.count()).isPositive();
          assertThat(headers.count() % 16).isZero();
          assertThat(headers.getId().getTag("endpoint"))
              .doesNotContain("KEY0123456789abcdef")
              .contains("***");
          double chainId =
              registry
                  .get("chainbreaker.rpc.cost")
                  .tags("network", "klaytn", "method", "eth_chainId")
                  .functionCounter()
                  .count();
          assertThat(chainId).isGreaterThanOrEqualTo(10.0);
          assertThat(chainId % 10).isZero();
          assertThat(
                  registry
                      .get("chainbreaker.rpc.cost.projected")
                      .tags("network", "klaytn", "provider", "alchemy-growth")
                      .gauge()
                      .value())
              .isPositive();

          StatusSnapshot actuator = context.getBean(ChainBreakerEndpoint.class).breakers();
          assertThat(actuator.providers()).hasSize(1);
          ProviderCost alchemy = actuator.providers().get(0);
          assertThat(alchemy.provider()).isEqualTo("alchemy-growth");
          assertThat(alchemy.unit()).isEqualTo("CU");
          assertThat(alchemy.budgetPerDay()).isEqualTo(1_000_000.0);
          assertThat(alchemy.costPerDay()).isPositive();

          MockHttpServletRequest request = new MockHttpServletRequest();
          request.setUserPrincipal(() -> "alice");
          request.addUserRole("CHAIN_BREAKER_VIEWER");
          ResponseEntity<Object> console = context.getBean(ConsoleController.class).status(request);
          @SuppressWarnings("unchecked")
          Map<String, Object> body = (Map<String, Object>) console.getBody();
          assertThat(body).isNotNull();
          @SuppressWarnings("unchecked")
          List<Map<String, Object>> providers = (List<Map<String, Object>>) body.get("providers");
          assertThat(providers)
              .singleElement()
              .satisfies(
                  p -> {
                    assertThat(p).containsEntry("provider", "alchemy-growth");
                    assertThat(p).containsEntry("unit", "CU");
                    assertThat(p).containsEntry("budgetPerDay", 1_000_000.0);
                    assertThat((Double) p.get("costPerDay")).isPositive();
                  });
        });
  }
}
