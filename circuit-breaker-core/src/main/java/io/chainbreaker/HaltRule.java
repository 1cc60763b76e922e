package io.chainbreaker;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One automatic reason to suspend a network's tokens, as a pure function of the network's view now:
 * whether it is in force (and the sentence that says why), and when its answer can next change
 * without new input. Both come from one {@link #judge} so the condition and its deadline are
 * written once; the monitor only loops over {@link #ALL}. Adding a signal is one class here, one
 * {@link Reason} and one test.
 */
interface HaltRule {

  /** Every rule the monitor applies, in no particular order (strength is {@link Reason}'s). */
  List<HaltRule> ALL =
      List.of(
          new UnreachableRule(),
          new HaltedRule(),
          new DeepReorgRule(),
          new FinalityStalledRule(),
          new SlowBlocksRule(),
          new ProbeFailedRule(),
          new MaintenanceRule(),
          SequencerRule.down(),
          SequencerRule.grace());

  /** The reason this rule reports. */
  Reason reason();

  /** What this rule concludes from {@code view}; never changes {@code view}. */
  Verdict judge(NetworkView view);

  /**
   * A rule's conclusion.
   *
   * @param problem the detail sentence when the rule is in force, else null
   * @param nextChangeNanos the ticker time after {@code now} at which the answer can change without
   *     new input (a poll, a push, a probe), or {@link Long#MAX_VALUE} for never
   */
  record Verdict(@Nullable String problem, long nextChangeNanos) {

    /** Not in force, and only new input can change that. */
    static final Verdict CLEAR = new Verdict(null, Long.MAX_VALUE);

    /** In force until new input says otherwise. */
    static Verdict inForce(String problem) {
      return new Verdict(problem, Long.MAX_VALUE);
    }

    /** In force until {@code nextChangeNanos} at the latest (a window that ends). */
    static Verdict inForceUntil(String problem, long nextChangeNanos) {
      return new Verdict(problem, nextChangeNanos);
    }

    /** Not in force; without new input it comes into force at {@code nextChangeNanos}. */
    static Verdict clearUntil(long nextChangeNanos) {
      return new Verdict(null, nextChangeNanos);
    }
  }
}
