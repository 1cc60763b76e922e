package io.chainbreaker.spring;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.DirectionStatus;
import io.chainbreaker.StatusSnapshot;
import io.chainbreaker.TokenStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The public wallet status: per asset, each network it is listed on and whether deposits and
 * withdrawals are open there, in the whole shape of ccxt's currency structure (and its network
 * structure), which aggregators already parse; what the library does not know (names, fees,
 * precision, limits) is JSON {@code null}, never missing:
 *
 * <pre>{@code
 * {"PXL": {"id": "PXL", "code": "PXL", "name": null, "active": false, "deposit": false,
 *          "withdraw": false, "fee": null, "precision": null,
 *          "limits": {"withdraw": {"min": null, "max": null}, "deposit": {"min": null, "max": null}},
 *          "info": {"symbols": ["PXL"]},
 *          "networks": {"klaytn": {"id": "klaytn", "network": "klaytn", "name": null,
 *                                  "active": false, "deposit": false, "withdraw": false,
 *                                  "fee": null, "precision": null, "limits": {...},
 *                                  "info": {"token": "PXL", "contract": null,
 *                                           "deposit": {"state": "SUSPENDED", "reason": "HALTED",
 *                                                       "since": "2020-03-29T14:32:40Z"},
 *                                           "withdraw": {...}}}}}}
 * }</pre>
 *
 * <p>An asset is {@code deposit}/{@code withdraw} if any of its networks is; a network is {@code
 * active} if both directions are open, an asset if any network is (ccxt derives them the same way
 * from the networks). Reasons are codes ({@code HALTED}, {@code OPERATOR}...): who forced an
 * override and why never appear here. docs/wallet-status.md documents each field.
 *
 * <p>The document is built once and cached until the next token transition (or {@code maxAge},
 * should a notification be lost), so any number of readers cost one snapshot per transition.
 */
public final class WalletStatusDocument {

  /**
   * One asset, as ccxt's currency structure; {@code name}, {@code fee} and {@code precision} are
   * unknown to the library and always null.
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonPropertyOrder({
    "id",
    "code",
    "name",
    "active",
    "deposit",
    "withdraw",
    "fee",
    "precision",
    "limits",
    "info",
    "networks"
  })
  public record Currency(
      String id,
      String code,
      @Nullable String name,
      boolean active,
      boolean deposit,
      boolean withdraw,
      @Nullable BigDecimal fee,
      @Nullable BigDecimal precision,
      Limits limits,
      AssetInfo info,
      Map<String, Network> networks) {}

  /** What the asset groups: the symbols of its tokens, one per network, in configured order. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record AssetInfo(List<String> symbols) {}

  /**
   * One network of an asset, as ccxt's network structure; {@code info} holds why. {@code name},
   * {@code fee} and {@code precision} are unknown to the library and always null.
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonPropertyOrder({
    "id",
    "network",
    "name",
    "active",
    "deposit",
    "withdraw",
    "fee",
    "precision",
    "limits",
    "info"
  })
  public record Network(
      String id,
      String network,
      @Nullable String name,
      boolean active,
      boolean deposit,
      boolean withdraw,
      @Nullable BigDecimal fee,
      @Nullable BigDecimal precision,
      Limits limits,
      Info info) {}

  /** ccxt's funding limits: amounts a withdrawal or deposit must stay within; unknown here. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Limits(MinMax withdraw, MinMax deposit) {
    /** Both directions unknown. */
    public static final Limits UNKNOWN = new Limits(MinMax.UNKNOWN, MinMax.UNKNOWN);
  }

  /** A range; null where unknown. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record MinMax(@Nullable BigDecimal min, @Nullable BigDecimal max) {
    /** Neither bound known. */
    public static final MinMax UNKNOWN = new MinMax(null, null);
  }

  /** The token behind a network entry and the state of each direction. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Info(String token, @Nullable String contract, Side deposit, Side withdraw) {}

  /** One direction: its state, the reason code and since when (ISO-8601). */
  public record Side(String state, String reason, String since) {
    static Side of(DirectionStatus s) {
      return new Side(s.state().name(), s.reason().name(), s.since().toString());
    }
  }

  private static final String KEY = "document";

  private final Supplier<StatusSnapshot> snapshots;
  private final Map<String, String> assetCodes;
  private final Cache<String, Map<String, Currency>> cache;

  /**
   * A document over {@code breaker}, refreshed at each of its token transitions and at least every
   * {@code maxAge}; {@code assetCodes} maps a token symbol to its asset code where they differ.
   */
  public WalletStatusDocument(
      ChainBreaker breaker, Map<String, String> assetCodes, Duration maxAge) {
    this(breaker::snapshot, assetCodes, maxAge, Ticker.systemTicker());
    breaker.events().onTokenTransition(t -> invalidate());
  }

  WalletStatusDocument(
      Supplier<StatusSnapshot> snapshots,
      Map<String, String> assetCodes,
      Duration maxAge,
      Ticker ticker) {
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive but was " + maxAge);
    }
    this.snapshots = snapshots;
    this.assetCodes = Map.copyOf(assetCodes);
    this.cache =
        Caffeine.newBuilder().maximumSize(1).expireAfterWrite(maxAge).ticker(ticker).build();
  }

  /** The current document, keyed by asset code, in the order tokens are configured. */
  public Map<String, Currency> currencies() {
    return cache.get(KEY, k -> of(snapshots.get(), assetCodes));
  }

  /** Drops the cached document; the next reader builds a new one. */
  public void invalidate() {
    // A build in flight for the same key finishes first and is then dropped (Caffeine removes
    // under the entry's lock), so a transition never leaves an older document cached.
    cache.invalidate(KEY);
  }

  /** The document for {@code snapshot}, grouping tokens by asset code. */
  public static Map<String, Currency> of(StatusSnapshot snapshot, Map<String, String> assetCodes) {
    Map<String, Map<String, Network>> byCode = new LinkedHashMap<>();
    for (TokenStatus t : snapshot.tokens()) {
      String code = assetCodes.getOrDefault(t.symbol(), t.symbol());
      boolean deposit = t.deposit().allows();
      boolean withdraw = t.withdrawal().allows();
      byCode
          .computeIfAbsent(code, c -> new LinkedHashMap<>())
          .put(
              t.network(),
              new Network(
                  t.network(),
                  t.network(),
                  null,
                  deposit && withdraw,
                  deposit,
                  withdraw,
                  null,
                  null,
                  Limits.UNKNOWN,
                  new Info(
                      t.symbol(), t.contract(), Side.of(t.deposit()), Side.of(t.withdrawal()))));
    }
    Map<String, Currency> out = new LinkedHashMap<>();
    byCode.forEach(
        (code, networks) -> {
          boolean deposit = networks.values().stream().anyMatch(Network::deposit);
          boolean withdraw = networks.values().stream().anyMatch(Network::withdraw);
          boolean active = networks.values().stream().anyMatch(Network::active);
          List<String> symbols =
              networks.values().stream().map(n -> n.info().token()).distinct().toList();
          out.put(
              code,
              new Currency(
                  code,
                  code,
                  null,
                  active,
                  deposit,
                  withdraw,
                  null,
                  null,
                  Limits.UNKNOWN,
                  new AssetInfo(symbols),
                  Collections.unmodifiableMap(networks)));
        });
    return Collections.unmodifiableMap(out);
  }
}
