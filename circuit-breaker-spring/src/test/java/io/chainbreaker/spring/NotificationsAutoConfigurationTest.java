package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chainbreaker.test.SimulatedChain;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter's notifications, end to end: a simulated chain halts, a real receiver is told. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class NotificationsAutoConfigurationTest {

  private SimulatedChain chain;
  private WebhookReceiver receiver;
  private ApplicationContextRunner runner;

  @BeforeEach
  void setUp() throws Exception {
    chain = SimulatedChain.builder().chainId(8217).build();
    chain.produceBlocks(Duration.ofMillis(200));
    receiver = new WebhookReceiver();
    runner =
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ChainBreakerAutoConfiguration.class))
            .withPropertyValues(
                "chain-breaker.networks.klaytn.chain-id=8217",
                "chain-breaker.networks.klaytn.rpc-urls[0]=" + chain.endpoint().url(),
                "chain-breaker.networks.klaytn.block-interval=200ms",
                "chain-breaker.networks.klaytn.halt-after=1s",
                "chain-breaker.networks.klaytn.poll-interval=100ms",
                "chain-breaker.tokens.PXL.network=klaytn",
                "chain-breaker.tokens.COSM.network=klaytn");
  }

  @AfterEach
  void tearDown() {
    chain.close();
    receiver.close();
  }

  @Test
  void withoutAUrlThereIsNoNotifierAndNoHeartbeat() {
    runner.run(
        context ->
            assertThat(context)
                .hasNotFailed()
                .doesNotHaveBean(IncidentNotifier.class)
                .doesNotHaveBean(Heartbeat.class));
  }

  @Test
  void theWebhookUrlAsNamedIsToldOfAHaltedChainOnce() {
    runner
        .withPropertyValues(
            "chain-breaker.notifications.webhook.url=" + receiver.url("/hook/s3cr3t"))
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(IncidentNotifier.class);
              assertThat(context.getBean(IncidentNotifier.class).toString())
                  .contains("http://127.0.0.1:")
                  .doesNotContain("s3cr3t");
              await()
                  .atMost(Duration.ofSeconds(30))
                  .until(
                      () ->
                          context
                              .getBean(io.chainbreaker.ChainBreaker.class)
                              .allowsWithdrawal("PXL"));

              chain.halt();

              await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.requests().isEmpty());
              assertThat(receiver.requests().get(0).body())
                  .contains(
                      "\"event\":\"incident.opened\"",
                      "\"health\":\"HALTED\"",
                      "\"tokens\":[\"PXL\",\"COSM\"]");
            });
  }

  @Test
  void aHeartbeatUrlIsPinged() {
    runner
        .withPropertyValues(
            "chain-breaker.notifications.heartbeat.url=" + receiver.url("/ping/s3cr3t"),
            "chain-breaker.notifications.heartbeat.interval=1s")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(Heartbeat.class);
              await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.requests().isEmpty());
              assertThat(receiver.requests().get(0).method()).isEqualTo("GET");
            });
  }

  @Test
  void aWebhookUrlThatIsNoHttpUrlFailsStartUpWithoutShowingIt() {
    runner
        .withPropertyValues("chain-breaker.notifications.webhook.url=hooks.slack.com/s3cr3t")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("chain-breaker.notifications.webhook")
                    .hasMessageContaining("http://")
                    .message()
                    .doesNotContain("s3cr3t"));
  }
}
