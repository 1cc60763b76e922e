package io.chainbreaker;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a provider bills for each JSON-RPC method, in its own unit, and optionally how much a day
 * the exchange means to spend there: the engine counts every call it sends, weighs it by the plan
 * of the endpoint it went to, and reports the cost and its projection per day (in {@link
 * EndpointStatus}, the {@code chainbreaker.rpc.cost} counter, the actuator endpoint and the
 * console).
 *
 * <p>Presets (weights as the providers published them in 2025–2026; check your own plan, they
 * change): {@link #REQUESTS} counts calls (the default); {@link #ALCHEMY} compute units ({@code
 * eth_blockNumber}, {@code eth_chainId} and {@code eth_syncing} 10, {@code eth_getBlockByNumber}
 * 20, {@code eth_getBlockByHash} 20); {@link #QUICKNODE} API credits (20 a call; some chains bill a
 * multiple: {@link #scaledBy}); {@link #INFURA} credits ({@code eth_blockNumber}, {@code
 * eth_getBlockByNumber}, {@code eth_getBlockByHash} 80, {@code eth_chainId} and {@code eth_syncing}
 * 5, anything else 80). A {@code klay_} method is weighed as its {@code eth_} namesake. Each call
 * of a JSON-RPC batch is billed as a call.
 *
 * <p>Immutable; {@link #withWeight}, {@link #withBudgetPerDay} and {@link #scaledBy} return a copy.
 */
public final class RpcPlan {

  /** One unit a call, whatever the method: {@code requests}. */
  public static final RpcPlan REQUESTS = new RpcPlan("requests", "requests", Map.of(), 1, null);

  /** Alchemy-style compute units. */
  public static final RpcPlan ALCHEMY =
      new RpcPlan(
          "alchemy",
          "CU",
          Map.of(
              "eth_blockNumber", 10.0,
              "eth_chainId", 10.0,
              "eth_syncing", 10.0,
              "eth_getBlockByNumber", 20.0,
              "eth_getBlockByHash", 20.0),
          20,
          null);

  /** QuickNode-style API credits: 20 a call. */
  public static final RpcPlan QUICKNODE = new RpcPlan("quicknode", "credits", Map.of(), 20, null);

  /** Infura-style credits. */
  public static final RpcPlan INFURA =
      new RpcPlan(
          "infura",
          "credits",
          Map.of(
              "eth_blockNumber", 80.0,
              "eth_getBlockByNumber", 80.0,
              "eth_getBlockByHash", 80.0,
              "eth_chainId", 5.0,
              "eth_syncing", 5.0),
          80,
          null);

  private final String name;
  private final String unit;
  private final Map<String, Double> weights;
  private final double defaultWeight;
  private final @Nullable Double budgetPerDay;

  private RpcPlan(
      String name,
      String unit,
      Map<String, Double> weights,
      double defaultWeight,
      @Nullable Double budgetPerDay) {
    this.name = name;
    this.unit = unit;
    this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    this.defaultWeight = defaultWeight;
    this.budgetPerDay = budgetPerDay;
  }

  /**
   * A plan of your own: {@code defaultWeight} units a call of any method not given a weight.
   *
   * @param name the provider, as reports name it (e.g. {@code alchemy-growth})
   * @param unit what the provider bills in (e.g. {@code CU})
   */
  public static RpcPlan of(String name, String unit, double defaultWeight) {
    return new RpcPlan(
        text("name", name), text("unit", unit), Map.of(), weight("*", defaultWeight), null);
  }

  /**
   * The preset named {@code name} ({@code requests}, {@code alchemy}, {@code quicknode}, {@code
   * infura}), ignoring case.
   */
  public static RpcPlan named(String name) {
    String key = String.valueOf(name).trim().toLowerCase(Locale.ROOT);
    for (RpcPlan p : new RpcPlan[] {REQUESTS, ALCHEMY, QUICKNODE, INFURA}) {
      if (p.name.equals(key)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown RPC plan '"
            + SafeText.escape(name)
            + "'; plans: requests, alchemy, quicknode, infura");
  }

  /** A copy that bills {@code method} at {@code units} a call. */
  public RpcPlan withWeight(String method, double units) {
    Map<String, Double> w = new LinkedHashMap<>(weights);
    w.put(text("method", method), weight(method, units));
    return new RpcPlan(name, unit, w, defaultWeight, budgetPerDay);
  }

  /** A copy under another provider name (e.g. to tell two accounts of one provider apart). */
  public RpcPlan named(String provider, String unit) {
    return new RpcPlan(
        text("name", provider), text("unit", unit), weights, defaultWeight, budgetPerDay);
  }

  /** A copy with every weight multiplied by {@code factor} (a chain billed at a multiple). */
  public RpcPlan scaledBy(double factor) {
    weight("factor", factor);
    Map<String, Double> w = new LinkedHashMap<>();
    weights.forEach((m, v) -> w.put(m, v * factor));
    return new RpcPlan(name, unit, w, defaultWeight * factor, budgetPerDay);
  }

  /**
   * A copy with a budget: when the projected cost per day of every endpoint on this provider passes
   * it, auxiliary checks (syncing, chain id, finality) slow down, never the polls the halt bound
   * needs, and one warning per network says what was slowed.
   */
  public RpcPlan withBudgetPerDay(double units) {
    if (!(units > 0) || Double.isInfinite(units)) {
      throw new IllegalArgumentException(
          "budgetPerDay of RPC plan " + name + " must be positive but was " + units);
    }
    return new RpcPlan(name, unit, weights, defaultWeight, units);
  }

  /** The provider's name, as reports and the budget group endpoints by. */
  public String name() {
    return name;
  }

  /** The unit it bills in. */
  public String unit() {
    return unit;
  }

  /** The units one call of {@code method} costs. */
  public double weight(String method) {
    Double w = weights.get(method);
    if (w == null && method.startsWith("klay_")) {
      w = weights.get("eth_" + method.substring(5));
    }
    return w != null ? w : defaultWeight;
  }

  /** The weights set per method (others cost {@link #defaultWeight()}). */
  public Map<String, Double> weights() {
    return weights;
  }

  /** What a call of a method without its own weight costs. */
  public double defaultWeight() {
    return defaultWeight;
  }

  /** The budget per day in {@link #unit()}, or null if none. */
  public @Nullable Double budgetPerDay() {
    return budgetPerDay;
  }

  private static String text(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException("the " + what + " of an RPC plan must not be blank");
    }
    return value;
  }

  private static double weight(String method, double units) {
    if (!(units >= 0) || Double.isInfinite(units)) {
      throw new IllegalArgumentException(
          "the weight of " + method + " must be zero or more but was " + units);
    }
    return units;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RpcPlan p
        && name.equals(p.name)
        && unit.equals(p.unit)
        && weights.equals(p.weights)
        && Double.compare(defaultWeight, p.defaultWeight) == 0
        && Objects.equals(budgetPerDay, p.budgetPerDay);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, unit, weights, defaultWeight, budgetPerDay);
  }

  @Override
  public String toString() {
    return "RpcPlan{"
        + name
        + ", "
        + unit
        + (budgetPerDay == null ? "" : ", budget " + budgetPerDay + "/day")
        + "}";
  }
}
