package io.chainbreaker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an engine watches: its networks and the tokens listed on them. A token is one asset on one
 * network, identified by its symbol and its network together: {@code USDT} on {@code ethereum} and
 * {@code USDT} on {@code tron} are two tokens with their own breakers.
 *
 * <p>{@link ChainBreaker#catalog()} gives the one in force; {@link #changeTo} gives the {@link
 * CatalogChange} that turns one catalog into another, for sources that hold a whole catalog (a
 * file, a table).
 *
 * @param networks the networks, in the order they were added; names are unique
 * @param tokens the tokens, in the order they were added; (symbol, network) pairs are unique
 */
public record Catalog(List<NetworkConfig> networks, List<TokenConfig> tokens) {

  /** Copies both lists. */
  public Catalog {
    networks = List.copyOf(networks);
    tokens = List.copyOf(tokens);
  }

  /** The network named {@code name}, or null. */
  public @org.jspecify.annotations.Nullable NetworkConfig network(String name) {
    for (NetworkConfig n : networks) {
      if (n.name().equals(name)) {
        return n;
      }
    }
    return null;
  }

  /** The token {@code token} names, or null if it is not listed. */
  public @org.jspecify.annotations.Nullable TokenConfig token(TokenId token) {
    for (TokenConfig t : tokens) {
      if (token.is(t.symbol(), t.network())) {
        return t;
      }
    }
    return null;
  }

  /** The tokens with this symbol, one per network it is listed on. */
  public List<TokenConfig> tokens(String symbol) {
    List<TokenConfig> found = new ArrayList<>(1);
    for (TokenConfig t : tokens) {
      if (t.symbol().equals(symbol)) {
        found.add(t);
      }
    }
    return found;
  }

  /**
   * The change that turns this catalog into {@code target}: networks and tokens only in {@code
   * target} are added, those only here are removed, those in both but configured differently are
   * replaced (a replaced network keeps its head, health and breakers), the rest is untouched.
   */
  public CatalogChange changeTo(Catalog target, String actor) {
    Objects.requireNonNull(target, "target");
    CatalogChange.Builder change = CatalogChange.by(actor);
    Map<String, NetworkConfig> before = new LinkedHashMap<>();
    networks.forEach(n -> before.put(n.name(), n));
    Map<TokenId, TokenConfig> beforeTokens = new LinkedHashMap<>();
    tokens.forEach(t -> beforeTokens.put(t.tokenId(), t));
    Map<TokenId, TokenConfig> afterTokens = new LinkedHashMap<>();
    target.tokens.forEach(t -> afterTokens.put(t.tokenId(), t));
    for (TokenConfig t : tokens) {
      if (!afterTokens.containsKey(t.tokenId())) {
        change.removeToken(t.symbol(), t.network());
      }
    }
    for (NetworkConfig n : target.networks) {
      NetworkConfig old = before.remove(n.name());
      if (old == null || !old.equals(n)) {
        change.putNetwork(n);
      }
    }
    before.keySet().forEach(change::removeNetwork);
    for (TokenConfig t : target.tokens) {
      TokenConfig old = beforeTokens.get(t.tokenId());
      if (old == null || !old.equals(t)) {
        change.putToken(t);
      }
    }
    return change.build();
  }
}
