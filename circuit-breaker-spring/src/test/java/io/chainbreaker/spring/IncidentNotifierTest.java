package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainbreaker.BreakerState;
import io.chainbreaker.DirectionStatus;
import io.chainbreaker.NetworkHealth;
import io.chainbreaker.NetworkHealthChange;
import io.chainbreaker.Reason;
import io.chainbreaker.StatusSnapshot;
import io.chainbreaker.TokenStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Incident messages as a real HTTP receiver on loopback gets them. */
class IncidentNotifierTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Instant T0 = Instant.parse("2020-03-29T14:32:40Z");
  private static final String SECRET_PATH = "/services/T0001/B0001/s3cr3tT0k3n";

  private WebhookReceiver receiver;
  private IncidentNotifier notifier;
  private final AtomicLong nanos = new AtomicLong();

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = new WebhookReceiver();
  }

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close();
    }
    receiver.close();
  }

  private static DirectionStatus state(BreakerState s) {
    return new DirectionStatus(s, Reason.HALTED, T0, "", 24002379L, null);
  }

  private static StatusSnapshot klaytnTokens() {
    return new StatusSnapshot(
        T0,
        List.of(),
        List.of(
            new TokenStatus(
                "COSM",
                "klaytn",
                null,
                state(BreakerState.SUSPENDED),
                state(BreakerState.SUSPENDED)),
            new TokenStatus(
                "PXL",
                "klaytn",
                null,
                state(BreakerState.SUSPENDED),
                state(BreakerState.SUSPENDED)),
            new TokenStatus(
                "USDT",
                "ethereum",
                null,
                state(BreakerState.ALLOWED),
                state(BreakerState.ALLOWED))));
  }

  private void start(WebhookFormat format, int maxAttempts) {
    notifier =
        new IncidentNotifier(
            IncidentNotifierTest::klaytnTokens,
            new IncidentNotifier.Settings(
                URI.create(receiver.url(SECRET_PATH)),
                format,
                Duration.ofMinutes(1),
                maxAttempts,
                Duration.ofMillis(20),
                100),
            nanos::get);
    notifier.startThread();
  }

  private static NetworkHealthChange change(
      NetworkHealth from, NetworkHealth to, Reason reason, int secondsAfterT0) {
    return new NetworkHealthChange(
        "klaytn",
        from,
        to,
        reason,
        "no new head for PT30S",
        T0.plusSeconds(secondsAfterT0),
        24002379L + secondsAfterT0);
  }

  private static NetworkHealthChange halt(int at) {
    return change(NetworkHealth.HEALTHY, NetworkHealth.HALTED, Reason.HALTED, at);
  }

  private static NetworkHealthChange recover(int at) {
    return change(NetworkHealth.HALTED, NetworkHealth.HEALTHY, Reason.HEALTHY, at);
  }

  private List<JsonNode> bodies() {
    return receiver.requests().stream()
        .map(
            r -> {
              try {
                return JSON.readTree(r.body());
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }

  /** Once every change offered so far is handled, moves the ticker past the window. */
  private void passDedupWindow(int offered) {
    await().atMost(WAIT).until(() -> notifier.handled() == offered);
    nanos.addAndGet(Duration.ofMinutes(1).plusSeconds(1).toNanos());
  }

  @Test
  void aHaltIsOneMessageNamingReasonAndTheNetworksTokensAndRecoveryOneResolvedMessage() {
    start(WebhookFormat.JSON, 5);

    notifier.offer(halt(0));
    await().atMost(WAIT).until(() -> receiver.requests().size() == 1);
    WebhookReceiver.Request request = receiver.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo(SECRET_PATH);
    assertThat(request.contentType()).isEqualTo("application/json");
    JsonNode opened = bodies().get(0);
    assertThat(opened.get("event").asText()).isEqualTo("incident.opened");
    assertThat(opened.get("network").asText()).isEqualTo("klaytn");
    assertThat(opened.get("health").asText()).isEqualTo("HALTED");
    assertThat(opened.get("reason").asText()).isEqualTo("HALTED");
    assertThat(opened.get("tokens")).extracting(JsonNode::asText).containsExactly("COSM", "PXL");

    notifier.offer(recover(60));
    passDedupWindow(2);
    await().atMost(WAIT).until(() -> receiver.requests().size() == 2);
    JsonNode resolved = bodies().get(1);
    assertThat(resolved.get("event").asText()).isEqualTo("incident.resolved");
    assertThat(resolved.get("network").asText()).isEqualTo("klaytn");
    assertThat(resolved.get("duration").asText()).isEqualTo("PT1M");
  }

  @Test
  void aFlappingNetworkIsOneIncidentWithOneResolvedMessage() {
    start(WebhookFormat.JSON, 5);

    notifier.offer(halt(0));
    notifier.offer(recover(10));
    notifier.offer(halt(20));
    notifier.offer(change(NetworkHealth.HALTED, NetworkHealth.UNREACHABLE, Reason.UNREACHABLE, 25));
    notifier.offer(recover(30));
    notifier.offer(halt(40));
    notifier.offer(recover(50));
    await().atMost(WAIT).until(() -> receiver.requests().size() == 1);
    passDedupWindow(7);
    await().atMost(WAIT).until(() -> receiver.requests().size() >= 2);

    // the notifier handles changes in order: once the resolved message is out, every change was
    // seen
    assertThat(bodies())
        .extracting(b -> b.get("event").asText())
        .containsExactly("incident.opened", "incident.resolved");
    assertThat(bodies().get(1).get("relapses").asInt()).isEqualTo(2);
    assertThat(bodies().get(1).get("duration").asText()).isEqualTo("PT50S");
  }

  @Test
  void aChangeBetweenHealthyHealthsIsNoIncident() {
    start(WebhookFormat.JSON, 5);

    notifier.offer(change(NetworkHealth.HEALTHY, NetworkHealth.DEGRADED, Reason.SLOW_BLOCKS, 0));
    notifier.offer(halt(10));
    await().atMost(WAIT).until(() -> receiver.requests().size() == 1);

    assertThat(bodies().get(0).get("health").asText()).isEqualTo("HALTED");
  }

  @Test
  void slackFormatIsOneTextField() {
    start(WebhookFormat.SLACK, 5);

    notifier.offer(halt(0));
    await().atMost(WAIT).until(() -> receiver.requests().size() == 1);

    JsonNode body = bodies().get(0);
    assertThat(body.size()).isEqualTo(1);
    assertThat(body.get("text").asText()).contains("klaytn", "HALTED", "COSM, PXL", "#24002379");
  }

  @Test
  void aFailedDeliveryIsRetriedWithBackoffUntilAccepted() {
    receiver.failNext(2, 503);
    start(WebhookFormat.JSON, 5);

    notifier.offer(halt(0));
    await().atMost(WAIT).until(() -> notifier.sent() == 1);

    assertThat(receiver.requests())
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.body()).contains("incident.opened"));
  }

  @Test
  void aClientErrorIsNotRetried() {
    receiver.failNext(1, 400);
    start(WebhookFormat.JSON, 5);

    notifier.offer(halt(0));
    await().atMost(WAIT).until(() -> receiver.requests().size() == 1);
    notifier.offer(
        new NetworkHealthChange(
            "ethereum",
            NetworkHealth.HEALTHY,
            NetworkHealth.HALTED,
            Reason.HALTED,
            "no new head for PT2M",
            T0,
            null));
    await().atMost(WAIT).until(() -> receiver.requests().size() == 2);

    // the second request is the ethereum incident, not a retry of the refused one
    assertThat(bodies().get(1).get("network").asText()).isEqualTo("ethereum");
    assertThat(notifier.sent()).isEqualTo(1);
  }

  @Test
  void aFullQueueDropsChangesWithoutBlockingTheCaller() {
    notifier =
        new IncidentNotifier(
            IncidentNotifierTest::klaytnTokens,
            new IncidentNotifier.Settings(
                URI.create(receiver.url(SECRET_PATH)),
                WebhookFormat.JSON,
                Duration.ofMinutes(1),
                1,
                Duration.ofMillis(20),
                2),
            nanos::get); // not started: nothing takes from the queue

    for (int i = 0; i < 5; i++) {
      notifier.offer(halt(i));
    }

    assertThat(notifier.dropped()).isEqualTo(3);
  }

  @Test
  void settingsShowTheUrlOnlyAsSchemeAndHost() {
    IncidentNotifier.Settings settings =
        new IncidentNotifier.Settings(
            URI.create("https://hooks.slack.com/services/T0001/B0001/s3cr3tT0k3n"),
            WebhookFormat.SLACK,
            Duration.ofMinutes(1),
            5,
            Duration.ofSeconds(1),
            10);

    assertThat(settings.toString())
        .contains("https://hooks.slack.com/***")
        .doesNotContain("s3cr3t", "T0001");
  }

  @Test
  void settingsRefuseABadValueNamingIt() {
    assertThatThrownBy(
            () ->
                new IncidentNotifier.Settings(
                    URI.create("http://h/"),
                    WebhookFormat.JSON,
                    Duration.ofMinutes(1),
                    0,
                    Duration.ofSeconds(1),
                    10))
        .hasMessage("maxAttempts must be at least 1 but was 0");
    assertThatThrownBy(() -> WebhookClient.parse("ftp://hooks.example/s3cr3t"))
        .hasMessage("must be an http:// or https:// URL with a host");
  }
}
