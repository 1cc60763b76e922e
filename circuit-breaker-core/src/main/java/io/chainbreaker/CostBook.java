package io.chainbreaker;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The projected cost per day of every endpoint, by provider, across every network of one engine:
 * what a provider's budget ({@link RpcPlan#budgetPerDay()}) is compared with. Monitors report their
 * endpoints' projections as they update them; a closed endpoint is forgotten.
 */
final class CostBook {

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Double>> byProvider =
      new ConcurrentHashMap<>();

  /** The projection of one endpoint ({@code key}: network and masked URL). */
  void report(String provider, String key, double perDay) {
    byProvider.computeIfAbsent(provider, p -> new ConcurrentHashMap<>()).put(key, perDay);
  }

  /** Drops an endpoint that is no longer watched. */
  void forget(String provider, String key) {
    ConcurrentHashMap<String, Double> m = byProvider.get(provider);
    if (m != null) {
      m.remove(key);
    }
  }

  /** The projected cost per day of every endpoint on {@code provider}. */
  double projected(String provider) {
    ConcurrentHashMap<String, Double> m = byProvider.get(provider);
    if (m == null) {
      return 0;
    }
    double sum = 0;
    for (double v : m.values()) {
      sum += v;
    }
    return sum;
  }
}
