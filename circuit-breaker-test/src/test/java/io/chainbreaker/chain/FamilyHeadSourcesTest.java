package io.chainbreaker.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.NetworkConfig;
import io.chainbreaker.Protocol;
import io.chainbreaker.test.SimulatedChain;
import io.chainbreaker.test.SimulatedEndpoint;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each non-EVM head source against the simulated chain speaking its family's API over real HTTP:
 * heads, identity, syncing, blocks a node does not have (null, not a failure), and errors that name
 * the method without the URL's secrets.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class FamilyHeadSourcesTest {

  private static final String SECRET = "s3cretPassw0rd";

  private SimulatedChain chain;
  private SimulatedEndpoint endpoint;
  private Web3jHeadSources sources;

  @BeforeEach
  void setUp() {
    chain =
        SimulatedChain.builder()
            .chainId(4)
            .firstBlock(500)
            .history(20, Duration.ofSeconds(1))
            .build();
    endpoint = chain.endpoint();
    sources = new Web3jHeadSources();
  }

  @AfterEach
  void tearDown() {
    sources.close();
    chain.close();
  }

  private HeadSource open(Protocol protocol) {
    String url = endpoint.url().replace("http://", "http://user:" + SECRET + "@");
    NetworkConfig network =
        NetworkConfig.builder("n")
            .protocol(protocol)
            .identity(chain.identity(protocol.name().toLowerCase(Locale.ROOT)))
            .rpcUrls(url)
            .requestTimeout(Duration.ofSeconds(2))
            .build();
    return sources.open(network.sourceSettings(), RpcUrl.parse(url));
  }

  private static <T> T join(CompletableFuture<T> future) throws Exception {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw (Exception) e.getCause();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Protocol.class, names = "EVM", mode = EnumSource.Mode.EXCLUDE)
  void readsTheHeadTheIdentityAndTheSyncingFlag(Protocol protocol) throws Exception {
    HeadSource source = open(protocol);
    BlockHead head = join(source.latest());
    assertThat(head.number()).isEqualTo(chain.head().number());
    assertThat(head.timestamp()).isEqualTo(chain.head().timestamp());
    assertThat(join(source.headNumber())).isEqualTo(chain.head().number());
    assertThat(join(source.identity())).isEqualTo(chain.identity(protocol.name()));
    assertThat(join(source.syncing())).isFalse();
    HeadSource.Heads withFinalized = join(source.heads(true));
    if (withFinalized.finalized() == null) {
      assertThat(withFinalized.finalizedError()).isNotBlank();
    } else {
      // families with finality (Starknet, Substrate, NEAR) serve the finalized block instead
      assertThat(withFinalized.finalizedError()).isNull();
      assertThat(withFinalized.finalized().number()).isLessThanOrEqualTo(head.number());
    }
    assertThat(source.requestCount()).isPositive();
    assertThat(endpoint.lastAuthorization()).startsWith("Basic ");
  }

  @ParameterizedTest
  @EnumSource(
      value = Protocol.class,
      names = {"BITCOIN", "COMETBFT", "SOLANA"})
  void aNodeStillSyncingSaysSo(Protocol protocol) throws Exception {
    endpoint.syncing(true);
    assertThat(join(open(protocol).syncing())).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = Protocol.class,
      names = {"BITCOIN", "COMETBFT", "TRON", "SUI"})
  void blocksLinkByParentHashAndABlockTheNodeLacksIsNull(Protocol protocol) throws Exception {
    HeadSource source = open(protocol);
    assertThat(source.linksBlocks()).isTrue();
    BlockHead head = join(source.latest());
    BlockHead parent = join(source.blockByHash(head.parentHash()));
    assertThat(parent).isNotNull();
    assertThat(parent.number()).isEqualTo(head.number() - 1);
    assertThat(join(source.blockByNumber(head.number() - 1))).isEqualTo(parent);
    assertThat(join(source.blockByNumber(head.number() + 100))).isNull();
    String unknown =
        protocol == Protocol.SUI ? "11111111111111111111111111111111" : "ab".repeat(32);
    assertThat(join(source.blockByHash(unknown))).isNull();
  }

  @ParameterizedTest
  @EnumSource(
      value = Protocol.class,
      names = {"BITCOIN", "SOLANA", "SUI", "COMETBFT"})
  void aJsonRpcErrorNamesTheMethodAndNeverTheSecret(Protocol protocol) {
    endpoint.rpcError("boom " + SECRET);
    assertThatThrownBy(() -> join(open(protocol).latest()))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("JSON-RPC error")
        .hasMessageContaining("boom")
        .hasMessageNotContaining(SECRET)
        .satisfies(e -> assertThat(((RpcException) e).transport()).isFalse());
  }

  @ParameterizedTest
  @EnumSource(value = Protocol.class, names = "EVM", mode = EnumSource.Mode.EXCLUDE)
  void anHttpErrorIsATransportFailure(Protocol protocol) {
    endpoint.respondWithStatus(503);
    assertThatThrownBy(() -> join(open(protocol).latest()))
        .isInstanceOf(RpcException.class)
        .hasMessageStartingWith("HTTP 503")
        .satisfies(e -> assertThat(((RpcException) e).transport()).isTrue());
  }
}
