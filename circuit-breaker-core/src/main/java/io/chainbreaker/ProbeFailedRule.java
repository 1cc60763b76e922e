package io.chainbreaker;

import java.util.Set;

/** {@link Reason#PROBE_FAILED}: the {@link LivenessProbe} last said not live, or threw. */
final class ProbeFailedRule implements HaltRule {

  @Override
  public Reason reason() {
    return Reason.PROBE_FAILED;
  }

  @Override
  public String description() {
    return "On an on-demand network, the user's `LivenessProbe` (e.g. \"was my probe "
        + "transaction included in time?\") answered false or threw.";
  }

  @Override
  public Set<Direction> suspendsByDefault() {
    return BOTH;
  }

  @Override
  public NetworkHealth health() {
    return NetworkHealth.HALTED;
  }

  @Override
  public Verdict judge(NetworkView v) {
    String failure = v.probeFailure();
    return failure == null ? Verdict.CLEAR : Verdict.inForce(failure);
  }
}
