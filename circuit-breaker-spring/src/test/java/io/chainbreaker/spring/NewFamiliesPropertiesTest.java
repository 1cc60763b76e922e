package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.NetworkStatus;
import io.chainbreaker.Protocol;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The families added after the first seven are configured in properties as the others are: by
 * {@code protocol} and {@code identity}, or by {@code preset}, in any letter case.
 */
class NewFamiliesPropertiesTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ChainBreakerAutoConfiguration.class));

  @Test
  void networksOfTheNewFamiliesBindByProtocolAndIdentityOrByPreset() {
    runner
        .withPropertyValues(
            "chain-breaker.networks.xrpl.protocol=xrpl",
            "chain-breaker.networks.xrpl.identity=0",
            "chain-breaker.networks.xrpl.rpc-urls[0]=http://127.0.0.1:1/",
            "chain-breaker.networks.xrpl.block-interval=4s",
            "chain-breaker.networks.xlm.protocol=STELLAR",
            "chain-breaker.networks.xlm.identity=Public Global Stellar Network ; September 2015",
            "chain-breaker.networks.xlm.rpc-urls[0]=http://127.0.0.1:2/",
            "chain-breaker.networks.xlm.block-interval=5s",
            "chain-breaker.networks.dot.preset=polkadot",
            "chain-breaker.networks.dot.rpc-urls[0]=http://127.0.0.1:3/",
            "chain-breaker.tokens.XRP.network=xrpl",
            "chain-breaker.tokens.XLM.network=xlm",
            "chain-breaker.tokens.DOT.network=dot")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ChainBreaker breaker = context.getBean(ChainBreaker.class);
              ChainBreakerProperties p = context.getBean(ChainBreakerProperties.class);
              assertThat(p.getNetworks().get("xrpl").get(io.chainbreaker.NetworkSettings.PROTOCOL))
                  .isEqualTo(Protocol.XRPL);
              assertThat(p.getNetworks().get("xlm").get(io.chainbreaker.NetworkSettings.PROTOCOL))
                  .isEqualTo(Protocol.STELLAR);
              assertThat(breaker.snapshot().networks())
                  .extracting(NetworkStatus::name)
                  .containsExactlyInAnyOrder("xrpl", "xlm", "dot");
              assertThat(breaker.allowsWithdrawal("DOT")).isFalse(); // nothing read yet
            });
  }
}
