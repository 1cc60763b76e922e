package io.chainbreaker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a network's endpoints' projected cost to the {@link CostBook} and keeps each budgeted
 * provider within its budget (see {@link RpcPlan}): over it, this network's auxiliary checks on
 * that provider slow down (one warning says what), never the polls the halt bound needs; under 90 %
 * of it, they return to their cadence. Runs on the monitor thread.
 */
final class BudgetWatch {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  private final CostBook costs;
  private final Supplier<NetworkConfig> config;
  private final Supplier<List<EndpointTracker>> endpoints;
  private long checkedNanos = Long.MIN_VALUE;

  BudgetWatch(
      CostBook costs, Supplier<NetworkConfig> config, Supplier<List<EndpointTracker>> endpoints) {
    this.costs = costs;
    this.config = config;
    this.endpoints = endpoints;
  }

  private String key(EndpointTracker e) {
    return config.get().name() + " " + e.url().masked();
  }

  /** Forgets a closed endpoint's cost. */
  void forget(EndpointTracker e) {
    costs.forget(e.plan().name(), key(e));
  }

  /**
   * Reports the endpoint's projected cost; every 10 s, compares each budgeted provider's projection
   * over every network with its budget.
   */
  void check(EndpointTracker endpoint, long now) {
    costs.report(endpoint.plan().name(), key(endpoint), endpoint.costPerDay());
    if (checkedNanos != Long.MIN_VALUE && now - checkedNanos < 10_000_000_000L) {
      return;
    }
    checkedNanos = now;
    NetworkConfig c = config.get();
    Map<String, List<EndpointTracker>> byProvider = new TreeMap<>();
    for (EndpointTracker e : endpoints.get()) {
      if (e.plan().budgetPerDay() != null) {
        byProvider.computeIfAbsent(e.plan().name(), p -> new ArrayList<>()).add(e);
      }
    }
    for (Map.Entry<String, List<EndpointTracker>> entry : byProvider.entrySet()) {
      RpcPlan plan = entry.getValue().get(0).plan();
      double budget = Objects.requireNonNull(plan.budgetPerDay(), "grouped by budget");
      double projected = costs.projected(entry.getKey());
      boolean slowed = entry.getValue().get(0).auxiliarySlowed();
      if (!slowed && projected > budget) {
        entry.getValue().forEach(e -> e.slowAuxiliaryChecks(true));
        int k = EndpointTracker.BUDGET_SLOWDOWN;
        Duration finality = c.finalityCheckInterval();
        log.warn(
            "network {}: the projected cost at provider {} is {} {}/day, over its budget of {};"
                + " slowed on its {} endpoint(s) there: syncing checks from {} to {}, chain id"
                + " checks from {} to {}{}; the polls the halt bound needs are not slowed (a halt"
                + " is still caught by haltAfter {} + haltLateness {})",
            c.name(),
            entry.getKey(),
            Math.round(projected),
            plan.unit(),
            Math.round(budget),
            entry.getValue().size(),
            c.syncingCheckInterval(),
            c.syncingCheckInterval().multipliedBy(k),
            c.chainIdCheckInterval(),
            c.chainIdCheckInterval().multipliedBy(k),
            finality == null
                ? ""
                : ", finality checks from " + finality + " to " + finality.multipliedBy(k),
            c.haltAfter(),
            c.haltLateness());
      } else if (slowed && projected < 0.9 * budget) {
        entry.getValue().forEach(e -> e.slowAuxiliaryChecks(false));
        log.info(
            "network {}: the projected cost at provider {} is {} {}/day, under its budget of {}"
                + " again; auxiliary checks back to their cadence",
            c.name(),
            entry.getKey(),
            Math.round(projected),
            plan.unit(),
            Math.round(budget));
      }
    }
  }
}
