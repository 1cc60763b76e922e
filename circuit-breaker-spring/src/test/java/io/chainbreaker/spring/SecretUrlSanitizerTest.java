package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

  @Test
  void rpcUrlsAreShownMaskedUnderTheirOwnKeys() {
    SecretUrlSanitizer sanitizer = new SecretUrlSanitizer();
    assertThat(
            sanitizer
                .apply(
                    new SanitizableData(
                        null,
                        "chain-breaker.networks.ethereum.rpc-urls[0]",
                        "https://mainnet.infura.io/v3/0123456789abcdef"))
                .getValue())
        .isEqualTo("https://mainnet.infura.io/v3/***");
    assertThat(
            sanitizer
                .apply(
                    new SanitizableData(
                        null,
                        "chain-breaker.networks.ethereum.endpoints[0].ws-url",
                        "wss://u:p@x.io/k3y"))
                .getValue())
        .isEqualTo("wss://***@x.io/***");
  }

  @Test
  void theCommandLineShowsEveryUrlAsSchemeAndHostOnly() {
    String command =
        "app.jar --exchange.hook="
            + HOOK
            + " --spring.datasource.url=jdbc:postgresql://db/x --other=https://u:pw@h.example:8443";
    Object shown =
        new SecretUrlSanitizer()
            .apply(new SanitizableData(null, "sun.java.command", command))
            .getValue();
    assertThat(shown)
        .isEqualTo(
            "app.jar --exchange.hook=https://hooks.slack.com/***"
                + " --spring.datasource.url=jdbc:postgresql://db/x --other=https://***@h.example:8443/***");
  }

  @Test
  void aConfiguredSecretIsMaskedWhereverElseItAppears() {
    SecretUrlSanitizer sanitizer =
        new SecretUrlSanitizer(
            () -> List.of("https://mainnet.infura.io/v3/0123456789abcdef", HOOK));
    assertThat(
            sanitizer.apply(new SanitizableData(null, "INFURA_KEY", "0123456789abcdef")).getValue())
        .isEqualTo("***");
    assertThat(
            sanitizer
                .apply(
                    new SanitizableData(
                        null, "SPRING_APPLICATION_JSON", "{\"hook\":\"" + HOOK + "\"}"))
                .getValue())
        .asString()
        .doesNotContain("s3cr3tT0k3n");
    assertThat(sanitizer.apply(new SanitizableData(null, "user.home", "/root")).getValue())
        .isEqualTo("/root");
  }
}
