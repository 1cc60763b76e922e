package io.chainbreaker.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class SimulatedChainTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> post(SimulatedEndpoint e, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(e.url()))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode call(SimulatedEndpoint e, String method, String params) throws Exception {
    return JSON.readTree(
        post(
                e,
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\""
                    + method
                    + "\",\"params\":"
                    + params
                    + "}")
            .body());
  }

  @Test
  void servesALinkedChainOfBlocks() throws Exception {
    try (SimulatedChain chain =
        SimulatedChain.builder()
            .chainId(8217)
            .firstBlock(100)
            .history(5, Duration.ofSeconds(1))
            .finalityDepth(2)
            .build()) {
      SimulatedEndpoint e = chain.endpoint();
      assertThat(call(e, "eth_chainId", "[]").get("result").asText()).isEqualTo("0x2019");
      assertThat(call(e, "net_version", "[]").get("result").asText()).isEqualTo("8217");
      assertThat(call(e, "eth_blockNumber", "[]").get("result").asText()).isEqualTo("0x68");
      JsonNode latest = call(e, "eth_getBlockByNumber", "[\"latest\",false]").get("result");
      JsonNode parent =
          call(e, "eth_getBlockByHash", "[\"" + latest.get("parentHash").asText() + "\",false]")
              .get("result");
      assertThat(parent.get("number").asText()).isEqualTo("0x67");
      assertThat(
              call(e, "eth_getBlockByNumber", "[\"finalized\",false]")
                  .get("result")
                  .get("number")
                  .asText())
          .isEqualTo("0x66");
      assertThat(call(e, "eth_getBlockByNumber", "[\"0x1\",false]").get("result").isNull())
          .isTrue();
      assertThat(call(e, "eth_syncing", "[]").get("result").asBoolean()).isFalse();
      assertThat(call(e, "eth_getBalance", "[]").get("error").get("code").asInt())
          .isEqualTo(-32601);
      JsonNode batch =
          JSON.readTree(
              post(
                      e,
                      "[{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":"
                          + "\"eth_chainId\",\"params\":[]},{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
                          + "\"eth_blockNumber\",\"params\":[]}]")
                  .body());
      assertThat(batch.get(0).get("id").asInt()).isEqualTo(2);
      assertThat(batch.get(1).get("result").asText()).isEqualTo("0x68");
    }
  }

  @Test
  void minesAndLagsPerEndpoint() throws Exception {
    try (SimulatedChain chain = SimulatedChain.builder().firstBlock(10).build()) {
      assertThat(chain.mine(5).number()).isEqualTo(15);
      chain.endpoint();
      SimulatedEndpoint behind = chain.addEndpoint().lag(3);
      assertThat(call(behind, "eth_blockNumber", "[]").get("result").asText()).isEqualTo("0xc");
      assertThat(call(chain.endpoint(), "eth_blockNumber", "[]").get("result").asText())
          .isEqualTo("0xf");
      assertThat(chain.block(12).parentHash()).isEqualTo(chain.block(11).hash());
    }
  }

  @Test
  void faultsApplyToOneEndpointUntilCleared() throws Exception {
    try (SimulatedChain chain = SimulatedChain.builder().build()) {
      SimulatedEndpoint bad = chain.endpoint().respondWithStatus(429);
      SimulatedEndpoint good = chain.addEndpoint();
      assertThat(post(bad, "{}").statusCode()).isEqualTo(429);
      assertThat(post(good, "{\"id\":1,\"method\":\"eth_chainId\"}").statusCode()).isEqualTo(200);
      bad.healthy().reportChainId(56);
      assertThat(call(bad, "eth_chainId", "[]").get("result").asText()).isEqualTo("0x38");
      bad.healthy().syncing(true);
      assertThat(call(bad, "eth_syncing", "[]").get("result").has("highestBlock")).isTrue();
      assertThat(bad.requestCount()).isEqualTo(3);
    }
  }
}
