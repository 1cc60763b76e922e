package io.chainbreaker.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IncidentTest {

  private final Incident cosmos = Incident.named("cosmos-hub-2024-06-05");

  @Test
  void headAdvancesEveryIntervalUpToTheLastBlockThenStandsForTheHaltThenMovesAgain() {
    Instant start = cosmos.haltStart();
    assertThat(cosmos.headAt(start)).isEqualTo(20_740_970);
    assertThat(cosmos.headAt(start.minusSeconds(1))).isEqualTo(20_740_969);
    assertThat(cosmos.headAt(start.minusSeconds(6))).isEqualTo(20_740_969);
    assertThat(cosmos.headAt(start.minusSeconds(7))).isEqualTo(20_740_968);
    assertThat(cosmos.headAt(start.plus(Duration.ofHours(4)))).isEqualTo(20_740_970);
    assertThat(cosmos.haltEnd()).isEqualTo(Instant.parse("2024-06-06T00:02:00Z"));
    assertThat(cosmos.headAt(cosmos.haltEnd().minusMillis(1))).isEqualTo(20_740_970);
    assertThat(cosmos.headAt(cosmos.haltEnd())).isEqualTo(20_740_971);
    assertThat(cosmos.headAt(cosmos.haltEnd().plusSeconds(6))).isEqualTo(20_740_972);
  }

  @Test
  void blockTimesMatchTheHeads() {
    for (long n = 20_740_960; n < 20_740_980; n++) {
      assertThat(cosmos.headAt(cosmos.blockTime(n))).as("block %d", n).isEqualTo(n);
    }
  }

  @Test
  void everyIncidentCitesAnHttpsSourceAndRoundTripsByName() {
    assertThat(Incident.all())
        .isNotEmpty()
        .allSatisfy(
            i -> {
              assertThat(i.source()).startsWith("https://");
              assertThat(Incident.named(i.name().toUpperCase())).isEqualTo(i);
              assertThat(i.haltEnd()).isAfter(i.haltStart());
            });
  }

  @Test
  void anIncidentWithoutAPublicLastBlockUsesTheNominalOne() {
    Incident sui = Incident.named("sui-2024-11-21");
    assertThat(sui.lastBlock()).isNull();
    assertThat(sui.headAt(sui.haltStart())).isEqualTo(Incident.NOMINAL_LAST_BLOCK);
  }

  @Test
  void anUnknownNameListsTheCatalog() {
    assertThatThrownBy(() -> Incident.named("ethereum-2016-11-22"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown incident 'ethereum-2016-11-22'")
        .hasMessageContaining("solana-2022-09-30")
        .hasMessageContaining("cosmos-hub-2024-06-05");
  }
}
