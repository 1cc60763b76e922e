package io.chainbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one value naming a token, and the one place that writes and reads {@code SYMBOL@network}. */
class TokenIdTest {

  @Test
  void writesSymbolAtNetworkAndReadsItBack() {
    TokenId usdt = TokenId.of("USDT", "tron");

    assertThat(usdt).hasToString("USDT@tron");
    assertThat(usdt.symbol()).isEqualTo("USDT");
    assertThat(usdt.network()).isEqualTo("tron");
    assertThat(TokenId.parse("USDT@tron")).isEqualTo(usdt).hasSameHashCodeAs(usdt);
    assertThat(TokenId.format("USDT", "tron")).isEqualTo(usdt.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"PXL@klaytn", "USDC.e@avalanche-c", "A_1@0chain", "x@y", "BTC-2@l2.net"})
  void everyValidIdSurvivesARoundTrip(String text) {
    assertThat(TokenId.parse(text).toString()).isEqualTo(text);
    TokenId id = TokenId.parse(text);
    assertThat(TokenId.of(id.symbol(), id.network())).isEqualTo(id);
  }

  @Test
  void theLimitsAreTheCatalogsLimits() {
    String symbol = "S".repeat(Limits.SYMBOL);
    String network = "n".repeat(Limits.NETWORK);
    assertThat(TokenId.parse(symbol + "@" + network).symbol()).isEqualTo(symbol);

    assertThatThrownBy(() -> TokenId.of(symbol + "S", "tron"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("token symbol must be at most 64 characters but had 65");
    assertThatThrownBy(() -> TokenId.of("USDT", network + "n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("network of token USDT must be at most 64 characters but had 65");
    assertThatThrownBy(() -> TokenId.of("USDT", "-tron"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the first a letter or digit");
    assertThatThrownBy(() -> TokenId.of("US DT", "tron"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("token symbol must be 1 to 64 letters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "@", "USDT", "USDT@", "@tron", "USDT@tron@x", "USDT@@tron"})
  void textThatIsNotOneSymbolAtOneNetworkIsRefusedNamingIt(String text) {
    assertThatThrownBy(() -> TokenId.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token id must be SYMBOL@network (e.g. USDT@tron) but was '" + text + "'");
  }

  @Test
  void aBadSymbolOrNetworkIsRefusedWithTheReasonAndTheText() {
    assertThatThrownBy(() -> TokenId.parse("US DT@tron"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("token id 'US DT@tron' is not valid: token symbol must be");
    assertThatThrownBy(() -> TokenId.parse("USDT@.tron"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("token id 'USDT@.tron' is not valid: network of token USDT");
    assertThatThrownBy(() -> TokenId.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be given");
  }

  @Test
  void hostileTextIsQuotedShortAndWithItsControlCharactersEscaped() {
    String forged = "USDT@tron\n2026-01-01 INFO all clear\u001b[2J";
    assertThatThrownBy(() -> TokenId.parse(forged))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain("\n")
                    .doesNotContain("\u001b")
                    .contains("\\u000a")
                    .contains("\\u001b"));

    String huge = "A".repeat(5_000_000) + "@tron";
    assertThatThrownBy(() -> TokenId.parse(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .hasSizeLessThan(300)
                    .contains("(5000005 characters)")
                    .contains("at most 64 characters but had 5000000"));
    String manyAts = "@".repeat(1_000_000);
    assertThatThrownBy(() -> TokenId.parse(manyAts))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }

  @Test
  void equalIdsAreOneTokenAndSortBySymbolThenNetwork() {
    assertThat(TokenId.of("USDT", "tron")).isNotEqualTo(TokenId.of("USDT", "ethereum"));
    assertThat(TokenId.of("USDT", "tron")).isNotEqualTo(TokenId.of("usdt", "tron"));
    assertThat(TokenId.of("USDT", "tron").is("USDT", "tron")).isTrue();
    assertThat(TokenId.of("USDT", "tron").is("USDT", "eth")).isFalse();
    assertThat(
            new TreeSet<>(
                List.of(
                    TokenId.of("USDT", "tron"),
                    TokenId.of("PXL", "klaytn"),
                    TokenId.of("USDT", "ethereum"))))
        .extracting(TokenId::toString)
        .containsExactly("PXL@klaytn", "USDT@ethereum", "USDT@tron");
  }

  @Test
  void theRecordsThatNameATokenGiveItsId() {
    TokenConfig config = TokenConfig.of(TokenId.parse("USDT@tron"));
    assertThat(config.tokenId()).isEqualTo(TokenId.of("USDT", "tron"));
    assertThat(config.symbol()).isEqualTo("USDT");
    assertThat(config.network()).isEqualTo("tron");
  }
}
