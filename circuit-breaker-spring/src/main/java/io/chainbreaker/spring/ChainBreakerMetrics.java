package io.chainbreaker.spring;

import io.chainbreaker.BreakerState;
import io.chainbreaker.Catalog;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.EndpointStatus;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.NetworkHealth;
import io.chainbreaker.NetworkStatus;
import io.chainbreaker.TokenConfig;
import io.chainbreaker.TokenHandle;
import io.chainbreaker.TokenId;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters; names and tags are listed in the README. Durations are gauges in seconds with
 * the base unit {@code seconds}, so Prometheus names them {@code ..._seconds}.
 *
 * <ul>
 *   <li>{@code chainbreaker.token.state} (symbol, network, direction, state): 1 for the current
 *       state; registered for a token listed at run time and removed with a token delisted;
 *   <li>{@code chainbreaker.transitions} (network, direction, state, reason): counter;
 *   <li>{@code chainbreaker.network.health} (network, health): 1 for the current health;
 *   <li>{@code chainbreaker.network.head} (network): network head number;
 *   <li>{@code chainbreaker.network.head.age} (network): seconds since the head last advanced;
 *   <li>{@code chainbreaker.endpoint.head} (network, endpoint): the endpoint's head number;
 *   <li>{@code chainbreaker.endpoint.head.age} (network, endpoint): seconds since it advanced;
 *   <li>{@code chainbreaker.endpoint.answer.age} (network, endpoint): seconds since its last
 *       answer;
 *   <li>{@code chainbreaker.endpoint.requests} (network, endpoint): requests sent, a counter (its
 *       rate is what the provider bills);
 *   <li>{@code chainbreaker.network.clock.offset} (network): seconds this host's clock runs ahead
 *       of the chain's block times;
 *   <li>{@code chainbreaker.rpc.cost} (network, endpoint, method, unit, provider): what the calls
 *       of one method to one endpoint have cost, in the provider's unit ({@link
 *       io.chainbreaker.RpcPlan}), a counter: each method the endpoint's family calls, {@code
 *       other} for the rest;
 *   <li>{@code chainbreaker.rpc.cost.projected} (network, endpoint, unit, provider): the endpoint's
 *       projected cost per day, a gauge.
 * </ul>
 */
public class ChainBreakerMetrics implements MeterBinder {

  private final ChainBreaker breaker;
  private final Clock clock;

  /** The token meters registered, by symbol@network; guarded by this. */
  private final Map<TokenId, List<Meter>> tokenMeters = new HashMap<>();

  private @Nullable MeterRegistry registry;
  private @Nullable Catalog registered;

  /** The network meters registered, by name and endpoint URLs; guarded by this. */
  private final Map<String, List<Meter>> networkMeters = new HashMap<>();

  /** Meters of {@code breaker}; ages measured on {@code clock}. */
  public ChainBreakerMetrics(ChainBreaker breaker, Clock clock) {
    this.breaker = breaker;
    this.clock = clock;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    synchronized (this) {
      this.registry = registry;
    }
    catalogChanged();
    breaker
        .events()
        .onTokenTransition(
            t -> {
              registry
                  .counter(
                      "chainbreaker.transitions",
                      "network",
                      t.network(),
                      "direction",
                      lower(t.direction()),
                      "state",
                      lower(t.to()),
                      "reason",
                      lower(t.reason()))
                  .increment();
            })
        // Listings and delistings, by code, the actuator or a catalog source: meters follow.
        .onCatalogChange(c -> catalogChanged());
  }

  /**
   * Registers the meters of tokens listed since the last call and removes those of tokens delisted;
   * cheap when the catalog has not changed. Called on every transition and by the actuator's
   * catalog operations.
   */
  @SuppressWarnings("ReferenceEquality") // the engine swaps a new Catalog on each change
  public synchronized void catalogChanged() {
    MeterRegistry r = registry;
    Catalog now = breaker.catalog();
    if (r == null || now == registered) {
      return;
    }
    Set<TokenId> listed = new HashSet<>();
    for (TokenConfig t : now.tokens()) {
      TokenId key = t.tokenId();
      listed.add(key);
      if (!tokenMeters.containsKey(key)) {
        tokenMeters.put(key, register(r, t));
      }
    }
    removeAllBut(r, tokenMeters, listed);
    // A network added, removed or with its endpoints rotated: its meters are built again.
    Set<String> networks = new HashSet<>();
    for (NetworkConfig n : now.networks()) {
      String key =
          n.name()
              + " "
              + breaker.network(n.name()).endpoints().stream()
                  .map(e -> e.url() + " " + e.provider() + " " + e.costUnit())
                  .toList();
      networks.add(key);
      if (!networkMeters.containsKey(key)) {
        List<Meter> meters = registerNetwork(r, n.name());
        meters.addAll(registerCost(r, n));
        networkMeters.put(key, meters);
      }
    }
    removeAllBut(r, networkMeters, networks);
    registered = now;
  }

