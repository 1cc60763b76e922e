package io.chainbreaker.examples.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainbreaker.test.SimulatedChain;
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

/** The example through real HTTP: halt the embedded chain, see withdrawals refused, resume. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class ExchangeApplicationTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      int port = s.getLocalPort();
      registry.add("exchange.simulated-chain.port", () -> port);
    }
    registry.add("exchange.demo-password", () -> "test-password");
    registry.add("chain-breaker.networks.klaytn.halt-after", () -> "3s");
    registry.add("chain-breaker.networks.klaytn.poll-interval", () -> "200ms");
  }

  @LocalServerPort int port;

  TestHttp http;

  @BeforeEach
  void client() {
    http = TestHttp.onPort(port);
  }

  @Autowired SimulatedChain chain;

  private ResponseEntity<JsonNode> withdraw(String token) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return http.postForEntity(
        "/withdrawals",
        new HttpEntity<>(
            Map.of("token", token, "to", "0x" + "12".repeat(20), "amount", "10"), headers),
        JsonNode.class);
  }

  private static JsonNode pxlWithdrawal(JsonNode snapshot) {
    for (JsonNode token : snapshot.get("tokens")) {
      if (token.get("symbol").asText().equals("PXL")) {
        return token.get("withdrawal");
      }
    }
    throw new AssertionError("no PXL in " + snapshot);
  }

  private ResponseEntity<JsonNode> override(String user, String action) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    headers.setBasicAuth(user, "test-password");
    return http.exchange(
        "/actuator/chainbreakers/PXL/withdrawal",
        HttpMethod.POST,
        new HttpEntity<>(Map.of("action", action, "note", "hot wallet audit"), headers),
        JsonNode.class);
  }

  @Test
  void anOperatorListsATokenAtRunTimeAndItIsAllowedAtOnce() {
    await()
        .atMost(WAIT)
        .until(
            () ->
                http.getForEntity("/deposit-address/COSM", JsonNode.class).getStatusCode()
                    == HttpStatus.OK);
    assertThat(http.getForEntity("/deposit-address/NEW", JsonNode.class).getStatusCode())
        .isNotEqualTo(HttpStatus.OK);
    HttpHeaders viewer = new HttpHeaders();
    viewer.setBasicAuth("viewer", "test-password");
    assertThat(
            http.exchange(
                    "/actuator/chainbreakercatalog/NEW/klaytn",
                    HttpMethod.POST,
                    new HttpEntity<>(Map.of(), viewer),
                    JsonNode.class)
                .getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);

    HttpHeaders operator = new HttpHeaders();
    operator.setBasicAuth("operator", "test-password");
    ResponseEntity<JsonNode> listed =
        http.exchange(
            "/actuator/chainbreakercatalog/NEW/klaytn",
            HttpMethod.POST,
            new HttpEntity<>(Map.of("contract", "0x" + "cd".repeat(20)), operator),
            JsonNode.class);

    assertThat(listed.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(listed.getBody().get("symbol").asText()).isEqualTo("NEW");
    assertThat(listed.getBody().get("network").asText()).isEqualTo("klaytn");
    assertThat(listed.getBody().get("deposit").get("state").asText()).isEqualTo("ALLOWED");
    assertThat(http.getForEntity("/deposit-address/NEW", JsonNode.class).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    JsonNode catalog =
        http.withBasicAuth("viewer", "test-password")
            .getForObject("/actuator/chainbreakercatalog", JsonNode.class);
    assertThat(catalog.get("tokens").toString()).contains("\"symbol\":\"NEW\"");

    assertThat(
            http.exchange(
                    "/actuator/chainbreakercatalog/NEW/klaytn",
                    HttpMethod.DELETE,
                    new HttpEntity<>(operator),
                    JsonNode.class)
                .getStatusCode())
        .isEqualTo(HttpStatus.OK);
    assertThat(http.getForEntity("/deposit-address/NEW", JsonNode.class).getStatusCode())
        .isNotEqualTo(HttpStatus.OK);
  }

  @Test
  void aHaltedChainRefusesWithdrawalsWith503UntilItRecovers() {
    await().atMost(WAIT).until(() -> withdraw("PXL").getStatusCode() == HttpStatus.ACCEPTED);
    assertThat(http.getForEntity("/deposit-address/COSM", JsonNode.class).getStatusCode())
        .isEqualTo(HttpStatus.OK);

    chain.halt();
    await()
        .atMost(WAIT)
        .until(() -> withdraw("PXL").getStatusCode() == HttpStatus.SERVICE_UNAVAILABLE);
    ResponseEntity<JsonNode> refused = withdraw("PXL");
    assertThat(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("30");
    assertThat(refused.getBody().get("token").asText()).isEqualTo("PXL");
    assertThat(refused.getBody().get("reason").asText()).isEqualTo("HALTED");
    assertThat(refused.getBody().get("head").asLong()).isEqualTo(chain.head().number());
    assertThat(http.getForEntity("/deposit-address/COSM", JsonNode.class).getStatusCode())
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

    JsonNode snapshot =
        http.withBasicAuth("viewer", "test-password")
            .getForObject("/actuator/chainbreakers", JsonNode.class);
    assertThat(pxlWithdrawal(snapshot).get("state").asText()).isEqualTo("SUSPENDED");
    assertThat(pxlWithdrawal(snapshot).get("reason").asText()).isEqualTo("HALTED");
    assertThat(snapshot.get("networks").get(0).get("health").asText()).isEqualTo("HALTED");
    JsonNode status = http.getForObject("/wallet-status", JsonNode.class);
    assertThat(status).hasSize(3);
    assertThat(status.get(2).get("withdrawal").get("state").asText()).isEqualTo("SUSPENDED");
    JsonNode health = http.getForObject("/actuator/health", JsonNode.class);
    assertThat(health.get("status").asText()).isEqualTo("UP");
    String page = http.getForObject("/status", String.class);
    assertThat(page)
        .contains("<td>PXL</td>")
        .contains("class=\"SUSPENDED\">SUSPENDED")
        .contains("class=\"HALTED\">HALTED");

    chain.resume();
    // Recovering (withdrawals: 5 blocks and 5 s): Retry-After is what recovery still needs.
    ResponseEntity<JsonNode> recovering =
        await()
            .atMost(WAIT)
            .until(
                () -> withdraw("PXL"),
                r ->
                    r.getBody() != null && "RECOVERING".equals(r.getBody().path("state").asText()));
    assertThat(Long.parseLong(recovering.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)))
        .isBetween(1L, 5L);
    await().atMost(WAIT).until(() -> withdraw("PXL").getStatusCode() == HttpStatus.ACCEPTED);
  }

  @Test
  void healthDetailsAreForSignedInUsersOnly() {
    JsonNode anonymous = http.getForObject("/actuator/health", JsonNode.class);
    assertThat(anonymous.get("status").asText()).isEqualTo("UP");
    assertThat(anonymous.has("components")).as("no details for anonymous callers").isFalse();

    JsonNode viewer =
        http.withBasicAuth("viewer", "test-password")
            .getForObject("/actuator/health", JsonNode.class);
    assertThat(viewer.get("components").get("chainBreaker").get("details").get("klaytn"))
        .isNotNull();
  }

  @Test
  void onlyOperatorsMayForceAnOverrideAndTheyAreRecordedAsTheActor() {
    assertThat(override("viewer", "suspend").getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(
            http.exchange(
                    "/actuator/chainbreakers/PXL/withdrawal",
                    HttpMethod.POST,
                    new HttpEntity<>(Map.of("action", "suspend", "note", "x")),
                    JsonNode.class)
                .getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);

    ResponseEntity<JsonNode> forced = override("operator", "suspend");
    assertThat(forced.getStatusCode()).isEqualTo(HttpStatus.OK);
    JsonNode withdrawal = forced.getBody().get("withdrawal");
    assertThat(withdrawal.get("state").asText()).isEqualTo("SUSPENDED");
    assertThat(withdrawal.get("reason").asText()).isEqualTo("OPERATOR");
    assertThat(withdrawal.get("override").get("actor").asText()).isEqualTo("operator");
    assertThat(withdraw("PXL").getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

    assertThat(override("operator", "clear").getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  private ResponseEntity<JsonNode> override(Map<String, String> body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    headers.setBasicAuth("operator", "test-password");
    return http.exchange(
        "/actuator/chainbreakers/PXL/withdrawal",
        HttpMethod.POST,
        new HttpEntity<>(body, headers),
        JsonNode.class);
  }

  @Test
  void hostileOverridesAreRefusedWith400AndNothingIsForced() {
    List<Map<String, String>> hostile =
        List.of(
            Map.of("action", "suspend", "note", "nul \u0000 byte"),
            Map.of("action", "suspend", "note", "forged\r\n12:00:00 WARN all clear"),
            Map.of("action", "suspend", "note", "red \u001b[31m"),
            Map.of("action", "suspend", "note", "x".repeat(501)),
            Map.of("action", "suspend", "note", "y".repeat(1 << 20)),
            Map.of("action", "suspend", "note", "audit", "ttl", "200000000d"),
            Map.of("action", "suspend", "note", "audit", "ttl", "9999999999999d"),
            Map.of("action", "allow", "note", "audit", "ttl", "366d"),
            Map.of("action", "suspend", "note", "audit", "ttl", "soon"));
    for (Map<String, String> body : hostile) {
      ResponseEntity<JsonNode> answer = override(body);
      assertThat(answer.getStatusCode())
          .as(body.getOrDefault("ttl", "note") + " " + body.get("note").length())
          .isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(answer.getBody().get("error").asText()).isNotBlank();
    }
    JsonNode snapshot =
        http.withBasicAuth("viewer", "test-password")
            .getForObject("/actuator/chainbreakers", JsonNode.class);
    assertThat(pxlWithdrawal(snapshot).get("reason").asText()).isNotEqualTo("OPERATOR");
  }

  @Test
  void aWithdrawalWithoutATokenIs400() {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    ResponseEntity<JsonNode> answer =
        http.postForEntity(
            "/withdrawals",
            new HttpEntity<>(Map.of("to", "0x" + "12".repeat(20), "amount", "10"), headers),
            JsonNode.class);
    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(answer.getBody().get("detail").asText()).contains("no token symbol given");
  }

  @Test
  void anonymousPagesAndThe503ShowAnOverrideAsOperatorButNeitherWhoNorWhy() {
    await().atMost(WAIT).until(() -> withdraw("PXL").getStatusCode() == HttpStatus.ACCEPTED);
    String secretReason = "fraud case 7731 against account 0xabc";
    assertThat(override(Map.of("action", "suspend", "note", secretReason)).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    try {
      ResponseEntity<String> refused =
          http.postForEntity(
              "/withdrawals",
              new HttpEntity<>(Map.of("token", "PXL", "to", "0x1", "amount", "1"), jsonHeaders()),
              String.class);
      assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
      String page = http.getForObject("/status", String.class);
      String status = http.getForObject("/wallet-status", String.class);
      for (String anonymous : List.of(refused.getBody(), page, status)) {
        assertThat(anonymous)
            .contains("OPERATOR")
            .doesNotContain(secretReason)
            .doesNotContain("forced by operator");
      }
      assertThat(refused.getBody()).contains("forced by an operator");
      // Operators still see who and why.
      JsonNode snapshot =
          http.withBasicAuth("viewer", "test-password")
              .getForObject("/actuator/chainbreakers", JsonNode.class);
      assertThat(pxlWithdrawal(snapshot).get("override").get("note").asText())
          .isEqualTo(secretReason);
    } finally {
      override(Map.of("action", "clear"));
    }
  }

  private static HttpHeaders jsonHeaders() {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return headers;
  }

  @Test
  void anUnknownTokenIs404() {
    assertThat(withdraw("DOGE").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
  }
}
