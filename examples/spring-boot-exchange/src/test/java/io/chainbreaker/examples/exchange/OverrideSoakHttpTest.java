package io.chainbreaker.examples.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chainbreaker.store.AuditRecord;
import io.chainbreaker.store.StateStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * 1,000 override requests, 64 in flight at once, over real HTTP against the example: every one
 * accepted is in the audit trail exactly once, none refused is, and all finish (the figures are
 * printed, not asserted: timings stay out of tests).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(300)
class OverrideSoakHttpTest {

  private static final int REQUESTS = 1_000;
  private static final int IN_FLIGHT = 64;
  private static final List<String> TOKENS = List.of("PXL", "COSM", "DTA");
  private static final Pattern NOTE = Pattern.compile("soak-(\\d{4})");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      int port = s.getLocalPort();
      registry.add("exchange.simulated-chain.port", () -> port);
    }
    registry.add("exchange.demo-password", () -> "test-password");
  }

  @LocalServerPort int port;
  @Autowired StateStore store;

  @Test
  void everyAcceptedOverrideOfAThousandConcurrentOnesIsAuditedExactlyOnce() throws Exception {
    // HTTP/1.1: the JDK client's default HTTP/2 asks a cleartext server to upgrade (h2c) on the
    // first request of each connection, which Tomcat does not do for a request with a body.
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("operator:test-password".getBytes(StandardCharsets.UTF_8));
    Semaphore slots = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<Integer>> answers = new ArrayList<>();
    long began = System.nanoTime();
    for (int i = 0; i < REQUESTS; i++) {
      String token = TOKENS.get(i % TOKENS.size());
      String direction = (i / TOKENS.size()) % 2 == 0 ? "withdrawal" : "deposit";
      String action = (i / 6) % 2 == 0 ? "suspend" : "allow";
      String body =
          "{\"action\":\"%s\",\"note\":\"soak-%04d\",\"ttl\":\"1h\"}".formatted(action, i);
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:%d/actuator/chainbreakers/%s/%s"
                          .formatted(port, token, direction)))
              .header("Authorization", basic)
              .header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      slots.acquire();
      answers.add(
          http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .thenApply(HttpResponse::statusCode)
              .whenComplete((s, e) -> slots.release()));
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
    long millis = Duration.ofNanos(System.nanoTime() - began).toMillis();

    List<Integer> accepted = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < REQUESTS; i++) {
      if (answers.get(i).join() == 200) {
        accepted.add(i);
      } else {
        refused++;
      }
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> audited().size() >= accepted.size());
    Map<Integer, Integer> audited = audited();

    System.out.printf(
        "override soak: %d requests, %d in flight, %d accepted, %d refused, %d audit rows,"
            + " %d ms (%.0f requests/s)%n",
        REQUESTS,
        IN_FLIGHT,
        accepted.size(),
        refused,
        audited.values().stream().mapToInt(Integer::intValue).sum(),
        millis,
        REQUESTS * 1000.0 / Math.max(1, millis));
    assertThat(accepted).hasSize(REQUESTS);
    for (int i : accepted) {
      assertThat(audited.get(i)).as("audit rows of request %d", i).isEqualTo(1);
    }
    assertThat(audited.keySet()).containsExactlyInAnyOrderElementsOf(accepted);
  }

  /** How many audit rows carry each request's note. */
  private Map<Integer, Integer> audited() {
    Map<Integer, Integer> rows = new HashMap<>();
    for (String token : TOKENS) {
      for (AuditRecord r :
          store.audit(
              token,
              Instant.now().minus(Duration.ofHours(1)),
              Instant.now().plusSeconds(5),
              100_000)) {
        Matcher m = NOTE.matcher(String.valueOf(r.transition().detail()));
        if (m.find()) {
          rows.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
        }
      }
    }
    return rows;
  }
}
