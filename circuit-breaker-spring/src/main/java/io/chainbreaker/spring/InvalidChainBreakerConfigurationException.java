package io.chainbreaker.spring;

/** A {@code chain-breaker.*} property has a value the engine rejects; the message names the key. */
public class InvalidChainBreakerConfigurationException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String problem;

  /** The property {@code key} is invalid for the reason {@code problem}. */
  public InvalidChainBreakerConfigurationException(String key, String problem) {
    super("Invalid Chain Breaker configuration: " + key + ": " + problem);
    this.key = key;
    this.problem = problem;
  }

  /** The property key, e.g. {@code chain-breaker.networks.klaytn.halt-after}. */
  public String key() {
    return key;
  }

  /**
   * What is wrong with it, e.g. {@code haltAfter of network klaytn must be positive but was PT-1S}.
   */
  public String problem() {
    return problem;
  }
}
