package io.chainbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.SourceSettings;
import io.chainbreaker.store.InMemoryStateStore;
import io.chainbreaker.test.ScriptedHeadSource;
import io.chainbreaker.test.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Head sources are opened with {@link SourceSettings} alone, and an endpoint is kept across a
 * catalog change exactly when nothing it was built from changed.
 */
class SourceSettingsTest {

  private static final String URL = "https://node.example/v3/key0123456789abcdef";

  private static NetworkConfig klaytn(UnaryOperator<NetworkConfig.Builder> settings) {
    return settings
        .apply(
            NetworkConfig.builder("klaytn")
                .chainId(Rig.CHAIN)
                .rpcUrls(URL)
                .blockInterval(Duration.ofSeconds(1))
                .haltAfter(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(2)))
        .build();
  }

  /** Puts {@code n} in the catalog and lets the engine apply it. */
  private static void put(ChainBreaker breaker, VirtualTime time, NetworkConfig n) {
    breaker.change(CatalogChange.by("test").putNetwork(n).build());
    time.runDue();
  }

  @Test
  void aSourceIsOpenedWithTheNetworksSourceSettings() {
    NetworkConfig n =
        klaytn(b -> b.namespace(RpcNamespace.KLAY).requestTimeout(Duration.ofMillis(800)));
    assertThat(n.sourceSettings())
        .isEqualTo(
            new SourceSettings(
                "klaytn",
                Protocol.EVM,
                RpcNamespace.KLAY,
                Rig.CHAIN,
                String.valueOf(Rig.CHAIN),
                Duration.ofMillis(800)));
    assertThat(n.sourceSettings().identityText()).isEqualTo("chain id " + Rig.CHAIN);
  }

  @Test
  void settingsRejectANonPositiveTimeoutNamingTheNetwork() {
    assertThatThrownBy(
            () ->
                new SourceSettings(
                    "klaytn", Protocol.EVM, RpcNamespace.ETH, 8217, "8217", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requestTimeout of network klaytn must be positive but was PT0S");
  }

  @Test
  void anEndpointIsKeptWhenOnlyWhatItDoesNotUseChangesAndReopenedOtherwise() {
    VirtualTime time = VirtualTime.startingAt(Rig.START);
    List<SourceSettings> opened = new CopyOnWriteArrayList<>();
    HeadSource.Factory factory =
        (settings, url) -> {
          opened.add(settings);
          return new ScriptedHeadSource(Rig.CHAIN, 24_002_300, time.clock());
        };
    try (ChainBreaker breaker =
        ChainBreaker.builder()
            .network(klaytn(b -> b))
            .token("PXL", "klaytn")
            .stateStore(new InMemoryStateStore())
            .clock(time.clock())
            .ticker(time::nanoTime)
            .scheduler(time.newScheduler())
            .watchdogScheduler(time.newScheduler())
            .ioExecutor(Runnable::run)
            .headSources(factory)
            .build()) {
      breaker.start();
      time.runDue();
      assertThat(opened).containsExactly(klaytn(b -> b).sourceSettings());

      // The poll interval and halt threshold are the monitor's business: the endpoint stays, and
      // the reorg cadence the poll interval sets by default is retuned on it.
      put(
          breaker,
          time,
          klaytn(b -> b.pollInterval(Duration.ofSeconds(2)).haltAfter(Duration.ofSeconds(40))));
      assertThat(opened).hasSize(1);

      // A reorg cadence slower than what the endpoint remembers of the chain can serve: reopened.
      put(
          breaker,
          time,
          klaytn(
              b ->
                  b.pollInterval(Duration.ofSeconds(2))
                      .haltAfter(Duration.ofSeconds(40))
                      .reorgCheckInterval(Duration.ofMinutes(2))));
      assertThat(opened).hasSize(2);

      // The lag tolerance is the tracker's: it is opened again rather than left on the old one.
      put(
          breaker,
          time,
          klaytn(
              b ->
                  b.pollInterval(Duration.ofSeconds(2))
                      .haltAfter(Duration.ofSeconds(40))
                      .maxLagBlocks(9)));
      assertThat(opened).hasSize(3);

      // A new request timeout changes what the source was opened with.
      NetworkConfig slower =
          klaytn(
              b ->
                  b.pollInterval(Duration.ofSeconds(2))
                      .haltAfter(Duration.ofSeconds(40))
                      .maxLagBlocks(9)
                      .requestTimeout(Duration.ofSeconds(3)));
      put(breaker, time, slower);
      assertThat(opened).hasSize(4);
      assertThat(opened.get(3)).isEqualTo(slower.sourceSettings());
      assertThat(breaker.network("klaytn").endpoints()).hasSize(1);
    }
  }
}
