package io.chainbreaker.examples.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example serves {@code /actuator/prometheus} with every metric the shipped alert rules and
 * Grafana dashboard read, under the names they use: they work as shipped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(120)
class PrometheusScrapeTest {

  private static final Pattern METRIC = Pattern.compile("chainbreaker_[a-z_]+");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      int port = s.getLocalPort();
      registry.add("exchange.simulated-chain.port", () -> port);
    }
    registry.add("exchange.demo-password", () -> "test-password");
    // Spring Boot's tests switch metrics export off unless asked (@AutoConfigureObservability,
    // whose package differs between the Boot lines); the application itself exports.
    registry.add("management.prometheus.metrics.export.enabled", () -> "true");
  }

  @LocalServerPort int port;

  private ResponseEntity<String> scrape(TestHttp http) {
    return http.getForEntity("/actuator/prometheus", String.class);
  }

  private static Set<String> exported(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private static Set<String> namedIn(String resource) throws IOException {
    try (InputStream in =
        PrometheusScrapeTest.class.getResourceAsStream("/META-INF/chain-breaker/" + resource)) {
      assertThat(in).as(resource).isNotNull();
      Set<String> names = new TreeSet<>();
      Matcher m = METRIC.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      while (m.find()) {
        names.add(m.group());
      }
      return names;
    }
  }

  @Test
  void aSignedInScraperReadsEveryMetricTheShippedRulesAndDashboardUse() throws IOException {
    TestHttp viewer = TestHttp.onPort(port).withBasicAuth("viewer", "test-password");
    // the transitions counter exists from the first transition: the start-up one to ALLOWED
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> scrape(viewer).getBody().contains("chainbreaker_transitions_total"));

    ResponseEntity<String> answer = scrape(viewer);

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(answer.getHeaders().getContentType().toString()).startsWith("text/plain");
    Set<String> exported = exported(answer.getBody());
    assertThat(exported)
        .contains(
            "chainbreaker_network_health",
            "chainbreaker_network_head",
            "chainbreaker_network_head_age_seconds",
            "chainbreaker_network_clock_offset_seconds",
            "chainbreaker_endpoint_head_age_seconds",
            "chainbreaker_endpoint_answer_age_seconds",
            "chainbreaker_endpoint_requests_total",
            "chainbreaker_token_state");
    assertThat(exported).containsAll(namedIn("prometheus-rules.yml"));
    assertThat(exported).containsAll(namedIn("grafana-dashboard.json"));
    assertThat(answer.getBody())
        .contains("chainbreaker_network_health{health=\"healthy\",network=\"klaytn\"} 1");
  }

  @Test
  void anAnonymousCallerCannotScrape() {
    ResponseEntity<String> answer = scrape(TestHttp.onPort(port));
    // refused: 401, or (this Accept header) a redirect to the sign-in form
    assertThat(answer.getStatusCode()).isIn(HttpStatus.UNAUTHORIZED, HttpStatus.FOUND);
    assertThat(String.valueOf(answer.getBody())).doesNotContain("chainbreaker_");
  }
}
