package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chainbreaker.NetworkHealth;
import io.chainbreaker.NetworkStatus;
import io.chainbreaker.Reason;
import io.chainbreaker.StatusSnapshot;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The heartbeat as a real dead-man's switch on loopback receives it. */
class HeartbeatTest {

  private static StatusSnapshot withKlaytn(NetworkHealth health) {
    NetworkStatus klaytn =
        new NetworkStatus(
            "klaytn",
            8217,
            health,
            Reason.HEALTHY,
            Instant.EPOCH,
            "",
            null,
            null,
            null,
            0,
            List.of(),
            null);
    return new StatusSnapshot(Instant.EPOCH, List.of(klaytn), List.of());
  }

  @Test
  void pingsTheSwitchWithAGetAtOnceAndThenEveryInterval() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver();
        Heartbeat heartbeat =
            new Heartbeat(
                () -> withKlaytn(NetworkHealth.HEALTHY),
                URI.create(receiver.url("/ping/5f3c-secret")),
                Duration.ofSeconds(1))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> heartbeat.pings() >= 2);

      assertThat(receiver.requests())
          .allSatisfy(
              r -> {
                assertThat(r.method()).isEqualTo("GET");
                assertThat(r.path()).isEqualTo("/ping/5f3c-secret");
              });
      assertThat(heartbeat.toString()).doesNotContain("5f3c");
    }
  }

  @Test
  void withholdsPingsWhileTheMonitorIsStale() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver();
        WebhookReceiver control = new WebhookReceiver();
        Heartbeat stale =
            new Heartbeat(
                () -> withKlaytn(NetworkHealth.MONITOR_STALE),
                URI.create(receiver.url("/ping")),
                Duration.ofSeconds(1));
        Heartbeat healthy =
            new Heartbeat(
                () -> withKlaytn(NetworkHealth.HALTED),
                URI.create(control.url("/ping")),
                Duration.ofSeconds(1))) {
      // both beat on the same schedule: by the healthy one's second ping the stale one had two
      // turns
      await().atMost(Duration.ofSeconds(10)).until(() -> healthy.pings() >= 2);

      assertThat(receiver.requests()).isEmpty();
      assertThat(stale.pings()).isZero();
    }
  }

  @Test
  void refusesAnIntervalUnderOneSecond() {
    assertThatThrownBy(
            () ->
                new Heartbeat(
                    () -> withKlaytn(NetworkHealth.HEALTHY),
                    URI.create("http://127.0.0.1:1/"),
                    Duration.ofMillis(10)))
        .hasMessage("interval must be at least 1s but was PT0.01S");
  }
}
