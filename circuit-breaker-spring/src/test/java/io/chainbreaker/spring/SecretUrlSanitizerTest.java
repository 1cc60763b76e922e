package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class SecretUrlSanitizerTest {

  private static final String HOOK = "https://hooks.slack.com/services/T0001/B0001/s3cr3tT0k3n";

  @Test
  void theEnvEndpointShowsAWebhookUrlAsSchemeAndHostEvenWhenValuesAreShown() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "test",
                Map.of(
                    "chain-breaker.notifications.webhook.url", HOOK,
                    "CHAIN_BREAKER_NOTIFICATIONS_HEARTBEAT_URL",
                        "https://hc-ping.com/0b5e-secret-uuid",
                    "chain-breaker.networks.klaytn.block-interval", "1s")));
    EnvironmentEndpoint endpoint =
        new EnvironmentEndpoint(
            environment, java.util.List.of(new SecretUrlSanitizer()), Show.ALWAYS);

    assertThat(shown(endpoint, "chain-breaker.notifications.webhook.url"))
        .isEqualTo("https://hooks.slack.com/***");
    assertThat(shown(endpoint, "CHAIN_BREAKER_NOTIFICATIONS_HEARTBEAT_URL"))
        .isEqualTo("https://hc-ping.com/***");
    assertThat(shown(endpoint, "chain-breaker.networks.klaytn.block-interval")).isEqualTo("1s");
  }

  private static Object shown(EnvironmentEndpoint endpoint, String key) {
    return endpoint.environmentEntry(key).getProperty().getValue();
  }

  @Test
  void leavesOtherKeysAlone() {
    SanitizableData data =
        new SanitizableData(null, "chain-breaker.networks.klaytn.chain-id", 8217);
    assertThat(new SecretUrlSanitizer().apply(data).getValue()).isEqualTo(8217);
  }
}
