package io.chainbreaker.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.NetworkConfig;
import io.chainbreaker.Protocol;
import io.chainbreaker.test.SimulatedChain;
import io.chainbreaker.test.SimulatedEndpoint;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the head sources of TON, XRP Ledger, Starknet, Substrate, NEAR, Algorand, Stellar and
 * Cardano make of answers they must not trust: one field at a time made hostile (negative, huge, of
 * the wrong type, markup, another form of hash) through the simulated chain over real HTTP, every
 * other call answered correctly. Each must fail with an {@link RpcException} naming the call and
 * the field, not a parse exception and not a wrong head.
 */
@Timeout(60)
class NewFamiliesParsingTest {

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
            .finalityDepth(2)
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
    NetworkConfig network =
        NetworkConfig.builder("n")
            .protocol(protocol)
            .identity(chain.identity(protocol.name()))
            .rpcUrls(endpoint.url())
            .requestTimeout(Duration.ofSeconds(2))
            .build();
    return sources.open(network.sourceSettings(), RpcUrl.parse(endpoint.url()));
  }

  private static <T> T join(CompletableFuture<T> future) throws Exception {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw (Exception) e.getCause();
    }
  }

  private static Function<HeadSource, CompletableFuture<?>> call(String name) {
    return switch (name) {
      case "heads" -> s -> s.heads(false);
      case "finalized" -> s -> s.heads(true);
      case "number" -> HeadSource::headNumber;
      case "identity" -> HeadSource::identity;
      case "syncing" -> HeadSource::syncing;
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest(name = "{0} {2} with {1} = {3}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // TON (toncenter v2)
        "TON | /getMasterchainInfo | number | {\"ok\":true,\"result\":{\"last\":{\"seqno\":-5}}} | getMasterchainInfo last.seqno is not a number: '-5'",
        "TON | /getMasterchainInfo | number | {\"ok\":true,\"result\":{\"last\":{\"seqno\":123456789012345678901234}}} | getMasterchainInfo last.seqno is not a number",
        "TON | /getMasterchainInfo | number | {\"ok\":true,\"result\":{\"last\":{\"seqno\":true}}} | getMasterchainInfo last.seqno is not a number: 'true'",
        "TON | /getMasterchainInfo | number | {\"ok\":false,\"error\":\"LITE_SERVER_NETWORK\",\"code\":502} | getMasterchainInfo returned an error: 502 LITE_SERVER_NETWORK",
        "TON | /getMasterchainInfo | identity | {\"ok\":true,\"result\":{\"init\":{\"root_hash\":\"<script>alert(1)</script>\"}}} | getMasterchainInfo init.root_hash is not a base64 hash",
        "TON | /getBlockHeader | heads | {\"ok\":true,\"result\":{\"id\":{\"seqno\":7},\"gen_utime\":1}} | answered block 7",
        // XRP Ledger (rippled)
        "XRPL | ledger | heads | {\"ledger\":{\"ledger_index\":\"-1\"},\"validated\":true,\"status\":\"success\"} | ledger(validated) ledger_index is not a number: '\"-1\"'",
        "XRPL | ledger | heads | {\"ledger\":{\"ledger_index\":7,\"ledger_hash\":\""
            + "AB"
            + "\",\"parent_hash\":\"x\",\"close_time\":1},\"validated\":true} | ledger(validated) ledger_hash is not a ledger hash",
        "XRPL | ledger | heads | {\"ledger\":{\"ledger_index\":7,\"ledger_hash\":\""
            + "0000000000000000000000000000000000000000000000000000000000000000"
            + "\",\"parent_hash\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"close_time\":9223372036854775807},\"validated\":true} | ledger(validated) close_time is out of range",
        "XRPL | ledger | heads | {\"ledger\":{\"ledger_index\":7},\"validated\":false,\"status\":\"success\"} | ledger(validated) returned a ledger that is not validated",
        "XRPL | ledger | heads | {\"error\":\"noNetwork\",\"error_message\":\"Not synced to the network.\",\"status\":\"error\"} | ledger(validated) returned error noNetwork: Not synced to the network.",
        "XRPL | server_info | identity | {\"info\":{\"network_id\":1099511627776},\"status\":\"success\"} | server_info network_id is out of range",
        "XRPL | server_info | identity | {\"info\":{\"network_id\":\"main\"},\"status\":\"success\"} | server_info network_id is not a number",
        "XRPL | server_info | syncing | {\"info\":{},\"status\":\"success\"} | server_info has no info.server_state",
        // Starknet
        "STARKNET | starknet_getBlockWithTxHashes | heads | {\"block_number\":\"0x10\"} | starknet_getBlockWithTxHashes(latest) block_number is not a number",
        "STARKNET | starknet_getBlockWithTxHashes | heads | {\"block_number\":5,\"timestamp\":1e300} | starknet_getBlockWithTxHashes(latest) timestamp is not a number",
        "STARKNET | starknet_getBlockWithTxHashes | heads | {\"block_number\":5,\"timestamp\":1,\"block_hash\":\"0xZZ\",\"parent_hash\":\"0x1\"} | starknet_getBlockWithTxHashes(latest) block_hash is not a hash: '\"0xZZ\"'",
        "STARKNET | starknet_getBlockWithTxHashes | heads | [] | starknet_getBlockWithTxHashes(latest) returned '[]', not a block",
        "STARKNET | starknet_chainId | identity | 23448594291968334 | starknet_chainId returned '23448594291968334', not a chain id",
        "STARKNET | starknet_syncing | syncing | \"yes\" | starknet_syncing returned '\"yes\"', not a status",
        "STARKNET | starknet_blockHashAndNumber | number | {\"block_number\":-3} | starknet_blockHashAndNumber block_number is not a number",
        // Substrate
        "SUBSTRATE | chain_getBlockHash | heads | \"0x12\" | chain_getBlockHash() is not a block hash: '\"0x12\"'",
        "SUBSTRATE | chain_getHeader | number | {\"number\":\"0xZZ\"} | chain_getHeader() number is not a hex quantity: '0xZZ'",
        "SUBSTRATE | chain_getHeader | number | {\"number\":\"0x1ffffffffffffffff\"} | chain_getHeader() number is not a hex quantity",
        "SUBSTRATE | chain_getHeader | heads | \"header\" | returned '\"header\"', not a header",
        "SUBSTRATE | state_getStorage | heads | \"0x01\" | is not a SCALE u64: '\"0x01\"'",
        "SUBSTRATE | state_getStorage | heads | \"0xffffffffffffffff\" | is out of range: 18446744073709551615",
        "SUBSTRATE | state_getStorage | heads | null | is not a SCALE u64: 'null'",
        "SUBSTRATE | chain_getFinalizedHead | finalized | 42 | chain_getFinalizedHead is not a block hash: '42'",
        "SUBSTRATE | chain_getBlockHash | identity | \"Polkadot\" | chain_getBlockHash(0) is not a block hash",
        "SUBSTRATE | system_health | syncing | {\"isSyncing\":\"no\"} | system_health has no isSyncing flag",
        // NEAR
        "NEAR | status | heads | {\"sync_info\":{\"latest_block_height\":1.5}} | status latest_block_height is not a number: '1.5'",
        "NEAR | status | heads | {\"sync_info\":{\"latest_block_height\":5,\"latest_block_hash\":\"0OIl\"}} | status latest_block_hash is not a base-58 hash",
        "NEAR | status | heads | {\"sync_info\":{\"latest_block_height\":5,\"latest_block_hash\":\"11111111111111111111111111111111\",\"latest_block_time\":\"yesterday\"}} | status latest_block_time is not a time: '\"yesterday\"'",
        "NEAR | status | identity | {\"chain_id\":\"Main Net; DROP TABLE\"} | status chain_id is not a chain id",
        "NEAR | block | finalized | {\"header\":{\"height\":3,\"timestamp_nanosec\":\"-1\"}} | block(final) timestamp_nanosec is not a number",
        "NEAR | block | finalized | {} | malformed answer to block(final): no header",
        // Algorand
        "ALGORAND | /v2/status | number | {\"last-round\":\"many\"} | /v2/status last-round is not a number",
        "ALGORAND | /v2/status | number | {\"round\":5} | malformed answer to /v2/status: no last-round",
        "ALGORAND | /v2/status | syncing | {\"last-round\":5,\"catchup-time\":-1} | /v2/status catchup-time is not a number",
        "ALGORAND | /versions | identity | {\"genesis_hash_b64\":\"mainnet-v1.0\"} | /versions genesis_hash_b64 is not a base64 hash",
        // Stellar
        "STELLAR | / | heads | {\"history_latest_ledger\":-1} | Horizon history_latest_ledger is not a number",
        "STELLAR | / | heads | {\"history_latest_ledger\":5,\"history_latest_ledger_closed_at\":\"+999999999-12-31T23:59:59Z\"} | history_latest_ledger_closed_at is out of range",
        "STELLAR | / | identity | {\"history_latest_ledger\":5,\"network_passphrase\":\"line\\nbreak\"} | Horizon network_passphrase is not a passphrase",
        "STELLAR | / | heads | {\"_links\":{}} | malformed answer to Horizon root: no history_latest_ledger",
        // Cardano (Blockfrost)
        "CARDANO | /blocks/latest | heads | {\"height\":null} | /blocks/latest height is not a number: 'null'",
        "CARDANO | /blocks/latest | heads | {\"height\":5,\"hash\":\"4ea1ba\"} | /blocks/latest hash is not a block hash",
        "CARDANO | /blocks/latest | heads | {\"height\":5,\"hash\":\"4ea1ba291e8eef538635a53e59fddba7810d1679631cc3aed7c8e6c4091a516a\",\"previous_block\":null} | /blocks/latest previous_block is not a block hash: 'null'",
        "CARDANO | /genesis | identity | {\"network_magic\":99999999999} | /genesis network_magic is out of range",
      })
  void aHostileFieldFailsWithAnErrorNamingCallAndField(
      Protocol protocol, String method, String call, String answer, String message) {
    endpoint.respondTo(method, answer);
    assertThatThrownBy(() -> join(call(call).apply(open(protocol))))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((RpcException) e).transport()).isFalse());
  }

  @ParameterizedTest
  @EnumSource(
      value = Protocol.class,
      names = {"TON", "XRPL", "STARKNET", "SUBSTRATE", "NEAR", "ALGORAND", "STELLAR", "CARDANO"})
  void aBodyThatIsNotJsonOrTooLargeIsAClearFailure(Protocol protocol) {
    endpoint.respondWithBody("<html>502 Bad Gateway</html>");
    assertThatThrownBy(() -> join(open(protocol).heads(false)))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("malformed");
    endpoint.healthy().respondWithHugeBody(6L * 1024 * 1024);
    assertThatThrownBy(() -> join(open(protocol).heads(false)))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("exceeds the limit");
  }

  @ParameterizedTest
  @EnumSource(
      value = Protocol.class,
      names = {"STARKNET", "SUBSTRATE", "NEAR"})
  void familiesWithFinalityServeTheFinalizedBlockBelowTheHead(Protocol protocol) throws Exception {
    HeadSource.Heads heads = join(open(protocol).heads(true));
    assertThat(heads.finalizedError()).isNull();
    assertThat(heads.finalized()).isNotNull();
    assertThat(heads.finalized().number()).isEqualTo(chain.head().number() - 2);
    assertThat(heads.latest().number()).isEqualTo(chain.head().number());
  }

  @ParameterizedTest
  @EnumSource(
      value = Protocol.class,
      names = {"XRPL", "STARKNET", "SUBSTRATE", "CARDANO"})
  void familiesThatLinkBlocksFindParentsAndAnswerNullForBlocksTheyLack(Protocol protocol)
      throws Exception {
    HeadSource source = open(protocol);
    assertThat(source.linksBlocks()).isTrue();
    BlockHead head = join(source.latest());
    BlockHead parent = join(source.blockByHash(head.parentHash()));
    assertThat(parent).isNotNull();
    assertThat(parent.number()).isEqualTo(head.number() - 1);
    assertThat(join(source.blockByNumber(head.number() - 1))).isEqualTo(parent);
    assertThat(join(source.blockByNumber(head.number() + 100))).isNull();
  }

  @Test
  void aTonBlockTimeOutOfRangeIsRefused() {
    long seqno = chain.head().number();
    endpoint.respondTo(
        "/getBlockHeader",
        "{\"ok\":true,\"result\":{\"id\":{\"seqno\":"
            + seqno
            + ",\"root_hash\":\"F6OpKZKqvqeFp6CQmFomXNMfMj2EnaUSOXN+Mh+wVWk=\"},"
            + "\"gen_utime\":99999999999999}}");
    assertThatThrownBy(() -> join(open(Protocol.TON).latest()))
        .isInstanceOf(RpcException.class)
        .hasMessage("gen_utime of masterchain block " + seqno + " is out of range: 99999999999999");
  }

  @Test
  void theXrplHeadIsTheValidatedLedgerNotTheCurrentOne() throws Exception {
    HeadSource source = open(Protocol.XRPL);
    // validated trails the head by the chain's finality depth (2), like rippled's
    assertThat(join(source.latest()).number()).isEqualTo(chain.head().number() - 2);
    endpoint.syncing(true);
    assertThat(join(source.syncing())).isTrue();
  }

  @Test
  void aTonUrlKeepsItsApiKeyAfterThePath() throws Exception {
    String url = endpoint.url() + "?api_key=k3y";
    NetworkConfig network =
        NetworkConfig.builder("ton")
            .protocol(Protocol.TON)
            .identity(chain.identity("ton"))
            .rpcUrls(url)
            .build();
    HeadSource source = sources.open(network.sourceSettings(), RpcUrl.parse(url));
    assertThat(join(source.headNumber())).isEqualTo(chain.head().number());
    assertThat(endpoint.lastPath()).isEqualTo("/getMasterchainInfo?api_key=k3y");
  }
}
