package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.DispatcherServlet;

class WebAutoConfigurationTest {

  private static final String[] CONFIG = {
    "chain-breaker.networks.klaytn.chain-id=8217",
    "chain-breaker.networks.klaytn.rpc-urls[0]=http://127.0.0.1:1/",
    "chain-breaker.networks.klaytn.block-interval=1s",
    "chain-breaker.tokens.PXL.network=klaytn"
  };

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ChainBreakerAutoConfiguration.class))
          .withPropertyValues(CONFIG);

  @Test
  void aServletApplicationServesTheWalletStatusByDefault() {
    web.run(
        context ->
            assertThat(context)
                .hasNotFailed()
                .hasSingleBean(WalletStatusDocument.class)
                .hasSingleBean(WalletStatusController.class));
  }

  @Test
  void theWalletStatusCanBeSwitchedOff() {
    web.withPropertyValues("chain-breaker.wallet-status.enabled=false")
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(WalletStatusDocument.class));
  }

  @Test
  void anApplicationWithoutSpringMvcStartsWithoutIt() {
    web.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(WalletStatusController.class));
  }

  @Test
  void aNonWebApplicationStartsWithoutIt() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ChainBreakerAutoConfiguration.class))
        .withPropertyValues(CONFIG)
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(WalletStatusDocument.class));
  }

  @Test
  void aServletApplicationServesTheConsoleOnlyWhenEnabled() {
    web.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ConsoleController.class));
    web.withPropertyValues("chain-breaker.console.enabled=false")
        .run(
            context -> assertThat(context).hasNotFailed().doesNotHaveBean(ConsoleController.class));
    web.withPropertyValues("chain-breaker.console.enabled=true")
        .run(context -> assertThat(context).hasSingleBean(ConsoleController.class));
    web.withPropertyValues("chain-breaker.console.enabled=true")
        .withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
        .run(
            context -> assertThat(context).hasNotFailed().doesNotHaveBean(ConsoleController.class));
  }

  @Test
  void theApplicationsOwnDocumentWins() {
    web.withBean(
            "mine",
            WalletStatusDocument.class,
            () ->
                new WalletStatusDocument(
                    () -> null,
                    java.util.Map.of(),
                    java.time.Duration.ofSeconds(1),
                    com.github.benmanes.caffeine.cache.Ticker.systemTicker()))
        .run(
            context ->
                assertThat(context.getBean(WalletStatusDocument.class))
                    .isSameAs(context.getBean("mine")));
  }

  @Test
  void aNonPositiveMaxAgeFailsStartUpNamingTheKey() {
    web.withPropertyValues("chain-breaker.wallet-status.max-age=0s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("chain-breaker.wallet-status.max-age"));
  }
}
