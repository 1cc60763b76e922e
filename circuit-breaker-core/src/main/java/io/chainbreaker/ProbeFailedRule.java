package io.chainbreaker;

/** {@link Reason#PROBE_FAILED}: the {@link LivenessProbe} last said not live, or threw. */
final class ProbeFailedRule implements HaltRule {

  @Override
  public Reason reason() {
    return Reason.PROBE_FAILED;
  }

  @Override
  public Verdict judge(NetworkView v) {
    String failure = v.probeFailure();
    return failure == null ? Verdict.CLEAR : Verdict.inForce(failure);
  }
}
