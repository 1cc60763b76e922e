package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the Grafana dashboard shipped in the starter name only metrics that the
 * starter's meters really have under Prometheus's naming (dots to underscores, {@code _total} on
 * counters, base units appended). promtool checks their syntax in CI.
 */
class ShippedMonitoringFilesTest {

  private static final Pattern METRIC = Pattern.compile("chainbreaker_[a-z_]+");

  private ChainBreaker breaker;
  private PrometheusMeterRegistry registry;

  @BeforeEach
  void setUp() {
    breaker =
        ChainBreaker.builder()
            .network(
                NetworkConfig.builder("klaytn")
                    .chainId(8217)
                    .rpcUrls("http://127.0.0.1:1/")
                    .blockInterval(Duration.ofSeconds(1))
                    .build())
            .token("PXL", "klaytn")
            .build();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ChainBreakerMetrics(breaker, Clock.systemUTC()).bindTo(registry);
    // the transitions counter exists from the first transition on
    breaker.forceSuspend("PXL", Direction.WITHDRAWAL, "test", "metric names", null);
  }

  @AfterEach
  void tearDown() {
    breaker.close();
    registry.close();
  }

  private Set<String> exported() {
    Set<String> names = new TreeSet<>();
    for (String line : registry.scrape().split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in =
        ShippedMonitoringFilesTest.class.getResourceAsStream("/META-INF/chain-breaker/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Set<String> named(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  @Test
  void everyMetricTheAlertRulesUseIsExported() throws IOException {
    Set<String> used = named(resource("prometheus-rules.yml"));

    assertThat(used)
        .contains(
            "chainbreaker_network_health",
            "chainbreaker_transitions_total",
            "chainbreaker_token_state",
            "chainbreaker_endpoint_answer_age_seconds");
    assertThat(exported()).containsAll(used);
  }

  @Test
  void everyMetricTheDashboardUsesIsExported() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(resource("grafana-dashboard.json"));
    StringBuilder exprs = new StringBuilder();
    dashboard
        .get("panels")
        .forEach(
            p -> p.get("targets").forEach(t -> exprs.append(t.get("expr").asText()).append('\n')));
    exprs.append(dashboard.at("/templating/list/0/definition").asText());

    Set<String> used = named(exprs.toString());

    assertThat(used)
        .contains(
            "chainbreaker_network_head_age_seconds",
            "chainbreaker_endpoint_requests_total",
            "chainbreaker_network_clock_offset_seconds");
    assertThat(exported()).containsAll(used);
  }
}
