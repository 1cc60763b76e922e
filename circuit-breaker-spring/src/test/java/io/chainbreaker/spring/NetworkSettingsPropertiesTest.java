package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.NetworkSettings;
import io.chainbreaker.Setting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every setting of {@link NetworkSettings#ALL} is bound from {@code
 * chain-breaker.networks.<name>.<kebab-name>} by the one loop of {@link NetworkSettingsBinder}: a
 * setting added to the registry is bound without touching the starter, and described in its
 * metadata.
 */
class NetworkSettingsPropertiesTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ChainBreakerAutoConfiguration.class));

  @Test
  void everySettingOfTheRegistryIsBoundFromItsProperty() {
    List<String> properties = new ArrayList<>();
    for (Setting<?> s : NetworkSettings.ALL) {
      String at = "chain-breaker.networks.n-" + s.kebabName() + ".";
      if (s != NetworkSettings.CHAIN_ID) {
        properties.add(at + "chain-id=1");
      }
      if (s != NetworkSettings.FINALITY_STALL_AFTER) {
        properties.add(at + "finality-stall-after=15m"); // what finality-check-interval needs
      }
      properties.add(at + "rpc-urls[0]=http://127.0.0.1:1/");
      properties.add(at + s.kebabName() + "=" + s.example());
    }
    runner
        .withPropertyValues(properties.toArray(new String[0]))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ChainBreaker breaker = context.getBean(ChainBreaker.class);
              for (Setting<?> s : NetworkSettings.ALL) {
                NetworkConfig n = breaker.catalog().network("n-" + s.kebabName());
                assertThat(n).as("network of %s", s).isNotNull();
                assertThat((Object) s.read(n))
                    .as("%s from its property", s)
                    .isEqualTo(s.parse(s.example()));
              }
            });
  }

  @Test
  void aSettingIsBoundUnderEveryNameRelaxedBindingAccepts() {
    runner
        .withPropertyValues(
            "chain-breaker.networks.klaytn.chain-id=8217",
            "chain-breaker.networks.klaytn.rpc-urls[0]=http://127.0.0.1:1/",
            "chain-breaker.networks.klaytn.blockInterval=1s",
            "chain-breaker.networks.klaytn.HALT_AFTER=45s")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              NetworkConfig n = context.getBean(ChainBreaker.class).catalog().network("klaytn");
              assertThat(n.blockInterval()).isEqualTo(Duration.ofSeconds(1));
              assertThat(n.haltAfter()).isEqualTo(Duration.ofSeconds(45));
            });
  }

  @Test
  void theStartersMetadataDescribesEverySettingOfTheRegistry() throws IOException {
    String metadata;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the starter's configuration metadata").isNotNull();
      metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (Setting<?> s : NetworkSettings.ALL) {
      assertThat(metadata).contains("\"chain-breaker.networks.*." + s.kebabName() + "\"");
    }
  }
}
