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
    assertThat(oneSecond.pollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(oneSecond.unreachableAfter()).isEqualTo(Duration.ofSeconds(30));
    // Twice the poll interval: an endpoint's next poll never waits long on its last one.
    assertThat(oneSecond.requestTimeout()).isEqualTo(Duration.ofSeconds(2));

    NetworkConfig ethereum = klaytn().blockInterval(Duration.ofSeconds(12)).build();
    assertThat(ethereum.haltAfter()).isEqualTo(Duration.ofSeconds(120));
    assertThat(ethereum.pollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(ethereum.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(ethereum.recovery(Direction.DEPOSIT)).isEqualTo(RecoveryRule.DEPOSIT_DEFAULT);
    assertThat(ethereum.recovery(Direction.WITHDRAWAL)).isEqualTo(RecoveryRule.WITHDRAWAL_DEFAULT);
  }

  @Test
  void negativeOrZeroDurationsAreRejectedNamingTheValue() {
    assertThatThrownBy(() -> klaytn().haltAfter(Duration.ofSeconds(-1)))
        .hasMessage("haltAfter of network klaytn must be positive but was PT-1S");
    assertThatThrownBy(() -> klaytn().pollInterval(Duration.ZERO))
        .hasMessage("pollInterval of network klaytn must be positive but was PT0S");
    assertThatThrownBy(() -> RecoveryRule.of(0, Duration.ofSeconds(1)))
        .hasMessageContaining("at least 1 but was 0");
    assertThatThrownBy(() -> klaytn().pollInterval(Duration.ofMinutes(2))
            .haltAfter(Duration.ofMinutes(1)).build())
        .hasMessageContaining("must be shorter than haltAfter (PT1M) but was PT2M");
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
    assertThatThrownBy(() -> NetworkConfig.builder("eth").rpcUrls("https://user:hunter2@host /v3/KEY"))
        .hasMessageNotContaining("hunter2").hasMessageNotContaining("KEY");
  }

  @Test
  void tokensMustNameAConfiguredNetworkOnce() {
    NetworkConfig net = klaytn().build();
    assertThatThrownBy(() -> ChainBreaker.builder().network(net).token("PXL", "kaia").build())
        .hasMessage("token PXL names the unknown network 'kaia'; configured networks: [klaytn]");
    assertThatThrownBy(() -> ChainBreaker.builder().network(net)
            .token("PXL", "klaytn").token("PXL", "klaytn").build())
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
}
