package io.chainbreaker.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.Protocol;
import io.chainbreaker.RpcNamespace;
import io.chainbreaker.test.SimulatedChain;
import io.chainbreaker.test.SimulatedEndpoint;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The streaming reader of EVM answers over real HTTP from the simulated chain: it keeps the four
 * fields the rules read whatever else a node sends (full transactions, fields it does not know,
 * fields in any order), and every call is counted by method, each call of a batch once.
 */
@Timeout(30)
class StreamingAnswersTest {

  private SimulatedChain chain;
  private SimulatedEndpoint endpoint;
  private Web3jHeadSources sources;
  private HeadSource source;

  @BeforeEach
  void setUp() {
    chain =
        SimulatedChain.builder()
            .chainId(8217)
            .firstBlock(100)
            .history(20, Duration.ofSeconds(1))
            .finalityDepth(5)
            .build();
    endpoint = chain.endpoint();
    sources = new Web3jHeadSources(1024 * 1024);
    source =
        sources.open(
            new SourceSettings(
                "klaytn", Protocol.EVM, RpcNamespace.ETH, 8217, "8217", Duration.ofSeconds(2)),
            RpcUrl.parse(endpoint.url()));
  }

  @AfterEach
  void tearDown() {
    sources.close();
    chain.close();
  }

  private static String hash(char c) {
    return "0x" + String.valueOf(c).repeat(64);
  }

  @Test
  void keepsTheFourFieldsWhateverElseTheBlockCarriesAndInAnyOrder() {
    endpoint.respondWithBody(
        "{\"result\":{\"transactions\":[{\"hash\":\""
            + hash('9')
            + "\",\"number\":\"0x1\",\"input\":{\"nested\":[1,2,{\"timestamp\":\"0x0\"}]}}],"
            + "\"timestamp\":\"0x5e80b3f8\",\"l1BlockNumber\":\"0x10\",\"uncles\":[],"
            + "\"parentHash\":\""
            + hash('b')
            + "\",\"extra\":null,\"number\":\"0x16e3a4b\",\"hash\":\""
            + hash('a')
            + "\",\"size\":12345},\"id\":7,\"jsonrpc\":\"2.0\"}");
    BlockHead head = source.latest().join();
    assertThat(head.number()).isEqualTo(0x16e3a4bL);
    assertThat(head.hash()).isEqualTo(hash('a'));
    assertThat(head.parentHash()).isEqualTo(hash('b'));
    assertThat(head.timestamp()).isEqualTo(0x5e80b3f8L);
  }

  @Test
  void aFieldTheRulesReadThatIsNotTextIsRefusedNamingIt() {
    endpoint.respondWithBody(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"number\":{\"x\":1},\"hash\":\""
            + hash('a')
            + "\",\"parentHash\":\""
            + hash('b')
            + "\",\"timestamp\":\"0x1\"}}");
    assertThatThrownBy(() -> source.latest().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(RpcException.class)
        .hasMessageContaining("block number is missing");
  }

  @Test
  void countsEveryCallByMethodEachCallOfABatchOnce() {
    source.heads(false).join();
    source.heads(true).join();
    source.headNumber().join();
    source.chainId().join();
    source.syncing().join();
    assertThat(source.callsByMethod())
        .containsEntry("eth_getBlockByNumber", 3L)
        .containsEntry("eth_blockNumber", 1L)
        .containsEntry("eth_chainId", 1L)
        .containsEntry("eth_syncing", 1L);
    assertThat(source.requestCount()).isEqualTo(5);
    assertThat(endpoint.requestCount()).isEqualTo(5);
  }
}
