package io.chainbreaker.spring;

import io.chainbreaker.ChainBreaker;

/**
 * Customizes the engine's builder after the properties were applied, e.g. to set a clock or a
 * {@code HeadSource.Factory}. Every bean of this type is applied, in order.
 */
@FunctionalInterface
public interface ChainBreakerCustomizer {

  /** Changes the builder. */
  void customize(ChainBreaker.Builder builder);
}
