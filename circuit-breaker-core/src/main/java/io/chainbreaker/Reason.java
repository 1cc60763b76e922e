package io.chainbreaker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Why a breaker or a network is in its state. The same names appear in logs, events and docs.
 *
 * <p>A reason that a rule concludes from the network's view names its rule and its strength here,
 * once: that is the rule's registration ({@code HaltRule.ALL}) and its rank when several hold.
 */
public enum Reason {
  /** Nothing is wrong. */
  HEALTHY,
  /** The engine has not yet seen a head from a verified endpoint. */
  STARTING,
  /**
   * The network head has not advanced for {@code haltAfter}, or the latest block is older than
   * {@code haltAfter} (plus the skew allowance) by wall clock.
   */
  HALTED(800, HaltedRule::new),
  /** No endpoint serving the right chain answered for {@code unreachableAfter}. */
  UNREACHABLE(900, UnreachableRule::new),
  /** The monitor itself stopped evaluating (dead scheduler, exception loop): fail closed. */
  MONITOR_STALE(1000, null),
  /**
   * A liveness probe of an on-demand network failed (e.g. a probe transaction was not included).
   */
  PROBE_FAILED(700, ProbeFailedRule::new),
  /** A planned maintenance window is in force. */
  MAINTENANCE(600, MaintenanceRule::new),
  /**
   * A block was replaced by another at a depth of at least {@code maxReorgDepth}: a security event.
   */
  DEEP_REORG(500, DeepReorgRule::new),
  /**
   * The {@code finalized} block has not advanced for {@code finalityStallAfter} while the head
   * moves.
   */
  FINALITY_STALLED(400, FinalityStalledRule::new),
  /** The mean block interval over the window is above {@code slowFactor} times the expected one. */
  SLOW_BLOCKS(200, SlowBlocksRule::new),
  /** An operator forced the state. */
  OPERATOR,
  /**
   * The state store could not be read, so the engine does not know what was suspended or overridden
   * before it started: fail closed until the store answers, then recover by the recovery rule.
   */
  STORE_UNAVAILABLE,
  /** The token was removed from the catalog; a handle still held answers "not allowed". */
  DELISTED,
  /**
   * This instance of a fleet has no fresh verdict for the network: the leader's newest one is older
   * than {@code staleAfter}, or the database cannot be reached. Fail closed until a fresh verdict
   * arrives, then take the leader's state as it is.
   */
  VIEW_STALE,
  /**
   * The rollup's Chainlink L2 sequencer uptime feed ({@code sequencerFeed}) answers 1: the
   * sequencer is down. In force from the first reading that says so, before {@code haltAfter}.
   */
  SEQUENCER_DOWN(750, SequencerRule::down),
  /**
   * The rollup's sequencer is back up, but for less than {@code sequencerGracePeriod} since the
   * feed's {@code startedAt} (Chainlink's grace period): a backlog is still being worked off.
   */
  SEQUENCER_GRACE(300, SequencerRule::grace);

  /**
   * How strong this reason is against the others in force at once, for a direction: the strongest
   * wins; 0 for a reason no rule concludes and the monitor does not report.
   */
  private final int strength;

  /** Makes this reason's rule, or null for a reason no {@code HaltRule} concludes. */
  @SuppressWarnings("ImmutableEnumChecker") // a constructor reference: no state to change
  private final @Nullable Supplier<HaltRule> rule;

  Reason() {
    this(0, null);
  }

  /**
   * A reason the monitor reports, of {@code strength} (higher is stronger; leave gaps so a new one
   * fits between), concluded by the rule {@code rule} makes (null: the monitor's own).
   */
  Reason(int strength, @Nullable Supplier<HaltRule> rule) {
    this.strength = strength;
    this.rule = rule;
  }

  /** The automatic reasons that can suspend, strongest first: the first one in force wins. */
  static final Reason[] BY_STRENGTH = byStrength();

  private static Reason[] byStrength() {
    return Arrays.stream(values())
        .filter(r -> r.strength > 0)
        .sorted(Comparator.comparingInt((Reason r) -> r.strength).reversed())
        .toArray(Reason[]::new);
  }

  /** One instance of every reason's rule, strongest first: {@code HaltRule.ALL}. */
  static List<HaltRule> rules() {
    List<HaltRule> rules = new ArrayList<>();
    for (Reason r : BY_STRENGTH) {
      Supplier<HaltRule> make = r.rule;
      if (make != null) {
        rules.add(make.get());
      }
    }
    return List.copyOf(rules);
  }
}
