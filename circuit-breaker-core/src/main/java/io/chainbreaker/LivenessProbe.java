package io.chainbreaker;

/**
 * Tells whether an on-demand network is live, for example by submitting a probe transaction and
 * reporting whether it was included in time. Runs on the engine's I/O pool every {@code
 * livenessInterval}; false or an exception suspends with {@link Reason#PROBE_FAILED}.
 */
@FunctionalInterface
public interface LivenessProbe {

  /** Whether {@code network} is live now. */
  boolean live(String network) throws Exception;
}
