package io.chainbreaker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.Catalog;
import io.chainbreaker.CatalogChange;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.TokenConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogFileTest {

  static String sample() throws IOException {
    try (InputStream in = CatalogFileTest.class.getResourceAsStream("/catalog.yml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static final String NETWORK =
      "networks:\n  klaytn:\n    chain-id: 8217\n" + "    rpc-urls: [http://127.0.0.1:8551/]\n";

  @Test
  void readsTheSampleWithAnAssetOnTwoNetworksAsTwoTokens() throws IOException {
    Catalog c = CatalogFile.parse("catalog.yml", sample(), null).catalog();
    assertThat(c.networks()).extracting(NetworkConfig::name).containsExactly("ethereum", "bnb");
    assertThat(c.tokens())
        .extracting(CatalogWatcher::key)
        .containsExactly("ETH@ethereum", "USDT@ethereum", "USDT@bnb");
    NetworkConfig bnb = c.network("bnb");
    assertThat(bnb.chainId()).isEqualTo(56);
    assertThat(bnb.haltAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(bnb.pollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(bnb.recovery(Direction.WITHDRAWAL))
        .isEqualTo(RecoveryRule.of(3, Duration.ofSeconds(1)));
    assertThat(bnb.rpcUrls()).hasSize(1);
  }

  @Test
  void acceptsKeysAtTheTopAndSpringsRelaxedForms() {
    Catalog c =
        CatalogFile.parse(
                "c.yml",
                "networks:\n  klaytn:\n    chainId: 8217\n"
                    + "    rpc_urls: [http://127.0.0.1:8551/]\n    haltAfter: 30000\n"
                    + "    suspend-on:\n      slow-blocks: [deposit, withdrawal]\n"
                    + "tokens:\n  PXL:\n    network: klaytn\n"
                    + "    contract: '0x1234567890abcdef1234567890abcdef12345678'\n"
                    + "    recovery: {deposit: {blocks: 2}}\n",
                null)
            .catalog();
    assertThat(c.network("klaytn").haltAfter()).isEqualTo(Duration.ofSeconds(30));
    TokenConfig pxl = c.tokens().get(0);
    assertThat(pxl.contract()).isEqualTo("0x1234567890abcdef1234567890abcdef12345678");
    assertThat(pxl.recovery(Direction.DEPOSIT).blocks()).isEqualTo(2);
    assertThat(pxl.recovery(Direction.WITHDRAWAL)).isNull();
  }

  @Test
  void networksOfTheNewerFamiliesAreReadByProtocolOrPreset() {
    Catalog c =
        CatalogFile.parse(
                "c.yml",
                "networks:\n  ton:\n    protocol: ton\n"
                    + "    identity: F6OpKZKqvqeFp6CQmFomXNMfMj2EnaUSOXN+Mh+wVWk=\n"
                    + "    rpc-urls: [https://toncenter.example/api/v2]\n"
                    + "  stellar:\n    protocol: STELLAR\n"
                    + "    identity: 'Public Global Stellar Network ; September 2015'\n"
                    + "    rpc-urls: [https://horizon.example/]\n"
                    + "  polkadot:\n    preset: polkadot\n    rpc-urls: [https://dot.example/]\n"
                    + "tokens:\n  TON:\n    network: ton\n  XLM:\n    network: stellar\n"
                    + "  DOT:\n    network: polkadot\n",
                null)
            .catalog();
    assertThat(c.network("ton").protocol()).isEqualTo(io.chainbreaker.Protocol.TON);
    assertThat(c.network("stellar").identity())
        .isEqualTo("Public Global Stellar Network ; September 2015");
    assertThat(c.network("polkadot").protocol()).isEqualTo(io.chainbreaker.Protocol.SUBSTRATE);
    assertThat(c.network("polkadot").finalityStallAfter()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void anEndpointGivesANodesWebSocketUrlBesideItsHttpUrl() {
    NetworkConfig n =
        CatalogFile.parse(
                "c.yml",
                "networks:\n  eth:\n    chain-id: 1\n"
                    + "    endpoints:\n      - rpc-url: http://127.0.0.1:8551/\n"
                    + "        ws-url: ws://127.0.0.1:8552/\n      - rpc-url: http://127.0.0.1:8553/\n",
                null)
            .catalog()
            .network("eth");
    assertThat(n.rpcUrls()).hasSize(2);
    assertThat(n.wsUrl(n.rpcUrls().get(0))).isNotNull();
    assertThat(n.wsUrl(n.rpcUrls().get(1))).isNull();
    assertThatThrownBy(
            () ->
                CatalogFile.parse(
                    "c.yml",
                    "networks:\n  eth:\n    chain-id: 1\n"
                        + "    endpoints: [{ws-url: 'ws://127.0.0.1:8552/'}]\n",
                    null))
        .hasMessage(
            "c.yml: networks.eth.endpoints[0].rpc-url: an endpoint needs its rpc-url"
                + " (http or https)");
  }

  @Test
  void anApplicationYmlCanBeGivenAsItIs() {
    Catalog c =
        CatalogFile.parse(
                "application.yml",
                "server:\n  port: 8080\nchain-breaker:\n"
                    + "  store:\n    type: jdbc\n  wallet-status:\n    enabled: false\n"
                    + NETWORK.replaceAll("(?m)^", "  ")
                    + "  tokens:\n    KLAY:\n      network: klaytn\n",
                null)
            .catalog();
    assertThat(c.tokens()).extracting(CatalogWatcher::key).containsExactly("KLAY@klaytn");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "halt-after: 30x | catalog.yml: networks.klaytn.halt-after: '30x' is not a duration (use 500ms, 10s, 5m, 1h)",
        "halt-after: -1s | catalog.yml: networks.klaytn.halt-after: haltAfter of network klaytn must be positive but was PT-1S",
        "halt-afer: 30s | catalog.yml: networks.klaytn.halt-afer: unknown key; did you mean networks.klaytn.halt-after?",
        "confirmations: eight | catalog.yml: networks.klaytn.confirmations: 'eight' is not a whole number",
        "mode: sometimes | catalog.yml: networks.klaytn.mode: 'sometimes' is not one of continuous, on-demand",
        "recovery: {deposit: {blocs: 3}} | catalog.yml: networks.klaytn.recovery.deposit.blocs: unknown key; did you mean networks.klaytn.recovery.deposit.blocks?",
        "maintenance: [{start: 2026-01-01T00:00:00Z}] | catalog.yml: networks.klaytn.maintenance[0]: a maintenance window needs a start and an end"
      })
  void aBadNetworkValueIsReportedWithFileKeyAndValue(String line, String message) {
    assertThatThrownBy(() -> CatalogFile.parse("catalog.yml", NETWORK + "    " + line + "\n", null))
        .isInstanceOf(CatalogFile.Invalid.class)
        .hasMessage(message);
  }

  @Test
  void anAssetOnSeveralNetworksTakesOneContractPerNetworkAsTheStarterDoes() throws Exception {
    CatalogFile file =
        CatalogFile.parse(
            "catalog.yml",
            NETWORK
                + "tokens:\n"
                + "  USDT:\n    networks: [klaytn]\n    contracts:\n"
                + "      klaytn: '0xcee8faf64bb97a73bb51e115aa89c17ffa8dd167'\n",
            null);
    assertThat(file.catalog().tokens())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.network()).isEqualTo("klaytn");
              assertThat(t.contract()).isEqualTo("0xcee8faf64bb97a73bb51e115aa89c17ffa8dd167");
            });
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "PXL: {network: kaia} | catalog.yml: tokens.PXL.network: token PXL names the unknown network 'kaia'; configured networks: [klaytn]",
        "PXL: {networks: [klaytn, klaytn]} | catalog.yml: tokens.PXL.networks: 'klaytn' is listed twice",
        "PXL: {network: klaytn, networks: [klaytn]} | catalog.yml: tokens.PXL.networks: give network (one) or networks (several), not both",
        "PXL: {contract: '0x12'} | catalog.yml: tokens.PXL.network: token PXL needs a network",
        "PXL: {network: klaytn, contract: '0x12'} | catalog.yml: tokens.PXL: contract of token PXL must be 0x and 40 hex digits but was '0x12'",
        "PXL: {netwrk: klaytn} | catalog.yml: tokens.PXL.netwrk: unknown key; did you mean tokens.PXL.network?",
        "USDT: {networks: [klaytn], contracts: {tron: 'T9yD'}} | catalog.yml: tokens.USDT.contracts.tron: token USDT is not listed on the network 'tron'; its networks: [klaytn]",
        "P/XL: {network: klaytn} | catalog.yml: tokens.P/XL: token symbol must be 1 to 64 letters, digits, '.', '_' or '-' but was 'P/XL'",
        "SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS: {network: klaytn} | catalog.yml: tokens.SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS: token symbol must be at most 64 characters but had 65"
      })
  void aBadTokenIsReportedWithFileKeyAndValue(String line, String message) {
    assertThatThrownBy(
            () -> CatalogFile.parse("catalog.yml", NETWORK + "tokens:\n  " + line + "\n", null))
        .isInstanceOf(CatalogFile.Invalid.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | catalog.yml: the file is empty; it needs networks and tokens",
        "tokens: {} | catalog.yml: networks: at least one network must be configured",
        "netwrks: {} | catalog.yml: netwrks: unknown key; did you mean networks?",
        "'chain-breaker:\n  tokns: {}' | catalog.yml: chain-breaker.tokns: unknown key; did you mean chain-breaker.tokens?",
        "networks: [a, b] | catalog.yml: networks: needs keys below it but is a list",
        "'networks:\n  a: {chain-id: 1\n' | catalog.yml: line 3, column 1: not valid YAML: expected ',' or '}', but got <stream end>",
        "'networks: {}\nnetworks: {}' | catalog.yml: line 2, column 1: not valid YAML: found duplicate key networks"
      })
  void aFileThatIsNotACatalogIsReportedWithWhere(String text, String message) {
    assertThatThrownBy(() -> CatalogFile.parse("catalog.yml", text, null))
        .isInstanceOf(CatalogFile.Invalid.class)
        .hasMessage(message);
  }

  @Test
  void aReReadKeepsUnchangedNetworksSoTheChangeNamesOnlyWhatWasEdited() throws IOException {
    CatalogFile first = CatalogFile.parse("catalog.yml", sample(), null);
    CatalogFile same = CatalogFile.parse("catalog.yml", sample(), first);
    assertThat(first.catalog().changeTo(same.catalog(), "t").isEmpty()).isTrue();

    CatalogFile edited =
        CatalogFile.parse(
            "catalog.yml", sample().replace("halt-after: PT2S", "halt-after: 3s"), first);
    CatalogChange change = first.catalog().changeTo(edited.catalog(), "t");
    assertThat(change.describe()).isEqualTo("network bnb");
    assertThat(edited.catalog().network("ethereum")).isSameAs(first.catalog().network("ethereum"));
  }
}
