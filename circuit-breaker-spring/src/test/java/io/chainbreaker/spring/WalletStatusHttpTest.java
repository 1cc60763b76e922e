package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.test.SimulatedChain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The public wallet status through real HTTP, in an application with nothing but the starter. */
@SpringBootTest(
    classes = WalletStatusHttpTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class WalletStatusHttpTest {

  private static final SimulatedChain CHAIN = SimulatedChain.builder().chainId(8217).build();

  static {
    CHAIN.produceBlocks(Duration.ofMillis(200));
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("chain-breaker.networks.klaytn.chain-id", () -> "8217");
    registry.add(
        "chain-breaker.networks.klaytn.rpc-urls[0]",
        () -> CHAIN.endpoint().url() + "v3/KEY0123456789abcdef");
    registry.add("chain-breaker.networks.klaytn.block-interval", () -> "1s");
    registry.add("chain-breaker.networks.klaytn.poll-interval", () -> "200ms");
    registry.add("chain-breaker.tokens.PXL.network", () -> "klaytn");
    registry.add("chain-breaker.tokens.COSM.network", () -> "klaytn");
    // a max-age far beyond the test: only the transition can refresh the document
    registry.add("chain-breaker.wallet-status.max-age", () -> "1h");
  }

  @AfterAll
  static void stopChain() {
    CHAIN.close();
  }

  // The JDK's client, not TestRestTemplate: that moved to another module in Spring Boot 4, and
  // this test runs on both Boot lines.
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @Autowired ChainBreaker breaker;

  private HttpResponse<String> walletStatus() throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/chain-breaker/wallet-status"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode pxlOnKlaytn() throws Exception {
    HttpResponse<String> response = walletStatus();
    assertThat(response.statusCode()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body()).get("PXL");
  }

  @Test
  void anyoneReadsEachAssetsNetworksAndAnOverrideAppearsAtOnceAsOperatorOnly() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> breaker.allowsWithdrawal("PXL"));
    JsonNode pxl = pxlOnKlaytn();
    assertThat(pxl.get("code").asText()).isEqualTo("PXL");
    assertThat(pxl.get("withdraw").asBoolean()).isTrue();
    assertThat(pxl.at("/networks/klaytn/network").asText()).isEqualTo("klaytn");

    breaker.forceSuspend("PXL", Direction.WITHDRAWAL, "alice", "hot wallet audit", null);

    JsonNode after = pxlOnKlaytn();
    assertThat(after.get("withdraw").asBoolean()).isFalse();
    assertThat(after.at("/networks/klaytn/withdraw").asBoolean()).isFalse();
    assertThat(after.at("/networks/klaytn/deposit").asBoolean()).isTrue();
    assertThat(after.at("/networks/klaytn/info/withdraw/reason").asText()).isEqualTo("OPERATOR");
    assertThat(after.at("/networks/klaytn/info/withdraw/since").asText()).isNotBlank();
    String body = walletStatus().body();
    assertThat(body).doesNotContain("alice", "hot wallet", "KEY0123456789abcdef");
  }

  private static List<String> fields(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void everyAssetAndNetworkCarriesCcxtsWholeCurrencyStructureWithUnknownsAsNull() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> breaker.allowsWithdrawal("COSM"));
    JsonNode cosm = new ObjectMapper().readTree(walletStatus().body()).get("COSM");

    assertThat(fields(cosm))
        .containsExactly(
            "id",
            "code",
            "name",
            "active",
            "deposit",
            "withdraw",
            "fee",
            "precision",
            "limits",
            "info",
            "networks");
    assertThat(cosm.get("id").asText()).isEqualTo("COSM");
    for (String unknown : List.of("name", "fee", "precision")) {
      assertThat(cosm.get(unknown).isNull()).as(unknown).isTrue();
    }
    assertThat(cosm.get("info").toString()).isEqualTo("{\"symbols\":[\"COSM\"]}");
    assertThat(cosm.get("limits").toString())
        .isEqualTo(
            "{\"withdraw\":{\"min\":null,\"max\":null},\"deposit\":{\"min\":null,\"max\":null}}");

    JsonNode klaytn = cosm.at("/networks/klaytn");
    assertThat(fields(klaytn))
        .containsExactly(
            "id",
            "network",
            "name",
            "active",
            "deposit",
            "withdraw",
            "fee",
            "precision",
            "limits",
            "info");
    assertThat(klaytn.get("id").asText()).isEqualTo("klaytn");
    assertThat(klaytn.get("active").isBoolean()).isTrue();
    for (String unknown : List.of("name", "fee", "precision")) {
      assertThat(klaytn.get(unknown).isNull()).as(unknown).isTrue();
    }
    assertThat(klaytn.get("limits")).isEqualTo(cosm.get("limits"));
    assertThat(fields(klaytn.get("info")))
        .containsExactly("token", "contract", "deposit", "withdraw");
    assertThat(klaytn.at("/info/contract").isNull()).isTrue();
    assertThat(klaytn.at("/info/deposit/state").asText()).isEqualTo("ALLOWED");
  }
}
