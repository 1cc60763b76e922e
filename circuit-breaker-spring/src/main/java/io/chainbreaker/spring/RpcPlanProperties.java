package io.chainbreaker.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Binds one provider plan under {@code chain-breaker.rpc-plans.<name>}: what each JSON-RPC method
 * costs there, in its unit.
 */
public class RpcPlanProperties {

  /** The preset it starts from: requests, alchemy, quicknode or infura. Default requests. */
  private @Nullable String preset;

  /** The unit the provider bills in, e.g. CU or credits. Default the preset's. */
  private @Nullable String unit;

  /** What a call of a method without its own weight costs. Default the preset's. */
  private @Nullable Double defaultWeight;

  /** What one call of each method costs, e.g. eth_getBlockByNumber: 20. */
  private Map<String, Double> weights = new LinkedHashMap<>();

  /**
   * The budget per day over every endpoint on this plan: above it, auxiliary checks slow down
   * (never the polls the halt bound needs) and a warning says which network. Default none.
   */
  private @Nullable Double budgetPerDay;

  public @Nullable String getPreset() {
    return preset;
  }

  public void setPreset(@Nullable String preset) {
    this.preset = preset;
  }

  public @Nullable String getUnit() {
    return unit;
  }

  public void setUnit(@Nullable String unit) {
    this.unit = unit;
  }

  public @Nullable Double getDefaultWeight() {
    return defaultWeight;
  }

  public void setDefaultWeight(@Nullable Double defaultWeight) {
    this.defaultWeight = defaultWeight;
  }

  public Map<String, Double> getWeights() {
    return weights;
  }

  public void setWeights(Map<String, Double> weights) {
    this.weights = weights;
  }

  public @Nullable Double getBudgetPerDay() {
    return budgetPerDay;
  }

  public void setBudgetPerDay(@Nullable Double budgetPerDay) {
    this.budgetPerDay = budgetPerDay;
  }
}
