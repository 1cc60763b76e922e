package io.chainbreaker;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One automatic reason to suspend a network's tokens, all in one class: its verdict from the
 * network's view now (in force, and the sentence that says why), when that verdict can next change
 * without new input, which directions it suspends unless a network says otherwise, the network's
 * health while it is the strongest reason, and the line that describes it in docs/rules.md.
 *
 * <p>A rule is registered by its {@link Reason} constant, which names the rule's constructor and
 * its strength against the others; the monitor only loops over {@link #ALL}. Adding a signal is one
 * class here, one {@link Reason} constant and one test.
 */
interface HaltRule {

  /** Both directions. */
  Set<Direction> BOTH = Collections.unmodifiableSet(EnumSet.allOf(Direction.class));

  /** Deposits only. */
  Set<Direction> DEPOSITS = Collections.unmodifiableSet(EnumSet.of(Direction.DEPOSIT));

  /** Withdrawals only. */
  Set<Direction> WITHDRAWALS = Collections.unmodifiableSet(EnumSet.of(Direction.WITHDRAWAL));

  /** No direction: reported, suspending nothing. */
  Set<Direction> NONE = Set.of();

  /** Every rule the monitor applies, one per reason that names one, strongest first. */
  List<HaltRule> ALL = Reason.rules();

  /** The reason this rule reports; its {@link Reason} constant names this rule. */
  Reason reason();

  /** What this rule concludes from {@code view}; never changes {@code view}. */
  Verdict judge(NetworkView view);

  /**
   * When the rule is in force, in one sentence for the table of rules in docs/rules.md (Markdown,
   * settings in backquotes).
   */
  String description();

  /** Which directions this reason suspends unless a network's policy says otherwise. */
  Set<Direction> suspendsByDefault();

  /** The network's health while this is the strongest reason in force. */
  default NetworkHealth health() {
    return NetworkHealth.DEGRADED;
  }

  /**
   * Whether block production counts as interrupted while this rule is in force: slow blocks are
   * then measured anew from the next head, since the gap is its own incident, never slow
   * production.
   */
  default boolean interruptsBlocks() {
    return false;
  }

  /** The line to log (WARN) when this rule stops being in force, or null for none. */
  default @Nullable String endNote(NetworkView view) {
    return null;
  }

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
