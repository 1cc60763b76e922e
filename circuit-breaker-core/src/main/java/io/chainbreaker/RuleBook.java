package io.chainbreaker;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges one network's view by every {@link HaltRule}, strongest first: which reasons are in force
 * (with their sentences), the strongest of them, and when the earliest answer can next change
 * without new input. Knows no rule by name; runs on the monitor thread.
 */
final class RuleBook {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  private final List<HaltRule> rules;
  private Map<Reason, String> problems = new EnumMap<>(Reason.class);
  private @Nullable HaltRule strongest;
  private long nextChangeNanos = Long.MAX_VALUE;
  private boolean blocksInterrupted;

  /** A book of {@code rules}, strongest first ({@link HaltRule#ALL}). */
  RuleBook(List<HaltRule> rules) {
    this.rules = rules;
  }

  /**
   * Judges {@code state} now; a rule that stops being in force logs its end note and tells the
   * state, whose evidence for it is then spent.
   */
  void judge(NetworkState state) {
    Map<Reason, String> found = new EnumMap<>(Reason.class);
    HaltRule first = null;
    long next = Long.MAX_VALUE;
    boolean interrupted = false;
    for (HaltRule rule : rules) {
      HaltRule.Verdict v = rule.judge(state);
      String problem = v.problem();
      if (problem != null) {
        found.put(rule.reason(), problem);
        if (first == null) {
          first = rule;
        }
        interrupted |= rule.interruptsBlocks();
      } else if (problems.containsKey(rule.reason())) {
        String note = rule.endNote(state);
        if (note != null) {
          log.warn("network {}: {}", state.config().name(), note);
        }
        state.ended(rule.reason());
      }
      next = Math.min(next, v.nextChangeNanos());
    }
    problems = found;
    strongest = first;
    nextChangeNanos = next;
    blocksInterrupted = interrupted;
  }

  /** Every reason in force at the last judgement, with its sentence; a new map each time. */
  Map<Reason, String> problems() {
    return problems;
  }

  /** The strongest rule in force at the last judgement, or null. */
  @Nullable HaltRule strongest() {
    return strongest;
  }

  /** The sentence of {@link #strongest}'s reason. */
  String detail(HaltRule rule) {
    String d = problems.get(rule.reason());
    return d == null ? "" : d;
  }

  /** When the earliest rule can next change its answer without new input, or Long.MAX_VALUE. */
  long nextChangeNanos() {
    return nextChangeNanos;
  }

  /** Whether a rule in force at the last judgement interrupts block production. */
  boolean blocksInterrupted() {
    return blocksInterrupted;
  }
}