  private static <K> void removeAllBut(MeterRegistry r, Map<K, List<Meter>> meters, Set<K> keep) {
    for (Iterator<Map.Entry<K, List<Meter>>> it = meters.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<K, List<Meter>> e = it.next();
      if (!keep.contains(e.getKey())) {
        e.getValue().forEach(r::remove);
        it.remove();
      }
    }
  }

  private List<Meter> registerNetwork(MeterRegistry registry, String name) {
    List<Meter> meters = new ArrayList<>();
    for (NetworkHealth health : NetworkHealth.values()) {
      meters.add(
          networkGauge(
              registry,
              "chainbreaker.network.health",
              name,
              s -> s.health() == health ? 1 : 0,
              "1 if the network is in this health",
              Tags.of("health", lower(health))));
    }
    meters.add(
        networkGauge(
            registry,
            "chainbreaker.network.head",
            name,
            s -> s.head() == null ? Double.NaN : s.head().number(),
            "the network head number",
            Tags.empty()));
    meters.add(
        networkGauge(
            registry,
            "chainbreaker.network.head.age",
            name,
            s -> age(s.headAdvancedAt()),
            "seconds since the network head last advanced",
            Tags.empty(),
            "seconds"));
    meters.add(
        networkGauge(
            registry,
            "chainbreaker.network.clock.offset",
            name,
            s -> s.clockOffset() == null ? Double.NaN : s.clockOffset().toMillis() / 1000.0,
            "seconds this host's clock runs ahead of the chain's block times",
            Tags.empty(),
            "seconds"));
    for (EndpointStatus endpoint : breaker.network(name).endpoints()) {
      String url = endpoint.url();
      Tags tags = Tags.of("network", name, "endpoint", url);
      meters.add(
          Gauge.builder(
                  "chainbreaker.endpoint.head",
                  breaker,
                  b -> endpointValue(b, name, url, e -> e.head() == null ? Double.NaN : e.head()))
              .tags(tags)
              .description("the endpoint's latest block number")
              .register(registry));
      meters.add(
          Gauge.builder(
                  "chainbreaker.endpoint.head.age",
                  breaker,
                  b -> endpointValue(b, name, url, e -> age(e.headAdvancedAt())))
              .tags(tags)
              .baseUnit("seconds")
              .description("seconds since the endpoint's head last advanced")
              .register(registry));
      meters.add(
          Gauge.builder(
                  "chainbreaker.endpoint.answer.age",
                  breaker,
                  b -> endpointValue(b, name, url, e -> age(e.lastAnswerAt())))
              .tags(tags)
              .baseUnit("seconds")
              .description("seconds since the endpoint last answered")
              .register(registry));
      meters.add(
          FunctionCounter.builder(
                  "chainbreaker.endpoint.requests",
                  breaker,
                  b -> endpointValue(b, name, url, e -> e.requests()))
              .tags(tags)
              .baseUnit("requests")
              .description("requests sent to the endpoint (a batch counts once)")
              .register(registry));
    }
    return meters;
  }

  /** The methods (or paths) the built-in head source of each family calls. */
  private static List<String> methods(NetworkConfig n) {
    return switch (n.protocol()) {
      case EVM ->
          n.namespace() == io.chainbreaker.RpcNamespace.KLAY
              ? List.of(
                  "klay_blockNumber",
                  "klay_chainID",
                  "klay_syncing",
                  "klay_getBlockByNumber",
                  "klay_getBlockByHash")
              : List.of(
                  "eth_blockNumber",
                  "eth_chainId",
                  "eth_syncing",
                  "eth_getBlockByNumber",
                  "eth_getBlockByHash");
      case BITCOIN ->
          List.of(
              "getbestblockhash",
              "getblockcount",
              "getblockhash",
              "getblockchaininfo",
              "getblockheader");
      case COMETBFT -> List.of("/block", "/status", "/block?height", "/block_by_hash");
      case SOLANA -> List.of("getSlot", "getBlockTime", "getGenesisHash", "getHealth");
      case TRON -> List.of("/wallet/getnowblock", "/wallet/getblockbynum", "/wallet/getblockbyid");
      case APTOS -> List.of("/v1");
      case SUI ->
          List.of(
              "sui_getLatestCheckpointSequenceNumber",
              "sui_getChainIdentifier",
              "sui_getCheckpoint");
      // The newer families' calls are all counted under "other" until listed here.
      default -> List.of();
    };
  }

