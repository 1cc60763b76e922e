package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.chainbreaker.BreakerOverride;
import io.chainbreaker.BreakerState;
import io.chainbreaker.Direction;
import io.chainbreaker.DirectionStatus;
import io.chainbreaker.Reason;
import io.chainbreaker.StatusSnapshot;
import io.chainbreaker.TokenStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WalletStatusDocumentTest {

  private static final Instant HALT = Instant.parse("2020-03-29T14:32:40Z");

  private static DirectionStatus allowed() {
    return new DirectionStatus(
        BreakerState.ALLOWED, Reason.HEALTHY, HALT.minusSeconds(60), "healthy", 24002379L, null);
  }

  private static DirectionStatus halted() {
    return new DirectionStatus(
        BreakerState.SUSPENDED, Reason.HALTED, HALT, "no new head for PT30S", 24002379L, null);
  }

  private static StatusSnapshot snapshot(TokenStatus... tokens) {
    return new StatusSnapshot(HALT, List.of(), List.of(tokens));
  }

  @Test
  void anAssetOnSeveralNetworksIsOneCurrencyOpenWhereAnyNetworkIs() {
    StatusSnapshot s =
        snapshot(
            new TokenStatus("USDT-TRON", "tron", null, halted(), halted()),
            new TokenStatus(
                "USDT",
                "ethereum",
                "0xdac17f958d2ee523a2206206994597c13d831ec7",
                allowed(),
                allowed()));

    WalletStatusDocument.Currency usdt =
        WalletStatusDocument.of(s, Map.of("USDT-TRON", "USDT")).get("USDT");

    assertThat(usdt.code()).isEqualTo("USDT");
    assertThat(usdt.deposit()).isTrue();
    assertThat(usdt.withdraw()).isTrue();
    assertThat(usdt.active()).isTrue();
    assertThat(usdt.networks()).containsOnlyKeys("tron", "ethereum");
    WalletStatusDocument.Network tron = usdt.networks().get("tron");
    assertThat(tron.network()).isEqualTo("tron");
    assertThat(tron.deposit()).isFalse();
    assertThat(tron.withdraw()).isFalse();
    assertThat(tron.active()).isFalse();
    assertThat(tron.info().token()).isEqualTo("USDT-TRON");
    assertThat(tron.info().deposit())
        .isEqualTo(new WalletStatusDocument.Side("SUSPENDED", "HALTED", "2020-03-29T14:32:40Z"));
  }

  @Test
  void aNetworkIsActiveOnlyWhileBothDirectionsAreOpen() {
    WalletStatusDocument.Currency pxl =
        WalletStatusDocument.of(
                snapshot(new TokenStatus("PXL", "klaytn", null, allowed(), halted())), Map.of())
            .get("PXL");

    assertThat(pxl.deposit()).isTrue();
    assertThat(pxl.withdraw()).isFalse();
    assertThat(pxl.active()).isFalse();
    assertThat(pxl.networks().get("klaytn").active()).isFalse();
  }

  @Test
  void anOverrideShowsAsTheOperatorCodeWithoutWhoOrWhy() {
    BreakerOverride override =
        new BreakerOverride(
            "PXL",
            "klaytn",
            Direction.WITHDRAWAL,
            BreakerState.SUSPENDED,
            "mallory",
            "<script>hot wallet</script>",
            HALT,
            null);
    DirectionStatus forced =
        new DirectionStatus(
            BreakerState.SUSPENDED,
            Reason.OPERATOR,
            HALT,
            "forced by mallory: <script>hot wallet</script>",
            24002379L,
            override);

    WalletStatusDocument.Side side =
        WalletStatusDocument.of(
                snapshot(new TokenStatus("PXL", "klaytn", null, allowed(), forced)), Map.of())
            .get("PXL")
            .networks()
            .get("klaytn")
            .info()
            .withdraw();

    assertThat(side)
        .isEqualTo(new WalletStatusDocument.Side("SUSPENDED", "OPERATOR", "2020-03-29T14:32:40Z"));
    assertThat(side.toString()).doesNotContain("mallory", "script");
  }

  @Test
  void servesOneBuiltDocumentUntilInvalidatedOrMaxAgePassed() {
    AtomicInteger built = new AtomicInteger();
    AtomicLong nanos = new AtomicLong();
    Ticker ticker = nanos::get;
    WalletStatusDocument document =
        new WalletStatusDocument(
            () -> {
              built.incrementAndGet();
              return snapshot(new TokenStatus("PXL", "klaytn", null, allowed(), allowed()));
            },
            Map.of(),
            Duration.ofSeconds(10),
            ticker);

    document.currencies();
    document.currencies();
    assertThat(built).hasValue(1);

    document.invalidate();
    document.currencies();
    assertThat(built).hasValue(2);

    nanos.addAndGet(Duration.ofSeconds(10).toNanos());
    document.currencies();
    assertThat(built).hasValue(3);
  }

  @Test
  void refusesANonPositiveMaxAgeNamingIt() {
    assertThatThrownBy(
            () ->
                new WalletStatusDocument(
                    () -> snapshot(), Map.of(), Duration.ZERO, Ticker.systemTicker()))
        .hasMessage("maxAge must be positive but was PT0S");
  }
}
