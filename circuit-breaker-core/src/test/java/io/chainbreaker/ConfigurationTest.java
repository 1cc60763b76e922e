package io.chainbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad configuration is rejected at build time with the bad value in the message. */
class ConfigurationTest {

  private static NetworkConfig.Builder klaytn() {
    return NetworkConfig.builder("klaytn").chainId(8217).rpcUrls("https://node.example/");
  }

  @Test
  void defaultsFollowTheBlockInterval() {
    NetworkConfig oneSecond = klaytn().blockInterval(Duration.ofSeconds(1)).build();
    assertThat(oneSecond.haltAfter()).isEqualTo(Duration.ofSeconds(30));
    // Polls come at the halt bound's cadence: haltLateness, a fifth of haltAfter.
    assertThat(oneSecond.haltLateness()).isEqualTo(Duration.ofSeconds(6));
    assertThat(oneSecond.pollInterval()).isEqualTo(Duration.ofSeconds(6));
    assertThat(oneSecond.unreachableAfter()).isEqualTo(Duration.ofSeconds(30));
    // Twice the poll interval, at most 5 s: an endpoint's next poll never waits long on its last.
    assertThat(oneSecond.requestTimeout()).isEqualTo(Duration.ofSeconds(5));

    NetworkConfig ethereum = klaytn().blockInterval(Duration.ofSeconds(12)).build();
    assertThat(ethereum.haltAfter()).isEqualTo(Duration.ofSeconds(120));
    assertThat(ethereum.pollInterval()).isEqualTo(Duration.ofSeconds(24));
    assertThat(ethereum.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(ethereum.recovery(Direction.DEPOSIT)).isEqualTo(RecoveryRule.DEPOSIT_DEFAULT);
    assertThat(ethereum.recovery(Direction.WITHDRAWAL)).isEqualTo(RecoveryRule.WITHDRAWAL_DEFAULT);
  }

  @Test
  void aNetworkIsEvmByChainIdOrOfAnotherFamilyByItsIdentity() {
    NetworkConfig evm = klaytn().build();
    assertThat(evm.protocol()).isEqualTo(Protocol.EVM);
    assertThat(evm.identity()).isEqualTo("8217");
    assertThat(evm.chainId()).isEqualTo(8217);

    NetworkConfig litecoin =
        NetworkConfig.builder("litecoin")
            .protocol(Protocol.BITCOIN)
            .identity("12a765e31ffd4059bada1e25190f6e98c99d9714d334efa41a195a7e7e04bfe2")
            .rpcUrls("http://user:pw@node.example:9332/")
            .build();
    assertThat(litecoin.identity()).startsWith("12a765e3");
    assertThat(litecoin.chainId()).isZero();

    NetworkConfig aptos =
        NetworkConfig.builder("aptos")
            .protocol(Protocol.APTOS)
            .identity("1")
            .rpcUrls("https://node.example/v1")
            .build();
    assertThat(aptos.chainId()).isEqualTo(1);
    assertThat(Protocol.named("CometBFT")).isEqualTo(Protocol.COMETBFT);
  }

  @Test
  void anIdentityOfTheWrongFormOrAMissingOneIsRejectedNamingIt() {
    assertThatThrownBy(
            () ->
                NetworkConfig.builder("litecoin")
                    .protocol(Protocol.BITCOIN)
                    .identity("0x12a7")
                    .rpcUrls("http://node.example/")
                    .build())
        .hasMessage("identity of BITCOIN network litecoin must be a genesis hash but was '0x12a7'");
    assertThatThrownBy(
            () ->
                NetworkConfig.builder("cosmos")
                    .protocol(Protocol.COMETBFT)
                    .rpcUrls("http://node.example/")
                    .build())
        .hasMessage("network cosmos needs an identity (its network)");
    assertThatThrownBy(
            () -> NetworkConfig.builder("klaytn").rpcUrls("http://node.example/").build())
        .hasMessage("network klaytn needs a chainId");
    assertThatThrownBy(
            () ->
                NetworkConfig.builder("cosmos")
                    .protocol(Protocol.COMETBFT)
                    .identity("cosmoshub-4")
                    .endpoint("http://node.example/", "ws://node.example/websocket")
                    .build())
        .hasMessage(
            "network cosmos is a COMETBFT network: WebSocket URLs subscribe to"
                + " eth_subscribe(\"newHeads\"), which only EVM nodes serve");
    assertThatThrownBy(() -> Protocol.named("ripple"))
        .hasMessageStartingWith("unknown protocol 'ripple'; protocols: evm, bitcoin, solana");
  }

  @Test
  void negativeOrZeroDurationsAreRejectedNamingTheValue() {
    assertThatThrownBy(() -> klaytn().haltAfter(Duration.ofSeconds(-1)))
        .hasMessage("haltAfter of network klaytn must be positive but was PT-1S");
    assertThatThrownBy(() -> klaytn().pollInterval(Duration.ZERO))
        .hasMessage("pollInterval of network klaytn must be positive but was PT0S");
    assertThatThrownBy(() -> RecoveryRule.of(0, Duration.ofSeconds(1)))
        .hasMessageContaining("at least 1 but was 0");
    assertThatThrownBy(
            () ->
                klaytn()
                    .pollInterval(Duration.ofMinutes(2))
                    .haltAfter(Duration.ofMinutes(1))
                    .build())
        .hasMessageContaining("must be shorter than haltAfter (PT1M) but was PT2M");
  }

  @Test
  void aDurationImplausibleForItsSettingIsRejectedWithAHint() {
    // Spring reads `block-interval=1` as 1 ms: a chain that fast does not exist.
    assertThatThrownBy(() -> klaytn().blockInterval(Duration.ofMillis(1)))
        .hasMessage(
            "blockInterval of network klaytn must be at least PT0.05S but was PT0.001S; "
                + "did you mean 1s?");
    assertThatThrownBy(() -> klaytn().blockInterval(Duration.ofHours(2)))
        .hasMessage("blockInterval of network klaytn must be at most PT1H but was PT2H");
    assertThatThrownBy(() -> klaytn().haltAfter(Duration.ofMillis(30)))
        .hasMessage(
            "haltAfter of network klaytn must be at least PT0.1S but was PT0.03S; "
                + "did you mean 30s?");
    assertThatThrownBy(() -> klaytn().pollInterval(Duration.ofMillis(5)))
        .hasMessageEndingWith("but was PT0.005S; did you mean 5s?");
    assertThatThrownBy(() -> klaytn().requestTimeout(Duration.ofMillis(3)))
        .hasMessageStartingWith("requestTimeout of network klaytn must be at least");
    assertThatThrownBy(() -> klaytn().chainIdCheckInterval(Duration.ofMillis(5)))
        .hasMessageStartingWith("chainIdCheckInterval of network klaytn must be at least");
    assertThatThrownBy(() -> klaytn().syncingCheckInterval(Duration.ofMillis(5)))
        .hasMessageStartingWith("syncingCheckInterval of network klaytn must be at least");
  }

  @Test
  void settingsThatContradictEachOtherNameBothTheSuspectFirst() {
    assertThatThrownBy(
            () ->
                klaytn()
                    .blockInterval(Duration.ofSeconds(1))
                    .haltAfter(Duration.ofMillis(500))
                    .build())
        .isInstanceOfSatisfying(
            NetworkConfig.ConflictingSettingsException.class,
            e -> assertThat(e.settings()).containsExactly("haltAfter", "blockInterval"))
        .hasMessage(
            "haltAfter of network klaytn must be at least twice blockInterval (PT2S) but "
                + "was PT0.5S; did you mean 500s?");
    assertThatThrownBy(() -> klaytn().unreachableAfter(Duration.ofMillis(900)).build())
        .isInstanceOfSatisfying(
            NetworkConfig.ConflictingSettingsException.class,
            e -> assertThat(e.settings()).containsExactly("unreachableAfter", "pollInterval"))
        .hasMessageContaining("must be longer than pollInterval (PT24S) but was PT0.9S");
    assertThatThrownBy(() -> klaytn().finalityStallAfter(Duration.ofSeconds(2)).build())
        .isInstanceOfSatisfying(
            NetworkConfig.ConflictingSettingsException.class,
            e -> assertThat(e.settings()).containsExactly("finalityStallAfter", "pollInterval"));
  }

  @Test
  void anRpcUrlThatCannotBeOneSaysWhyWithoutItsSecret() {
    assertThatThrownBy(() -> klaytn().rpcUrls("https://mainnet.infura.io/v3/${INFURA_KEY}"))
        .hasMessage(
            "network klaytn: RPC URL contains the unresolved placeholder ${INFURA_KEY}: "
                + "define INFURA_KEY (an environment variable or property) or remove this URL");
    assertThatThrownBy(() -> klaytn().rpcUrls("127.0.0.1:18556"))
        .hasMessage(
            "network klaytn: RPC URL has no scheme: it must start with http:// or "
                + "https://; did you mean http://127.0.0.1:18556?");
    assertThatThrownBy(() -> klaytn().rpcUrls("user:hunter2@node.example/v3/KEY"))
        .hasMessage(
            "network klaytn: RPC URL has no scheme: it must start with http:// or " + "https://");
    assertThatThrownBy(() -> klaytn().endpoint("http://127.0.0.1:18545/", "127.0.0.1:18546"))
        .hasMessageEndingWith(
            "must start with ws:// or wss://; did you mean ws://127.0.0.1:18546?");
  }

  @Test
  void aNetworkNeedsAChainIdAndAtLeastOneEndpoint() {
    assertThatThrownBy(() -> NetworkConfig.builder("eth").chainId(1).build())
        .hasMessage("network eth needs at least one RPC URL");
    assertThatThrownBy(() -> NetworkConfig.builder("eth").rpcUrls("https://a.example/").build())
        .hasMessage("network eth needs a chainId");
    assertThatThrownBy(() -> NetworkConfig.builder("eth").chainId(0))
        .hasMessageContaining("must be positive but was 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"not a url", "ftp://node.example/", "node.example:8545", "https://"})
  void malformedUrlsAreRejectedNamingTheNetwork(String url) {
    assertThatThrownBy(() -> NetworkConfig.builder("bsc").rpcUrls(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("network bsc: RPC URL");
  }

  @Test
  void aMalformedUrlWithAKeyDoesNotLeakTheKey() {
    assertThatThrownBy(
            () -> NetworkConfig.builder("eth").rpcUrls("https://user:hunter2@host /v3/KEY"))
        .hasMessageNotContaining("hunter2")
        .hasMessageNotContaining("KEY");
  }

  @Test
  void tokensMustNameAConfiguredNetworkOnce() {
    NetworkConfig net = klaytn().build();
    assertThatThrownBy(() -> ChainBreaker.builder().network(net).token("PXL", "kaia").build())
        .hasMessage("token PXL names the unknown network 'kaia'; configured networks: [klaytn]");
    assertThatThrownBy(
            () ->
                ChainBreaker.builder()
                    .network(net)
                    .token("PXL", "klaytn")
                    .token("PXL", "klaytn")
                    .build())
        .hasMessage("token PXL is configured twice");
    assertThatThrownBy(() -> ChainBreaker.builder().network(net).network(net).build())
        .hasMessage("network klaytn is configured twice");
    assertThatThrownBy(() -> ChainBreaker.builder().build())
        .hasMessage("at least one network must be configured");
  }

  @Test
  void tokenSymbolsAndContractsAreChecked() {
    assertThatThrownBy(() -> TokenConfig.of("", "klaytn")).hasMessageContaining("but was ''");
    assertThatThrownBy(() -> TokenConfig.of("PXL", "klaytn").withContract("0x12"))
        .hasMessageContaining("but was '0x12'");
  }

  @Test
  void anEndpointListedTwiceIsRejected() {
    assertThatThrownBy(() -> klaytn().rpcUrls("https://node.example/"))
        .hasMessageContaining("twice");
  }

  @Test
  void aSequencerFeedIsOptionalWithChainlinksGraceByDefault() {
    NetworkConfig none = klaytn().build();
    assertThat(none.sequencerFeed()).isNull();
    assertThat(none.sequencerCheckInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(none.sequencerGracePeriod()).isEqualTo(Duration.ofHours(1));
    assertThat(none.suspends(Reason.SEQUENCER_DOWN))
        .containsExactlyInAnyOrder(Direction.DEPOSIT, Direction.WITHDRAWAL);
    assertThat(none.suspends(Reason.SEQUENCER_GRACE)).containsExactly(Direction.WITHDRAWAL);
    NetworkConfig feed =
        klaytn()
            .sequencerFeed(" 0xFdB631F5EE196F0ed6FAa767959853A9F217697D ")
            .sequencerGracePeriod(Duration.ZERO)
            .build();
    assertThat(feed.sequencerFeed()).isEqualTo("0xFdB631F5EE196F0ed6FAa767959853A9F217697D");
    assertThat(feed).isNotEqualTo(none);
  }

  @Test
  void badSequencerSettingsAreRefusedWithTheBadValue() {
    assertThatThrownBy(() -> klaytn().sequencerFeed("0x1234"))
        .hasMessage(
            "sequencerFeed of network klaytn must be a contract address (0x and 40 hex digits)"
                + " but was '0x1234'");
    assertThatThrownBy(() -> klaytn().sequencerGracePeriod(Duration.ofSeconds(-1)))
        .hasMessage("sequencerGracePeriod of network klaytn must not be negative but was PT-1S");
    assertThatThrownBy(() -> klaytn().sequencerCheckInterval(Duration.ofMillis(10)))
        .hasMessage(
            "sequencerCheckInterval of network klaytn must be at least PT0.1S but was PT0.01S; did you mean 10s?");
    assertThatThrownBy(() -> klaytn().sequencerCheckInterval(Duration.ZERO))
        .hasMessage("sequencerCheckInterval of network klaytn must be positive but was PT0S");
    assertThatThrownBy(
            () ->
                NetworkConfig.builder("sol")
                    .preset(NetworkPreset.SOLANA)
                    .rpcUrls("https://node.example/")
                    .sequencerFeed("0xFdB631F5EE196F0ed6FAa767959853A9F217697D")
                    .build())
        .hasMessage(
            "network sol is a SOLANA network: sequencerFeed is read with eth_call, which only EVM"
                + " nodes serve");
  }
}
