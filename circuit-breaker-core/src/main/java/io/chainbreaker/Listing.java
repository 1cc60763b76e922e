package io.chainbreaker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The catalog in force, immutable, and how a question finds its token in it: the networks' monitors
 * by name, the tokens in order, and for the hot path a table from symbol to its one entry, or to an
 * array of entries when the symbol is listed on several networks (found by comparing network names,
 * without allocating).
 */
final class Listing {
  final Catalog catalog;
  final Map<String, NetworkMonitor> networks;
  final List<TokenEntry> tokens;
  final SymbolTable<Object> bySymbol;
  final Map<TokenId, TokenEntry> byKey;
  final Map<String, String> lowerCase;

  Listing(Catalog catalog, Map<String, NetworkMonitor> networks, List<TokenEntry> tokens) {
    this.catalog = catalog;
    this.networks = Collections.unmodifiableMap(new LinkedHashMap<>(networks));
    this.tokens = List.copyOf(tokens);
    Map<String, List<TokenEntry>> bySymbol = new LinkedHashMap<>();
    Map<TokenId, TokenEntry> byKey = new HashMap<>();
    Map<String, String> lowerCase = new HashMap<>();
    for (TokenEntry e : tokens) {
      bySymbol.computeIfAbsent(e.symbol(), k -> new ArrayList<>(1)).add(e);
      byKey.put(e.id, e);
      lowerCase.put(e.symbol().toLowerCase(Locale.ROOT), e.symbol());
    }
    Map<String, Object> table = new HashMap<>();
    bySymbol.forEach(
        (symbol, list) ->
            table.put(symbol, list.size() == 1 ? list.get(0) : list.toArray(new TokenEntry[0])));
    this.bySymbol = new SymbolTable<>(table);
    this.byKey = byKey;
    this.lowerCase = lowerCase;
  }

  /** The token {@code symbol} on {@code network}, or null; allocates nothing. */
  @Nullable TokenEntry find(String symbol, String network) {
    Object found = bySymbol.get(symbol);
    if (found instanceof TokenEntry e) {
      return e.network.equals(network) ? e : null;
    }
    if (found instanceof TokenEntry[] many) {
      for (TokenEntry e : many) {
        if (e.network.equals(network)) {
          return e;
        }
      }
    }
    return null;
  }

  /**
   * The token {@code symbol}, listed on one network.
   *
   * @throws AmbiguousTokenException if it is listed on several, naming them
   * @throws UnknownTokenException if it is not listed
   */
  TokenEntry entry(String symbol) {
    Object found = symbol == null ? null : bySymbol.get(symbol);
    if (found instanceof TokenEntry e) {
      return e;
    }
    if (found instanceof TokenEntry[] many) {
      List<String> on = new ArrayList<>();
      for (TokenEntry e : many) {
        on.add(e.network);
      }
      throw new AmbiguousTokenException(symbol, on);
    }
    throw unknown(symbol, null);
  }

  /**
   * The token {@code symbol} on {@code network}.
   *
   * @throws UnknownTokenException if it is not listed there, naming where the symbol is
   */
  TokenEntry entry(String symbol, String network) {
    Objects.requireNonNull(network, "network");
    TokenEntry e = symbol == null ? null : find(symbol, network);
    if (e == null) {
      throw unknown(symbol, network);
    }
    return e;
  }

  private UnknownTokenException unknown(@Nullable String symbol, @Nullable String network) {
    String s = String.valueOf(symbol);
    Object other = symbol == null ? null : bySymbol.get(symbol);
    if (network != null && other != null) {
      List<String> on = new ArrayList<>();
      for (TokenEntry e :
          other instanceof TokenEntry[] many ? many : new TokenEntry[] {(TokenEntry) other}) {
        on.add(e.network);
      }
      return new UnknownTokenException(
          s, " on network '" + SafeText.escape(network) + "'; it is listed on " + on);
    }
    String cased = lowerCase.get(s.toLowerCase(Locale.ROOT));
    return new UnknownTokenException(
        s,
        cased != null
            ? "; did you mean '" + cased + "'?"
            : "; configured tokens: " + tokens.size());
  }

  /** The network named {@code name}; throws naming the configured ones if there is none. */
  NetworkMonitor network(String name) {
    NetworkMonitor m = networks.get(name);
    if (m == null) {
      throw new IllegalArgumentException(
          "unknown network '"
              + SafeText.escape(name)
              + "'; configured networks: "
              + networks.keySet());
    }
    return m;
  }
}
