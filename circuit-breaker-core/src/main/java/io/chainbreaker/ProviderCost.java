package io.chainbreaker;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the breaker is projected to spend a day at one provider (the name of an {@link RpcPlan}),
 * over every endpoint of every network on it.
 *
 * @param provider the plan's name
 * @param unit what the provider bills in
 * @param endpoints how many endpoints are on it
 * @param costPerDay the sum of its endpoints' projections per day, in {@code unit}
 * @param budgetPerDay the plan's budget per day, or null if it has none
 */
public record ProviderCost(
    String provider, String unit, int endpoints, double costPerDay, @Nullable Double budgetPerDay) {

  /** Whether a budget is set and the projection is over it. */
  public boolean overBudget() {
    return budgetPerDay != null && costPerDay > budgetPerDay;
  }

  /** The providers of {@code networks}' endpoints, by name. */
  static List<ProviderCost> of(List<NetworkStatus> networks) {
    Map<String, ProviderCost> sum = new TreeMap<>();
    for (NetworkStatus n : networks) {
      for (EndpointStatus e : n.endpoints()) {
        sum.merge(
            e.provider(),
            new ProviderCost(e.provider(), e.costUnit(), 1, e.costPerDay(), e.budgetPerDay()),
            (a, b) ->
                new ProviderCost(
                    a.provider(),
                    a.unit(),
                    a.endpoints() + 1,
                    a.costPerDay() + b.costPerDay(),
                    a.budgetPerDay()));
      }
    }
    return List.copyOf(sum.values());
  }
}
