package io.chainbreaker;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An immutable picture of every network and token at one moment.
 *
 * @param takenAt when it was taken
 * @param networks every network, in configuration order
 * @param tokens every token, in configuration order
 */
public record StatusSnapshot(
    Instant takenAt, List<NetworkStatus> networks, List<TokenStatus> tokens) {

  /** Copies the lists. */
  public StatusSnapshot {
    networks = List.copyOf(networks);
    tokens = List.copyOf(tokens);
  }

  /**
   * The token with this symbol, if it is listed on one network; empty if it is not listed.
   *
   * @throws AmbiguousTokenException if it is listed on several networks
   */
  public Optional<TokenStatus> token(String symbol) {
    List<TokenStatus> found = tokens.stream().filter(t -> t.symbol().equals(symbol)).toList();
    if (found.size() > 1) {
      throw new AmbiguousTokenException(symbol, found.stream().map(TokenStatus::network).toList());
    }
    return found.stream().findFirst();
  }

  /** The token {@code symbol} on {@code network}. */
  public Optional<TokenStatus> token(String symbol, String network) {
    return tokens.stream()
        .filter(t -> t.symbol().equals(symbol) && t.network().equals(network))
        .findFirst();
  }

  /**
   * The projected cost per day by provider over every network: what the breaker will spend at each
   * provider, in the unit of its {@link RpcPlan}.
   */
  public java.util.Map<String, Double> costPerDayByProvider() {
    java.util.Map<String, Double> sum = new java.util.TreeMap<>();
    for (NetworkStatus n : networks) {
      n.costPerDayByProvider().forEach((p, c) -> sum.merge(p, c, Double::sum));
    }
    return java.util.Collections.unmodifiableMap(sum);
  }

  /** The network with this name. */
  public Optional<NetworkStatus> network(String name) {
    return networks.stream().filter(n -> n.name().equals(name)).findFirst();
  }
}
