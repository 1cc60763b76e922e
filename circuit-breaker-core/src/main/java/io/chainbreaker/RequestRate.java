package io.chainbreaker;

import io.chainbreaker.chain.HeadSource;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The request rate and cost figures of one endpoint: requests per minute, units spent by method in
 * its plan's unit, and the projected cost per day, recomputed from its source's call counters on
 * the monitor thread and read from any thread.
 */
final class RequestRate {

  private final HeadSource source;
  private final RpcPlan plan;

  RequestRate(HeadSource source, RpcPlan plan) {
    this.source = source;
    this.plan = plan;
  }

  /** Requests per minute over the last full minute, or since start before that. */
  double requestsPerMinute() {
    return requestsPerMinute;
  }

  /** Units spent so far by method, in the plan's unit. */
  Map<String, Double> costByMethod() {
    return costByMethod;
  }

  private volatile Map<String, Double> costByMethod = Map.of();
  private volatile double costPerDay;
  private double rateFromCost;
  private long costAtNanos = Long.MIN_VALUE;

  /** What it has cost so far, in its plan's unit, recomputed from the source's calls. */
  private double cost() {
    Map<String, Long> calls = source.callsByMethod();
    if (calls.isEmpty()) {
      calls = Map.of("request", source.requestCount());
    }
    Map<String, Double> byMethod = new TreeMap<>();
    double sum = 0;
    for (Map.Entry<String, Long> c : calls.entrySet()) {
      double units = c.getValue() * plan.weight(c.getKey());
      byMethod.put(c.getKey(), units);
      sum += units;
    }
    costByMethod = Collections.unmodifiableMap(byMethod);
    return sum;
  }

  /** Its projected cost per day in its plan's unit, over the same window as its request rate. */
  double costPerDay() {
    return costPerDay;
  }

  private long rateFromNanos = Long.MIN_VALUE;
  private long rateFromCount;
  private boolean rateFull;
  private volatile double requestsPerMinute;

  /**
   * Updates the figures (monitor thread): over each full minute once one has passed, over the time
   * since start before that.
   */
  void count(long now) {
    long count = source.requestCount();
    if (rateFromNanos == Long.MIN_VALUE) {
      rateFromNanos = now;
      rateFromCount = count;
      rateFromCost = cost();
      costAtNanos = now;
      return;
    }
    long elapsed = now - rateFromNanos;
    if (elapsed >= 60_000_000_000L) {
      double cost = cost();
      costAtNanos = now;
      requestsPerMinute = (count - rateFromCount) * 60e9 / elapsed;
      costPerDay = (cost - rateFromCost) * 86_400e9 / elapsed;
      rateFromNanos = now;
      rateFromCount = count;
      rateFromCost = cost;
      rateFull = true;
    } else if (!rateFull && elapsed >= 1_000_000_000L) {
      requestsPerMinute = (count - rateFromCount) * 60e9 / elapsed;
      if (now - costAtNanos >= 1_000_000_000L) {
        costPerDay = (cost() - rateFromCost) * 86_400e9 / elapsed;
        costAtNanos = now;
      }
    } else if (now - costAtNanos >= 10_000_000_000L) {
      // The counters by method stay fresh between two rates.
      cost();
      costAtNanos = now;
    }
  }
}