  /**
   * {@code chainbreaker.rpc.cost} per endpoint and method (the family's methods, then {@code
   * other}, which also holds what a source that does not count by method sent), and the projection
   * per day.
   */
  private List<Meter> registerCost(MeterRegistry registry, NetworkConfig n) {
    List<Meter> meters = new ArrayList<>();
    String name = n.name();
    List<String> known = methods(n);
    for (EndpointStatus endpoint : breaker.network(name).endpoints()) {
      String url = endpoint.url();
      Tags tags =
          Tags.of(
              "network",
              name,
              "endpoint",
              url,
              "unit",
              endpoint.costUnit(),
              "provider",
              endpoint.provider());
      for (String method : known) {
        meters.add(
            FunctionCounter.builder(
                    "chainbreaker.rpc.cost",
                    breaker,
                    b ->
                        endpointValue(
                            b, name, url, e -> e.costByMethod().getOrDefault(method, 0.0)))
                .tags(tags.and("method", method))
                .baseUnit(endpoint.costUnit())
                .description("what the calls of this method cost, in the provider's unit")
                .register(registry));
      }
      meters.add(
          FunctionCounter.builder(
                  "chainbreaker.rpc.cost",
                  breaker,
                  b ->
                      endpointValue(
                          b,
                          name,
                          url,
                          e -> {
                            double other = 0;
                            for (Map.Entry<String, Double> c : e.costByMethod().entrySet()) {
                              if (!known.contains(c.getKey())) {
                                other += c.getValue();
                              }
                            }
                            return other;
                          }))
              .tags(tags.and("method", "other"))
              .baseUnit(endpoint.costUnit())
              .description("what the calls of this method cost, in the provider's unit")
              .register(registry));
      meters.add(
          Gauge.builder(
                  "chainbreaker.rpc.cost.projected",
                  breaker,
                  b -> endpointValue(b, name, url, EndpointStatus::costPerDay))
              .tags(tags)
              .description("the endpoint's projected cost per day, in the provider's unit")
              .register(registry));
    }
    return meters;
  }

  private List<Meter> register(MeterRegistry registry, TokenConfig t) {
    // A handle of a token delisted later answers DELISTED until its meters are removed.
    TokenHandle handle = breaker.token(t.symbol(), t.network());
    List<Meter> meters = new ArrayList<>();
    for (Direction d : Direction.values()) {
      for (BreakerState state : BreakerState.values()) {
        meters.add(
            Gauge.builder(
                    "chainbreaker.token.state",
                    handle,
                    h -> h.status().status(d).state() == state ? 1 : 0)
                .tags(
                    Tags.of(
                        "symbol",
                        t.symbol(),
                        "network",
                        t.network(),
                        "direction",
                        lower(d),
                        "state",
                        lower(state)))
                .description("1 if the token is in this state in this direction")
                .register(registry));
      }
    }
    return meters;
  }

  private Meter networkGauge(
      MeterRegistry registry,
      String meter,
      String network,
      ToDoubleFunction<NetworkStatus> value,
      String description,
      Tags extra) {
    return networkGauge(registry, meter, network, value, description, extra, null);
  }

  private Meter networkGauge(
      MeterRegistry registry,
      String meter,
      String network,
      ToDoubleFunction<NetworkStatus> value,
      String description,
      Tags extra,
      @Nullable String baseUnit) {
    return Gauge.builder(
            meter,
            breaker,
            b -> {
              NetworkStatus s = statusOf(b, network);
              return s == null ? Double.NaN : value.applyAsDouble(s);
            })
        .tags(Tags.of("network", network).and(extra))
        .description(description)
        .baseUnit(baseUnit)
        .register(registry);
  }

  /** The network's status, or null once a catalog change removed it (before its meters go). */
  private static @Nullable NetworkStatus statusOf(ChainBreaker b, String network) {
    try {
      return b.network(network);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static double endpointValue(
      ChainBreaker b, String network, String url, ToDoubleFunction<EndpointStatus> value) {
    NetworkStatus s = statusOf(b, network);
    if (s != null) {
      for (EndpointStatus e : s.endpoints()) {
        if (e.url().equals(url)) {
          return value.applyAsDouble(e);
        }
      }
    }
    return Double.NaN;
  }

  private double age(@Nullable Instant at) {
    return at == null ? Double.NaN : Duration.between(at, clock.instant()).toMillis() / 1000.0;
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
