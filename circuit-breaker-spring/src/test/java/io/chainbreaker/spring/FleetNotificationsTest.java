package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.FleetConfig;
import io.chainbreaker.FleetStatus;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.store.InMemoryFleetStore;
import io.chainbreaker.store.InMemoryStateStore;
import io.chainbreaker.test.ScriptedHeadSource;
import io.chainbreaker.test.VirtualTime;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fleet tells people once: two members on one store, each with its notifier on the fleet's
 * outbox; the leader is killed mid-incident, and the incident still has exactly one opened and one
 * resolved message, delivered by whoever leads. The chains run on virtual time; the notifiers on
 * their own threads, to a real HTTP receiver.
 */
@Timeout(60)
class FleetNotificationsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final VirtualTime time = VirtualTime.create();
  private final InMemoryFleetStore store =
      new InMemoryFleetStore(time.clock(), new InMemoryStateStore());
  private final WebhookReceiver receiver = newReceiver();
  private final List<Member> members = new ArrayList<>();

  private static WebhookReceiver newReceiver() {
    try {
      return new WebhookReceiver();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  final class Member {
    final ScheduledExecutorService monitor = time.newScheduler();
    final ScheduledExecutorService watchdog = time.newScheduler();
    final ScheduledExecutorService fleet = time.newScheduler();
    final ScriptedHeadSource endpoint = new ScriptedHeadSource(8217, 24_002_300, time.clock());
    final ChainBreaker breaker;
    final IncidentNotifier notifier;

    Member(String id) {
      breaker =
          ChainBreaker.builder()
              .network(
                  NetworkConfig.builder("klaytn")
                      .chainId(8217)
                      .rpcUrls("https://node.example/")
                      .blockInterval(Duration.ofSeconds(1))
                      .haltAfter(Duration.ofSeconds(10))
                      .depositRecovery(RecoveryRule.of(3, Duration.ofSeconds(5)))
                      .withdrawalRecovery(RecoveryRule.of(3, Duration.ofSeconds(5)))
                      .build())
              .token("PXL", "klaytn")
              .clock(time.clock())
              .ticker(time::nanoTime)
              .scheduler(monitor)
              .watchdogScheduler(watchdog)
              .ioExecutor(Runnable::run)
              .fleetScheduler(fleet)
              .headSources((settings, url) -> endpoint)
              .fleet(FleetConfig.builder(store).name("exchange").instanceId(id).build())
              .build();
      notifier =
          IncidentNotifier.start(
              breaker,
              new IncidentNotifier.Settings(
                  URI.create(receiver.url("/hook/s3cr3t")),
                  WebhookFormat.JSON,
                  Duration.ofMillis(300),
                  5,
                  Duration.ofMillis(20),
                  100),
              store.outbox());
    }

    void kill() {
      monitor.shutdownNow();
      watchdog.shutdownNow();
      fleet.shutdownNow();
    }
  }

  @AfterEach
  void stop() {
    members.forEach(
        m -> {
          m.notifier.close();
          m.breaker.close();
        });
    receiver.close();
  }

  private void produce(int seconds) {
    for (int i = 0; i < seconds; i++) {
      time.advance(Duration.ofSeconds(1));
      members.forEach(m -> m.endpoint.mine(1));
    }
  }

  private void idle(int seconds) {
    for (int i = 0; i < seconds * 10; i++) {
      time.advance(Duration.ofMillis(100));
    }
  }

  private List<String> events() {
    return receiver.requests().stream()
        .map(
            r -> {
              try {
                JsonNode n = JSON.readTree(r.body());
                return n.path("event").asText() + " " + n.path("key").asText();
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }

  @Test
  void aLeaderKilledMidIncidentStillMakesOneOpenedAndOneResolvedMessage() throws Exception {
    Member a = new Member("a");
    members.add(a);
    a.breaker.start();
    time.runDue();
    Member b = new Member("b");
    members.add(b);
    b.breaker.start();
    produce(5);
    assertThat(a.breaker.fleet().role()).isEqualTo(FleetStatus.Role.LEADER);

    idle(12); // halted
    await().atMost(Duration.ofSeconds(10)).until(() -> events().size() == 1);
    assertThat(events().get(0)).startsWith("incident.opened incident/klaytn/");

    a.kill(); // mid-incident: its notifier sees nothing more
    idle(12);
    assertThat(b.breaker.fleet().role()).isEqualTo(FleetStatus.Role.LEADER);
    // the new leader took the open incident over: the halt it sees itself is no new incident
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> events().size() == 1);

    produce(10); // the chain resumes; after the de-duplication window, one resolved message
    await().atMost(Duration.ofSeconds(10)).until(() -> events().size() == 2);
    String opened = events().get(0).substring("incident.opened ".length());
    assertThat(events().get(1))
        .isEqualTo("incident.resolved " + opened.replace("/opened", "/resolved"));
    await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(2))
        .until(() -> events().size() == 2);
    assertThat(store.outbox().pending(10)).isEmpty();
  }

  @Test
  void anOperatorSuspensionIsToldOnceWhicheverMemberItWasMadeOn() throws Exception {
    Member a = new Member("a");
    members.add(a);
    a.breaker.start();
    time.runDue();
    Member b = new Member("b");
    members.add(b);
    b.breaker.start();
    produce(5);

    b.breaker.forceSuspend("PXL", io.chainbreaker.Direction.WITHDRAWAL, "alice", "audit", null);
    produce(3); // every member syncs the override and sees the transition
    await().atMost(Duration.ofSeconds(10)).until(() -> events().size() == 1);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> events().size() == 1);
    assertThat(events().get(0)).startsWith("override.suspended override/PXL@klaytn/withdrawal/");
  }
}
