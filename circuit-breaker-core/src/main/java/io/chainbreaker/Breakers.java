package io.chainbreaker;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Makes each listed token's two direction breakers, each mirrored by a Resilience4j breaker named
 * {@code SYMBOL@network.direction}, and removes the mirrors of a token that leaves.
 */
final class Breakers {

  private final CircuitBreakerRegistry registry;
  private final CircuitBreakerConfig mirror = mirrorConfig();
  private final Consumer<TokenTransition> journal;

  Breakers(CircuitBreakerRegistry registry, Consumer<TokenTransition> journal) {
    this.registry = registry;
    this.journal = journal;
  }

  /** The entry of {@code t} on {@code monitor}'s network, its breakers new at {@code now}. */
  TokenEntry newEntry(TokenConfig t, NetworkMonitor monitor, Instant now) {
    NetworkConfig n = monitor.config;
    return new TokenEntry(
        t,
        monitor,
        breaker(t, Direction.DEPOSIT, n, now),
        breaker(t, Direction.WITHDRAWAL, n, now));
  }

  /** Removes the Resilience4j mirror of {@code t} in {@code d}. */
  void remove(TokenConfig t, Direction d) {
    registry.remove(name(t, d));
  }

  private DirectionBreaker breaker(TokenConfig t, Direction d, NetworkConfig n, Instant now) {
    return new DirectionBreaker(
        t, d, TokenEntry.rule(t, d, n), registry.circuitBreaker(name(t, d), mirror), now, journal);
  }

  private static String name(TokenConfig t, Direction d) {
    return t.tokenId() + "." + d.name().toLowerCase(Locale.ROOT);
  }

  /**
   * A Resilience4j breaker that never trips on its own: no exception is recorded as a failure and
   * no call counts as slow, so only the engine opens and closes it.
   */
  private static CircuitBreakerConfig mirrorConfig() {
    return CircuitBreakerConfig.custom()
        .recordException(e -> false)
        .slowCallRateThreshold(100)
        .slowCallDurationThreshold(Duration.ofDays(365))
        .writableStackTraceEnabled(false)
        .build();
  }
}
