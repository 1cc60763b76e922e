package io.chainbreaker.examples.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainbreaker.CatalogChange;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.TokenConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The operator console's API through real HTTP: who may read, who may override, and CSRF. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class OperatorConsoleHttpTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      int port = s.getLocalPort();
      registry.add("exchange.simulated-chain.port", () -> port);
    }
    registry.add("exchange.demo-password", () -> "test-password");
  }

  @LocalServerPort int port;

  TestHttp http;

  @BeforeEach
  void client() {
    http = TestHttp.onPort(port);
  }

  private static HttpHeaders json(String user) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    headers.setAccept(List.of(MediaType.APPLICATION_JSON));
    headers.setBasicAuth(user, "test-password");
    return headers;
  }

  private ResponseEntity<JsonNode> override(HttpHeaders headers) {
    return http.exchange(
        "/chain-breaker/api/tokens/DTA/deposit",
        HttpMethod.POST,
        new HttpEntity<>(
            Map.of("action", "suspend", "note", "cold wallet move", "ttl", "1h"), headers),
        JsonNode.class);
  }

  @Test
  void anonymousCallersGetNoConsoleDataButTheWalletStatus() {
    HttpHeaders headers = new HttpHeaders();
    headers.setAccept(List.of(MediaType.APPLICATION_JSON));
    ResponseEntity<String> status =
        http.exchange(
            "/chain-breaker/api/status", HttpMethod.GET, new HttpEntity<>(headers), String.class);
    assertThat(status.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(status.getBody()).doesNotContain("klaytn");

    assertThat(
            http.getForEntity("/chain-breaker/wallet-status", JsonNode.class)
                .getBody()
                .at("/PXL/networks/klaytn/network")
                .asText())
        .isEqualTo("klaytn");
  }

  @Test
  void aViewerReadsNetworksWithMaskedEndpointsAndTokensButMayNotOverride() {
    ResponseEntity<JsonNode> status =
        http.exchange(
            "/chain-breaker/api/status",
            HttpMethod.GET,
            new HttpEntity<>(json("viewer")),
            JsonNode.class);
    assertThat(status.getStatusCode()).isEqualTo(HttpStatus.OK);
    JsonNode klaytn = status.getBody().at("/networks/0");
    assertThat(klaytn.get("name").asText()).isEqualTo("klaytn");
    assertThat(klaytn.at("/endpoints/0/url").asText()).startsWith("http://127.0.0.1:");
    assertThat(status.getBody().get("tokens"))
        .extracting(t -> t.get("symbol").asText())
        .containsExactly("COSM", "DTA", "PXL");

    JsonNode session =
        http.exchange(
                "/chain-breaker/api/session",
                HttpMethod.GET,
                new HttpEntity<>(json("viewer")),
                JsonNode.class)
            .getBody();
    assertThat(session.get("user").asText()).isEqualTo("viewer");
    assertThat(session.get("operator").asBoolean()).isFalse();

    assertThat(override(json("viewer")).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
  }

  @Test
  void anOperatorsOverrideNeedsTheSessionsCsrfTokenAndRecordsTheOperator() {
    assertThat(override(json("operator")).getStatusCode())
        .as("no CSRF token")
        .isEqualTo(HttpStatus.FORBIDDEN);

    ResponseEntity<JsonNode> session =
        http.exchange(
            "/chain-breaker/api/session",
            HttpMethod.GET,
            new HttpEntity<>(json("operator")),
            JsonNode.class);
    assertThat(session.getBody().get("operator").asBoolean()).isTrue();
    JsonNode csrf = session.getBody().get("csrf");
    HttpHeaders headers = json("operator");
    headers.set(csrf.get("headerName").asText(), csrf.get("token").asText());
    headers.put(HttpHeaders.COOKIE, session.getHeaders().get(HttpHeaders.SET_COOKIE));

    ResponseEntity<JsonNode> forced = override(headers);

    assertThat(forced.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(forced.getBody().at("/deposit/state").asText()).isEqualTo("SUSPENDED");
    assertThat(forced.getBody().at("/deposit/override/actor").asText()).isEqualTo("operator");
    JsonNode audit =
        http.exchange(
                "/chain-breaker/api/tokens/DTA/audit",
                HttpMethod.GET,
                new HttpEntity<>(json("viewer")),
                JsonNode.class)
            .getBody();
    assertThat(audit)
        .anySatisfy(
            r -> {
              assertThat(r.get("actor").asText()).isEqualTo("operator");
              assertThat(r.get("to").asText()).isEqualTo("SUSPENDED");
              assertThat(r.get("reason").asText()).isEqualTo("OPERATOR");
            });
  }

  @Test
  void thePageHoldsNoDataAndForbidsInlineScripts() {
    HttpHeaders headers = new HttpHeaders();
    headers.setAccept(List.of(MediaType.TEXT_HTML));
    headers.setBasicAuth("viewer", "test-password");
    ResponseEntity<String> page =
        http.exchange("/chain-breaker", HttpMethod.GET, new HttpEntity<>(headers), String.class);
    assertThat(page.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(page.getHeaders().getFirst("Content-Security-Policy")).contains("script-src 'self'");
    assertThat(page.getBody()).contains("/chain-breaker/console.js").doesNotContain("klaytn");
  }

  @Autowired ChainBreaker breaker;

  @Test
  void anOperatorOverridesOneNetworkOfAnAssetListedOnSeveral() {
    // List PXL on a second network (the same simulated chain under another name) for this test.
    NetworkConfig klaytn = breaker.catalog().network("klaytn");
    NetworkConfig kaia =
        NetworkConfig.builder("kaia")
            .chainId(8217)
            .rpcUrls(klaytn.rpcUrls().get(0).uri().toString())
            .blockInterval(Duration.ofSeconds(1))
            .build();
    breaker.change(
        CatalogChange.by("test").putNetwork(kaia).putToken(TokenConfig.of("PXL", "kaia")).build());
    try {
      ResponseEntity<JsonNode> session =
          http.exchange(
              "/chain-breaker/api/session",
              HttpMethod.GET,
              new HttpEntity<>(json("operator")),
              JsonNode.class);
      JsonNode csrf = session.getBody().get("csrf");
      HttpHeaders headers = json("operator");
      headers.set(csrf.get("headerName").asText(), csrf.get("token").asText());
      headers.put(HttpHeaders.COOKIE, session.getHeaders().get(HttpHeaders.SET_COOKIE));
      Map<String, String> suspend = Map.of("action", "suspend", "note", "bridge audit");

      ResponseEntity<JsonNode> bySymbol =
          http.exchange(
              "/chain-breaker/api/tokens/PXL/withdrawal",
              HttpMethod.POST,
              new HttpEntity<>(suspend, headers),
              JsonNode.class);
      assertThat(bySymbol.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(bySymbol.getBody().get("error").asText()).contains("klaytn").contains("kaia");

      ResponseEntity<JsonNode> onKaia =
          http.exchange(
              "/chain-breaker/api/tokens/PXL@kaia/withdrawal",
              HttpMethod.POST,
              new HttpEntity<>(suspend, headers),
              JsonNode.class);
      assertThat(onKaia.getStatusCode()).isEqualTo(HttpStatus.OK);
      assertThat(onKaia.getBody().at("/withdrawal/state").asText()).isEqualTo("SUSPENDED");
      assertThat(breaker.allowsWithdrawal("PXL", "kaia")).isFalse();
      assertThat(breaker.token("PXL", "klaytn").status().withdrawal().override()).isNull();

      ResponseEntity<JsonNode> malformed =
          http.exchange(
              "/chain-breaker/api/tokens/PXL@@kaia/withdrawal",
              HttpMethod.POST,
              new HttpEntity<>(suspend, headers),
              JsonNode.class);
      assertThat(malformed.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(malformed.getBody().get("error").asText())
          .contains("SYMBOL@network")
          .contains("'PXL@@kaia'");
    } finally {
      breaker.change(
          CatalogChange.by("test").removeToken("PXL", "kaia").removeNetwork("kaia").build());
    }
  }
}
