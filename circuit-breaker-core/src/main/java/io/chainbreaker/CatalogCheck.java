package io.chainbreaker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a catalog may be in force: checks one whole, as the builder does, and computes
 * the one a {@link CatalogChange} makes, refusing a change that names what is not there.
 */
final class CatalogCheck {

  private CatalogCheck() {}

  /**
   * Checks a whole catalog as the builder does: a network at least, unique network names, unique
   * (symbol, network) pairs, every token on a listed network.
   */
  static void validate(Catalog c) {
    if (c.networks().isEmpty()) {
      throw new IllegalArgumentException("at least one network must be configured");
    }
    Set<String> names = new HashSet<>();
    for (NetworkConfig n : c.networks()) {
      if (!names.add(n.name())) {
        throw new IllegalArgumentException("network " + n.name() + " is configured twice");
      }
    }
    Set<TokenId> keys = new HashSet<>();
    for (TokenConfig t : c.tokens()) {
      if (!names.contains(t.network())) {
        throw new IllegalArgumentException(
            "token "
                + t.symbol()
                + " names the unknown network '"
                + t.network()
                + "'; configured networks: "
                + names);
      }
      if (!keys.add(t.tokenId())) {
        // A symbol may be on several networks, but each pair once.
        throw new IllegalArgumentException("token " + t.symbol() + " is configured twice");
      }
    }
  }

  /** {@code catalog} with {@code change} applied, refusing parts that name what is not there. */
  static Catalog next(Catalog catalog, CatalogChange change) {
    Map<String, NetworkConfig> networks = new LinkedHashMap<>();
    catalog.networks().forEach(n -> networks.put(n.name(), n));
    Map<TokenId, TokenConfig> tokens = new LinkedHashMap<>();
    catalog.tokens().forEach(t -> tokens.put(t.tokenId(), t));
    for (TokenConfig t : change.removeTokens()) {
      if (tokens.remove(t.tokenId()) == null) {
        throw new IllegalArgumentException(
            "catalog change refused, nothing applied: token "
                + t.symbol()
                + " on "
                + t.network()
                + " is not listed");
      }
    }
    for (String name : change.removeNetworks()) {
      if (networks.remove(name) == null) {
        throw new IllegalArgumentException(
            "catalog change refused, nothing applied: network '"
                + name
                + "' is not configured; configured networks: "
                + networks.keySet());
      }
      for (TokenConfig t : tokens.values()) {
        if (t.network().equals(name)) {
          throw new IllegalArgumentException(
              "catalog change refused, nothing applied: network '"
                  + name
                  + "' still carries token "
                  + t.symbol()
                  + "; remove its tokens in the same"
                  + " change");
        }
      }
    }
    // A change naming one network or token twice does not say which configuration it means.
    Set<String> named = new HashSet<>();
    for (NetworkConfig n : change.putNetworks()) {
      if (!named.add(n.name())) {
        throw new IllegalArgumentException(
            "catalog change refused, nothing applied: network '" + n.name() + "' is put twice");
      }
      networks.put(n.name(), n);
    }
    Set<TokenId> put = new HashSet<>();
    for (TokenConfig t : change.putTokens()) {
      if (!put.add(t.tokenId())) {
        throw new IllegalArgumentException(
            "catalog change refused, nothing applied: token "
                + t.symbol()
                + " on "
                + t.network()
                + " is put twice");
      }
      tokens.put(t.tokenId(), t);
    }
    try {
      Catalog next =
          new Catalog(new ArrayList<>(networks.values()), new ArrayList<>(tokens.values()));
      validate(next);
      return next;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "catalog change refused, nothing applied: " + e.getMessage(), e);
    }
  }
}
