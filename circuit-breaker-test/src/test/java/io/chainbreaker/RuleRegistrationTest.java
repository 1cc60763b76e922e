package io.chainbreaker;

import static io.chainbreaker.Reason.DEEP_REORG;
import static io.chainbreaker.Reason.FINALITY_STALLED;
import static io.chainbreaker.Reason.HALTED;
import static io.chainbreaker.Reason.MAINTENANCE;
import static io.chainbreaker.Reason.MONITOR_STALE;
import static io.chainbreaker.Reason.PROBE_FAILED;
import static io.chainbreaker.Reason.SEQUENCER_DOWN;
import static io.chainbreaker.Reason.SEQUENCER_GRACE;
import static io.chainbreaker.Reason.SLOW_BLOCKS;
import static io.chainbreaker.Reason.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A rule is registered by its {@link Reason} constant, and says itself what the monitor and the
 * default policy used to hold for it: its strength, its default directions, the network's health,
 * whether it interrupts block production. Written so that a new rule needs no line here.
 */
class RuleRegistrationTest {

  /** The order of the reasons that are not new; a new rule's reason ranks wherever it says. */
  @Test
  void reasonsRankStrongestFirstAsBefore() {
    assertThat(Reason.BY_STRENGTH)
        .containsSubsequence(
            MONITOR_STALE,
            UNREACHABLE,
            HALTED,
            SEQUENCER_DOWN,
            PROBE_FAILED,
            MAINTENANCE,
            DEEP_REORG,
            FINALITY_STALLED,
            SEQUENCER_GRACE,
            SLOW_BLOCKS);
  }

  @Test
  void theMonitorAppliesTheRulesStrongestFirstEachReasonToItsOwnRule() {
    List<Reason> order = new ArrayList<>();
    for (HaltRule rule : HaltRule.ALL) {
      order.add(rule.reason());
    }
    List<Reason> ranked = new ArrayList<>(List.of(Reason.BY_STRENGTH));
    ranked.remove(MONITOR_STALE); // the watchdog's, not a rule's
    assertThat(order).isEqualTo(ranked);
  }

  @Test
  void theDefaultPolicyIsWhatEachRuleSuspendsByDefault() {
    assertThat(NetworkConfig.DEFAULT_POLICY.keySet())
        .as("a policy entry for every reason the monitor reports, and only those")
        .containsExactlyInAnyOrder(Reason.BY_STRENGTH);
    Set<Direction> both = EnumSet.allOf(Direction.class);
    Set<Direction> deposits = EnumSet.of(Direction.DEPOSIT);
    Map<Reason, Set<Direction>> expected = new EnumMap<>(Reason.class);
    expected.put(HALTED, both);
    expected.put(UNREACHABLE, both);
    expected.put(MONITOR_STALE, both);
    expected.put(PROBE_FAILED, both);
    expected.put(MAINTENANCE, both);
    expected.put(DEEP_REORG, deposits);
    expected.put(FINALITY_STALLED, deposits);
    expected.put(SLOW_BLOCKS, Set.of());
    expected.put(SEQUENCER_DOWN, both);
    expected.put(SEQUENCER_GRACE, EnumSet.of(Direction.WITHDRAWAL));
    assertThat(NetworkConfig.DEFAULT_POLICY).containsAllEntriesOf(expected);
    for (HaltRule rule : HaltRule.ALL) {
      assertThat(NetworkConfig.DEFAULT_POLICY.get(rule.reason()))
          .isEqualTo(rule.suspendsByDefault());
    }
  }

  @Test
  void eachRuleNamesTheNetworksHealthWhileItIsTheStrongest() {
    Map<Reason, NetworkHealth> health = new EnumMap<>(Reason.class);
    Set<Reason> interrupting = EnumSet.noneOf(Reason.class);
    for (HaltRule rule : HaltRule.ALL) {
      health.put(rule.reason(), rule.health());
      if (rule.interruptsBlocks()) {
        interrupting.add(rule.reason());
      }
      assertThat(rule.description()).as(rule.reason() + "'s description").isNotBlank();
    }
    assertThat(health)
        .containsEntry(UNREACHABLE, NetworkHealth.UNREACHABLE)
        .containsEntry(HALTED, NetworkHealth.HALTED)
        .containsEntry(SEQUENCER_DOWN, NetworkHealth.HALTED)
        .containsEntry(PROBE_FAILED, NetworkHealth.HALTED)
        .containsEntry(MAINTENANCE, NetworkHealth.MAINTENANCE)
        .containsEntry(DEEP_REORG, NetworkHealth.DEGRADED)
        .containsEntry(FINALITY_STALLED, NetworkHealth.DEGRADED)
        .containsEntry(SEQUENCER_GRACE, NetworkHealth.DEGRADED)
        .containsEntry(SLOW_BLOCKS, NetworkHealth.DEGRADED);
    // The gap after a halt, an outage or maintenance is its own incident, never slow production.
    assertThat(interrupting)
        .contains(HALTED, UNREACHABLE, MAINTENANCE)
        .doesNotContain(
            SEQUENCER_DOWN,
            PROBE_FAILED,
            DEEP_REORG,
            FINALITY_STALLED,
            SEQUENCER_GRACE,
            SLOW_BLOCKS);
  }
}
