package io.chainbreaker;

import java.util.Set;

/**
 * {@link Reason#UNREACHABLE}: no endpoint answered since start, or none for {@code
 * unreachableAfter}.
 */
final class UnreachableRule implements HaltRule {

  @Override
  public Reason reason() {
    return Reason.UNREACHABLE;
  }

  @Override
  public String description() {
    return "No endpoint on the right chain answered for `unreachableAfter`. Stronger than "
        + "`HALTED`: when our view is gone, we say so rather than blame the chain.";
  }

  @Override
  public Set<Direction> suspendsByDefault() {
    return BOTH;
  }

  @Override
  public NetworkHealth health() {
    return NetworkHealth.UNREACHABLE;
  }

  @Override
  public boolean interruptsBlocks() {
    return true;
  }

  @Override
  public Verdict judge(NetworkView v) {
    NetworkConfig c = v.config();
    long after = c.unreachableAfter().toNanos();
    if (v.head() == null) {
      if (v.now() - v.startNanos() >= after) {
        return Verdict.inForce(
            "no endpoint on "
                + c.identityText()
                + " answered since start ("
                + c.unreachableAfter()
                + ")");
      }
      return Verdict.clearUntil(v.startNanos() + after);
    }
    long last = v.lastAnswerNanos();
    if (last == Long.MIN_VALUE || v.now() - last >= after) {
      return Verdict.inForce(
          "no endpoint on " + c.identityText() + " answered for " + c.unreachableAfter());
    }
    return Verdict.clearUntil(last + after);
  }
}
