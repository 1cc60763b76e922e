package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.AmbiguousTokenException;
import io.chainbreaker.BreakerState;
import io.chainbreaker.CatalogChange;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.TokenConfig;
import io.chainbreaker.TokenStatus;
import io.chainbreaker.TokenSuspendedException;
import io.chainbreaker.UnknownTokenException;
import io.chainbreaker.store.CatalogRecord;
import io.chainbreaker.store.JdbcCatalog;
import io.chainbreaker.store.StateStore;
import io.chainbreaker.test.Awaits;
import io.chainbreaker.test.SimulatedChain;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Assets on several networks in properties, the catalog table, the catalog endpoint, meters. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class LiveCatalogAutoConfigurationTest {

  private SimulatedChain klaytn;
  private SimulatedChain tron;
  private ApplicationContextRunner runner;

  @BeforeEach
  void setUp() {
    klaytn = SimulatedChain.builder().chainId(8217).build();
    klaytn.produceBlocks(Duration.ofMillis(200));
    tron = SimulatedChain.builder().chainId(728126428).build();
    tron.produceBlocks(Duration.ofMillis(200));
    runner =
        new ApplicationContextRunner()
            .withConfiguration(
                AutoConfigurations.of(
                    ChainBreakerAutoConfiguration.class, AopAutoConfiguration.class))
            .withPropertyValues(
                "chain-breaker.networks.klaytn.chain-id=8217",
                "chain-breaker.networks.klaytn.rpc-urls[0]=" + klaytn.endpoint().url(),
                "chain-breaker.networks.klaytn.block-interval=1s",
                "chain-breaker.networks.tron.chain-id=728126428",
                "chain-breaker.networks.tron.rpc-urls[0]=" + tron.endpoint().url(),
                "chain-breaker.networks.tron.block-interval=1s",
                "chain-breaker.tokens.PXL.network=klaytn",
                "chain-breaker.tokens.USDT.networks=klaytn,tron",
                "chain-breaker.tokens.USDT.contracts.klaytn=0xd077a400968890eacc75cdc901f0356c943e4fdb",
                "chain-breaker.store.sync-interval=200ms");
  }

  @AfterEach
  void tearDown() {
    klaytn.close();
    tron.close();
  }

  private static SecurityContext user(String name, String... roles) {
    return new SecurityContext() {
      @Override
      public Principal getPrincipal() {
        return name == null ? null : () -> name;
      }

      @Override
      public boolean isUserInRole(String role) {
        return Set.of(roles).contains(role);
      }
    };
  }

  /** Waits for the engine's real-time sync (an I/O test, not a rule test). */
  private static void await(BooleanSupplier condition, String what) {
    Awaits.until(what, Duration.ofSeconds(10), condition::getAsBoolean);
  }

  @Test
  void anAssetOnSeveralNetworksIsOneTokenPerNetworkBesideSingleNetworkTokens() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          ChainBreaker breaker = context.getBean(ChainBreaker.class);
          assertThat(breaker.catalog().tokens())
              .containsExactly(
                  TokenConfig.of("PXL", "klaytn"),
                  new TokenConfig("USDT", "klaytn", "0xd077a400968890eacc75cdc901f0356c943e4fdb"),
                  TokenConfig.of("USDT", "tron"));
          assertThatThrownBy(() -> breaker.allowsWithdrawal("USDT"))
              .isInstanceOf(AmbiguousTokenException.class);
        });
  }

  @Test
  void badMultiNetworkPropertiesFailStartUpNamingTheKey() {
    runner
        .withPropertyValues("chain-breaker.tokens.USDT.network=tron")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining(
                        "chain-breaker.tokens.USDT.networks: token USDT sets both"));
    runner
        .withPropertyValues("chain-breaker.tokens.USDT.networks=klaytn,solana")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("chain-breaker.tokens.USDT.networks[1]")
                    .hasMessageContaining("unknown network 'solana'"));
    runner
        .withPropertyValues(
            "chain-breaker.tokens.USDT.contracts.bsc=0x55d398326f99059ff775485246999027b3197955")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("chain-breaker.tokens.USDT.contracts.bsc"));
  }

  @Test
  void theActuatorListsAddsAndRemovesTokensAsTheOperatorAndAuditsIt() {
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            context -> {
              ChainBreaker breaker = context.getBean(ChainBreaker.class);

              await(
                  () -> breaker.allowsWithdrawal("PXL") && breaker.allowsWithdrawal("USDT", "tron"),
                  "both networks healthy");
              MeterRegistry meters = context.getBean(MeterRegistry.class);
              context.getBean(ChainBreakerMetrics.class).bindTo(meters);
              ChainBreakerCatalogEndpoint endpoint =
                  context.getBean(ChainBreakerCatalogEndpoint.class);

              assertThat(endpoint.list("NEW", "tron", null, user("eve")).getStatus())
                  .isEqualTo(403);
              assertThat(
                      endpoint
                          .list("NEW", "solana", null, user("alice", "CHAIN_BREAKER_OPERATOR"))
                          .getStatus())
                  .isEqualTo(400);
              WebEndpointResponse<Object> added =
                  endpoint.list("NEW", "tron", null, user("alice", "CHAIN_BREAKER_OPERATOR"));
              assertThat(added.getStatus()).isEqualTo(200);
              TokenStatus status = (TokenStatus) added.getBody();
              assertThat(status.symbol()).isEqualTo("NEW");
              assertThat(status.network()).isEqualTo("tron");
              assertThat(status.withdrawal().state()).isEqualTo(BreakerState.ALLOWED);
              assertThat(breaker.allowsDeposit("NEW")).isTrue();
              assertThat(
                      meters
                          .get("chainbreaker.token.state")
                          .tags(
                              "symbol",
                              "NEW",
                              "network",
                              "tron",
                              "direction",
                              "deposit",
                              "state",
                              "allowed")
                          .gauge()
                          .value())
                  .isEqualTo(1.0);

              @SuppressWarnings("unchecked")
              Map<String, Object> listing = (Map<String, Object>) endpoint.catalog().getBody();
              assertThat(listing.get("networks")).isEqualTo(List.of("klaytn", "tron"));
              assertThat((List<?>) listing.get("tokens"))
                  .hasSize(4)
                  .anySatisfy(
                      t -> {
                        Map<?, ?> token = (Map<?, ?>) t;
                        assertThat(token.get("symbol")).isEqualTo("NEW");
                        assertThat(token.get("network")).isEqualTo("tron");
                      });

              assertThat(endpoint.delist("NEW", "tron", user("eve")).getStatus()).isEqualTo(403);
              assertThat(
                      endpoint
                          .delist("NEW", "klaytn", user("alice", "CHAIN_BREAKER_OPERATOR"))
                          .getStatus())
                  .isEqualTo(404);
              assertThat(
                      endpoint
                          .delist("NEW", "tron", user("bob", "CHAIN_BREAKER_OPERATOR"))
                          .getStatus())
                  .isEqualTo(200);
              assertThatThrownBy(() -> breaker.allowsDeposit("NEW", "tron"))
                  .isInstanceOf(UnknownTokenException.class);
              assertThat(meters.find("chainbreaker.token.state").tags("symbol", "NEW").gauges())
                  .isEmpty();
              assertThat(
                      meters
                          .find("chainbreaker.token.state")
                          .tags("symbol", "USDT", "network", "tron")
                          .gauges())
                  .hasSize(6);

              List<CatalogRecord> trail =
                  context
                      .getBean(StateStore.class)
                      .catalogAudit(Instant.EPOCH, Instant.now().plusSeconds(5), 10);
              assertThat(trail)
                  .extracting(r -> r.actor() + ": " + r.change())
                  .containsExactly("alice: token NEW@tron", "bob: -token NEW@tron");
            });
  }

  @Test
  void metersFollowNetworksAndTokensChangedInCodeWithoutAScrapeEverFailing() {
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            context -> {
              ChainBreaker breaker = context.getBean(ChainBreaker.class);
              MeterRegistry meters = context.getBean(MeterRegistry.class);
              context.getBean(ChainBreakerMetrics.class).bindTo(meters);
              assertThat(meters.find("chainbreaker.network.head").tags("network", "tron").gauge())
                  .isNotNull();

              // Tron and its USDT leave the catalog in code: their meters go with them.
              breaker.change(
                  CatalogChange.by("test")
                      .removeToken("USDT", "tron")
                      .removeNetwork("tron")
                      .build());
              assertThat(meters.find("chainbreaker.network.head").tags("network", "tron").gauge())
                  .isNull();
              assertThat(
                      meters
                          .find("chainbreaker.token.state")
                          .tags("symbol", "USDT", "network", "tron")
                          .gauges())
                  .isEmpty();
              // What stays can still be read (a scrape never throws).
              meters.getMeters().forEach(m -> m.measure().forEach(x -> x.getValue()));

              // Added back under another name with its token: registered at once.
              breaker.change(
                  CatalogChange.by("test")
                      .putNetwork(
                          NetworkConfig.builder("tron2")
                              .chainId(728126428)
                              .rpcUrls(tron.endpoint().url())
                              .blockInterval(Duration.ofSeconds(1))
                              .build())
                      .putToken(TokenConfig.of("USDT", "tron2"))
                      .build());
              assertThat(meters.find("chainbreaker.network.head").tags("network", "tron2").gauge())
                  .isNotNull();
              assertThat(
                      meters
                          .find("chainbreaker.endpoint.requests")
                          .tags("network", "tron2")
                          .functionCounter())
                  .isNotNull();
              assertThat(
                      meters
                          .find("chainbreaker.token.state")
                          .tags("symbol", "USDT", "network", "tron2")
                          .gauges())
                  .hasSize(6);
            });
  }

  @Test
  void theCatalogTableIsTheEnginesSourceAndTheActuatorWritesThere() {
    runner
        .withConfiguration(AutoConfigurations.of(BootLine.DATA_SOURCE_AUTO_CONFIGURATION))
        .withPropertyValues(
            "spring.datasource.url=jdbc:h2:mem:catalog;DB_CLOSE_DELAY=-1",
            "chain-breaker.catalog.jdbc.enabled=true",
            "chain-breaker.catalog.jdbc.create-schema=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ChainBreaker breaker = context.getBean(ChainBreaker.class);
              JdbcCatalog table = context.getBean(JdbcCatalog.class);

              // Another instance lists a token in the shared table: it arrives within the sync.
              table.put(TokenConfig.of("DOGE", "klaytn"), "carol");
              await(
                  () -> breaker.catalog().tokens().contains(TokenConfig.of("DOGE", "klaytn")),
                  "DOGE listed from the table");

              ChainBreakerCatalogEndpoint endpoint =
                  context.getBean(ChainBreakerCatalogEndpoint.class);
              assertThat(
                      endpoint
                          .list("NEW", "klaytn", null, user("alice", "CHAIN_BREAKER_OPERATOR"))
                          .getStatus())
                  .isEqualTo(200);
              assertThat(table.list())
                  .extracting(e -> e.token().symbol() + " by " + e.listedBy())
                  .containsExactly("DOGE by carol", "NEW by alice");
              WebEndpointResponse<Object> gone =
                  endpoint.delist("DOGE", "klaytn", user("bob", "CHAIN_BREAKER_OPERATOR"));
              assertThat(gone.getBody())
                  .isEqualTo(
                      Map.of(
                          "symbol",
                          "DOGE",
                          "network",
                          "klaytn",
                          "delisted",
                          true,
                          "catalogTable",
                          true));
              assertThat(table.tokens()).containsExactly(TokenConfig.of("NEW", "klaytn"));
              // A token from the configuration is delisted here only; the table never had it.
              WebEndpointResponse<Object> local =
                  endpoint.delist("PXL", "klaytn", user("bob", "CHAIN_BREAKER_OPERATOR"));
              assertThat(((Map<?, ?>) local.getBody()).get("catalogTable")).isEqualTo(false);
            });
  }

  @Test
  void theCatalogTableWithoutADataSourceFailsStartUpSayingSo() {
    runner
        .withPropertyValues("chain-breaker.catalog.jdbc.enabled=true")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("chain-breaker.catalog.jdbc.enabled")
                    .hasMessageContaining("DataSource"));
  }

  @Test
  void guardsNameTheNetworkOfAnAssetOnSeveral() {
    runner
        .withUserConfiguration(GuardedService.Config.class)
        .run(
            context -> {
              GuardedService service = context.getBean(GuardedService.class);
              ChainBreaker breaker = context.getBean(ChainBreaker.class);
              breaker.forceAllow("USDT", "klaytn", Direction.DEPOSIT, "test", "open", null);
              breaker.forceSuspend("USDT", "tron", Direction.DEPOSIT, "alice", "incident", null);

              assertThat(service.depositAddress("USDT", "klaytn"))
                  .isEqualTo("0xabc for USDT on klaytn");
              assertThatThrownBy(() -> service.depositAddress("USDT", "tron"))
                  .isInstanceOfSatisfying(
                      TokenSuspendedException.class, e -> assertThat(e.symbol()).isEqualTo("USDT"));
              assertThatThrownBy(() -> service.depositAddress("USDT"))
                  .isInstanceOf(AmbiguousTokenException.class);
            });
  }
}
