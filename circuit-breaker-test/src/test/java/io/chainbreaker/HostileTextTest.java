package io.chainbreaker;

import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Operators' text is hostile until checked: the override methods refuse what a database would
 * refuse or cut, and no log line built from outside text can be forged or carry terminal escapes.
 */
class HostileTextTest {

  @Test
  void overrideTextThatADatabaseWouldRefuseOrCutIsRejectedBeforeAnythingIsStored() {
    try (Rig rig = new Rig().started()) {
      Consumer<Runnable> refused =
          call -> assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class);
      refused.accept(
          () -> rig.breaker.forceSuspend("PXL", WITHDRAWAL, "alice", "nul \u0000 here", null));
      refused.accept(
          () ->
              rig.breaker.forceSuspend(
                  "PXL",
                  WITHDRAWAL,
                  "alice",
                  "x".repeat(BreakerOverride.MAX_NOTE_LENGTH + 1),
                  null));
      refused.accept(
          () -> rig.breaker.forceSuspend("PXL", WITHDRAWAL, "alice", "y".repeat(1 << 20), null));
      refused.accept(
          () ->
              rig.breaker.forceAllow(
                  "PXL",
                  WITHDRAWAL,
                  "a".repeat(BreakerOverride.MAX_ACTOR_LENGTH + 1),
                  "audit",
                  null));
      refused.accept(() -> rig.breaker.forceAllow("PXL", WITHDRAWAL, "al\nice", "audit", null));
      refused.accept(
          () ->
              rig.breaker.forceSuspend(
                  "PXL", WITHDRAWAL, "alice", "audit", Duration.ofDays(200_000_000)));
      refused.accept(
          () ->
              rig.breaker.forceSuspend("PXL", WITHDRAWAL, "alice", "audit", Duration.ofDays(366)));
      refused.accept(() -> rig.breaker.clearOverride("PXL", WITHDRAWAL, "bob\r\n"));

      assertThat(rig.store.overrides()).isEmpty();
      assertThat(rig.transitions).noneMatch(t -> t.reason() == Reason.OPERATOR);
      assertThat(rig.breaker.allowsWithdrawal("PXL")).isTrue();

      // The limits themselves are accepted, and read back exactly.
      String longest = "z".repeat(BreakerOverride.MAX_NOTE_LENGTH);
      rig.breaker.forceSuspend(
          "PXL",
          WITHDRAWAL,
          "a".repeat(BreakerOverride.MAX_ACTOR_LENGTH),
          longest,
          BreakerOverride.MAX_TTL);
      assertThat(rig.store.overrides())
          .singleElement()
          .satisfies(o -> assertThat(o.note()).isEqualTo(longest));
    }
  }

  @Test
  void outsideTextCannotForgeALogLineNorWriteTerminalEscapes() throws Exception {
    try (Rig rig = new Rig().started()) {
      BreakerOverride forged =
          new BreakerOverride(
              "PXL",
              "klaytn",
              DEPOSIT,
              BreakerState.SUSPENDED,
              "mallory\n12:00:00.000 [main] WARN io.chainbreaker.ChainBreaker - all clear",
              "red \u001b[31m nul \u0000 tab \t cr \r",
              rig.time.now(),
              null);
      // Text read back from a shared store was never checked by this instance's API.
      rig.store.putOverride(forged);

      String log = LogCapture.of(() -> rig.idle(Duration.ofSeconds(2)));

      assertThat(rig.breaker.allowsDeposit("PXL")).isFalse();
      assertThat(log)
          .contains("override of PXL on klaytn DEPOSIT set to SUSPENDED")
          .contains("mallory\\u000a12:00:00.000")
          .contains("red \\u001b[31m nul \\u0000 tab \\u0009 cr \\u000d")
          .doesNotContain("\u001b")
          .doesNotContain("\u0000")
          .doesNotContain("\r")
          .doesNotContain("\t");
      assertThat(log.lines()).noneMatch(l -> l.startsWith("12:00:00.000 [main] WARN"));
    }
  }

  @Test
  void escapingKeepsPlainTextAsItIsAndShowsEveryControlCharacter() {
    assertThat(SafeText.escape("hot wallet audit (ticket #42) ü €"))
        .isEqualTo("hot wallet audit (ticket #42) ü €");
    assertThat(SafeText.escape("a\r\nb\u0085c\u007fd\u009be"))
        .isEqualTo("a\\u000d\\u000ab\\u0085c\\u007fd\\u009be");
    assertThat(SafeText.escape(null)).isEqualTo("null");
  }
}
