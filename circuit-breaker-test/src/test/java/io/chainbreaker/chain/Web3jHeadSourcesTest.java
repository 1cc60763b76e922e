package io.chainbreaker.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.test.SimulatedChain;
import io.chainbreaker.test.SimulatedEndpoint;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every kind of bad answer a node can give, over real HTTP from the simulated chain: each becomes
 * an {@link RpcException} with a specific message that never carries the URL's secrets.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class Web3jHeadSourcesTest {

  private static final String KEY = "SECRETKEY0123456789abcdef";

  private SimulatedChain chain;
  private SimulatedEndpoint endpoint;
  private Web3jHeadSources sources;
  private HeadSource source;

  @BeforeEach
  void setUp() {
    chain =
        SimulatedChain.builder()
            .chainId(8217)
            .firstBlock(24_002_370)
            .history(10, Duration.ofSeconds(1))
            .build();
    endpoint = chain.endpoint();
    sources = new Web3jHeadSources(1024 * 1024);
    source = open(endpoint.url() + "v3/" + KEY + "?apikey=" + KEY, Duration.ofSeconds(2));
  }

  @AfterEach
  void tearDown() {
    sources.close();
    chain.close();
  }

  private HeadSource open(String url, Duration timeout) {
    return open(url, timeout, io.chainbreaker.RpcNamespace.ETH);
  }

  private HeadSource open(String url, Duration timeout, io.chainbreaker.RpcNamespace namespace) {
    // A source needs only its settings, not a whole network configuration.
    SourceSettings settings =
        new SourceSettings(
            "klaytn", io.chainbreaker.Protocol.EVM, namespace, 8217, "8217", timeout);
    return sources.open(settings, RpcUrl.parse(url));
  }

  private static void assertFails(Supplier<? extends CompletableFuture<?>> call, String message) {
    assertThatThrownBy(() -> join(call.get()))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining(KEY);
  }

  /** The future's value, or the {@link RpcException} it failed with. */
  static <T> T join(CompletableFuture<T> future) throws RpcException {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RpcException r) {
        throw r;
      }
      throw e;
    }
  }

  @Test
  void readsTheLatestBlockChainIdAndSyncing() throws IOException {
    BlockHead head = join(source.latest());
    assertThat(head.number()).isEqualTo(24_002_379);
    assertThat(head.hash()).isEqualTo(chain.head().hash());
    assertThat(head.parentHash()).isEqualTo(chain.block(24_002_378).hash());
    assertThat(head.timestamp()).isEqualTo(chain.head().timestamp());
    assertThat(join(source.chainId())).isEqualTo(8217);
    assertThat(join(source.syncing())).isFalse();
    endpoint.syncing(true);
    assertThat(join(source.syncing())).isTrue();
    endpoint.reportChainId(1);
    assertThat(join(source.chainId())).isEqualTo(1);
  }

  @Test
  void malformedJson() {
    endpoint.respondWithBody("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"number\":");
    assertFails(source::latest, "malformed JSON-RPC answer to eth_getBlockByNumber");
  }

  @Test
  void aNumberThatIsNotHex() {
    endpoint.respondWithBody(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"number\":\"0xzz\","
            + "\"hash\":\"0x01\",\"parentHash\":\"0x00\",\"timestamp\":\"0x5e80b3f8\"}}");
    assertFails(source::latest, "block number is not a hex quantity: '0xzz'");
  }

  @Test
  void aTimestampOutOfRangeIsRefusedNotThrownAtEveryEvaluation() {
    endpoint.respondWithBody(block("0x16e3a4b", "0x" + "a".repeat(64), "0x7fffffffffffffff"));
    assertFails(source::latest, "block #24001099 has a timestamp out of range");
  }

  @Test
  void aHashThatIsNotAHashCannotForgeALogLine() {
    endpoint.respondWithBody(block("0x16e3a4b", "0x01\\r\\n12:00:00 ERROR forged", "0x5e80b3f8"));
    assertThatThrownBy(() -> join(source.latest()))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("has a malformed hash")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r").doesNotContain("\n"));
  }

  private static String block(String number, String hash, String timestamp) {
    return "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"number\":\""
        + number
        + "\","
        + "\"hash\":\""
        + hash
        + "\",\"parentHash\":\"0x"
        + "b".repeat(64)
        + "\","
        + "\"timestamp\":\""
        + timestamp
        + "\"}}";
  }

  @Test
  void aDecimalChainId() {
    endpoint.respondWithBody("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"8217\"}");
    assertFails(source::chainId, "chain id is not a hex quantity: '8217'");
  }

  @Test
  void aNullBlock() {
    endpoint.nullBlocks(true);
    assertFails(source::latest, "eth_getBlockByNumber(latest) returned a null block");
  }

  @Test
  void aJsonRpcErrorObject() {
    endpoint.rpcError("header not found");
    assertFails(
        source::latest, "eth_getBlockByNumber returned JSON-RPC error -32000: header not found");
  }

  @Test
  void httpStatusErrors() {
    for (int status : new int[] {429, 500, 502}) {
      endpoint.respondWithStatus(status);
      assertFails(source::latest, "HTTP " + status);
    }
  }

  @Test
  void connectionRefused() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HeadSource closed = open("http://127.0.0.1:" + port + "/v3/" + KEY, Duration.ofSeconds(2));
    assertFails(closed::latest, "connection refused");
  }

  @Test
  void connectionReset() {
    endpoint.resetConnections();
    assertFails(source::latest, "eth_getBlockByNumber");
  }

  @Test
  void anEndpointThatNeverAnswersTimesOut() {
    endpoint.hang();
    HeadSource quick = open(endpoint.url() + "v3/" + KEY, Duration.ofMillis(300));
    assertFails(quick::latest, "eth_getBlockByNumber timed out after PT0.3S");
    endpoint.healthy();
  }

  @Test
  void aSlowAnswerWithinTheTimeoutIsFine() throws IOException {
    endpoint.delay(Duration.ofMillis(100));
    assertThat(join(source.latest()).number()).isEqualTo(24_002_379);
  }

  @Test
  void aFiftyMegabyteBodyIsCutAtTheLimit() {
    endpoint.respondWithHugeBody(50L * 1024 * 1024);
    assertFails(source::latest, "answer exceeds the limit of 1048576 bytes");
  }

  @Test
  void latestAndFinalizedComeInOneBatchMatchedByIdNotPosition() throws IOException {
    chain.close();
    chain =
        SimulatedChain.builder()
            .chainId(8217)
            .firstBlock(100)
            .history(20, Duration.ofSeconds(1))
            .finalityDepth(5)
            .build();
    endpoint = chain.endpoint().reverseBatches(true);
    HeadSource s = open(endpoint.url(), Duration.ofSeconds(2));
    HeadSource.Heads heads = join(s.heads(true));
    assertThat(heads.latest().number()).isEqualTo(119);
    assertThat(heads.finalized().number()).isEqualTo(114);
    assertThat(heads.finalizedError()).isNull();
    assertThat(endpoint.requestCount()).isEqualTo(1);
  }

  @Test
  void aMissingBatchAnswerOrARefusedFinalizedTagIsNamed() throws IOException {
    endpoint.dropLastBatchAnswer(true);
    assertThat(join(source.heads(true)).finalizedError()).contains("missing");
    endpoint.healthy().rejectFinalized(true);
    HeadSource.Heads heads = join(source.heads(true));
    assertThat(heads.latest().number()).isEqualTo(24_002_379);
    assertThat(heads.finalizedError())
        .contains("finalized tag was refused")
        .contains("invalid block tag finalized");
    endpoint.healthy().reverseBatches(true).dropLastBatchAnswer(true);
    assertFails(
        () -> source.heads(true),
        "the batch answer for eth_getBlockByNumber(latest)" + " is missing");
  }

  @Test
  void blocksByNumberAndByHash() throws IOException {
    BlockHead b = join(source.blockByNumber(24_002_375));
    assertThat(b.hash()).isEqualTo(chain.block(24_002_375).hash());
    assertThat(join(source.blockByHash(b.parentHash())).number()).isEqualTo(24_002_374);
    assertThat(join(source.blockByHash("0x" + "0".repeat(64)))).isNull();
  }

  @Test
  void klaytnNodesBeforeV110SpeakOnlyTheKlayNamespace() throws IOException {
    endpoint.klaytnNamespaceOnly(true);
    assertFails(source::chainId, "eth_chainId returned JSON-RPC error -32601");
    HeadSource klay =
        open(endpoint.url(), Duration.ofSeconds(2), io.chainbreaker.RpcNamespace.KLAY);
    assertThat(join(klay.chainId())).isEqualTo(8217);
    assertThat(join(klay.latest()).number()).isEqualTo(24_002_379);
    assertThat(join(klay.syncing())).isFalse();
  }

  @Test
  void userInfoIsSentAsBasicAuthenticationAndNeverInThePath() throws IOException {
    String url = endpoint.url().replace("http://", "http://alice:" + KEY + "@");
    join(open(url, Duration.ofSeconds(2)).latest());
    assertThat(endpoint.lastAuthorization()).startsWith("Basic ");
    assertThat(endpoint.lastPath()).isEqualTo("/");
  }

  private static final String FEED = "0xFdB631F5EE196F0ed6FAa767959853A9F217697D";

  private static String words(String... hex) {
    StringBuilder out = new StringBuilder("0x");
    for (String h : hex) {
      out.append("0".repeat(64 - h.length())).append(h);
    }
    return out.toString();
  }

  @Test
  void readsASequencerUptimeFeedWithEthCall() throws IOException {
    java.time.Instant since = java.time.Instant.parse("2025-08-05T06:07:00Z");
    chain.sequencerFeed(FEED, true, since);
    SequencerStatus down = join(source.sequencerStatus(FEED));
    assertThat(down.down()).isTrue();
    assertThat(down.startedAt()).isEqualTo(since.getEpochSecond());
    assertThat(down.roundId()).isEqualTo("18446744073709551617"); // phase 1, round 1
    chain.sequencerFeed(FEED, false, since.plusSeconds(1980));
    assertThat(join(source.sequencerStatus(FEED)).down()).isFalse();
  }

  @Test
  void aSequencerFeedAddressWithoutAContractIsRefused() {
    assertFails(
        () -> source.sequencerStatus("0x0000000000000000000000000000000000000001"),
        "returned nothing: is a feed deployed at that address?");
  }

  @Test
  void hostileSequencerFeedAnswersAreRefused() {
    chain.sequencerFeed(FEED, false, java.time.Instant.EPOCH.plusSeconds(1));
    chain.sequencerFeedAnswers(words("1", "2", "6890a2e0", "6890a2e0", "1"));
    assertFails(() -> source.sequencerStatus(FEED), "answered 2: neither 0 (up) nor 1 (down)");
    chain.sequencerFeedAnswers(words("1", "1", "f".repeat(64), "6890a2e0", "1"));
    assertFails(() -> source.sequencerStatus(FEED), "has startedAt out of range");
    chain.sequencerFeedAnswers(words("1", "0", "0", "0", "1"));
    assertFails(() -> source.sequencerStatus(FEED), "startedAt 0: the feed's round never started");
    chain.sequencerFeedAnswers("0x" + "00".repeat(10));
    assertFails(() -> source.sequencerStatus(FEED), "is not five 32-byte words");
    chain.sequencerFeedAnswers(words("1", "zz", "1", "1", "1"));
    assertFails(() -> source.sequencerStatus(FEED), "is not hex");
    // A negative int256 answer (two's complement) is neither up nor down either.
    chain.sequencerFeedAnswers(words("1", "f".repeat(64), "6890a2e0", "6890a2e0", "1"));
    assertFails(() -> source.sequencerStatus(FEED), "neither 0 (up) nor 1 (down)");
  }

  @Test
  void aSequencerFeedRefusedByTheNodeFailsWithTheNodesError() {
    endpoint.respondWithBody(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"execution"
            + " reverted\"}}");
    assertFails(() -> source.sequencerStatus(FEED), "execution reverted");
  }
}
