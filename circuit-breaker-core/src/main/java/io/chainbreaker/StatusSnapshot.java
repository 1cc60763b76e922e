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
 * @param providers what watching costs at each provider, projected per day, by provider name
 * @param fleet this instance's place in its fleet ({@link FleetStatus.Role#SOLO} outside one): who
 *     leads, the epoch, how old each network's verdict is here
 */
public record StatusSnapshot(
    Instant takenAt,
    List<NetworkStatus> networks,
    List<TokenStatus> tokens,
    List<ProviderCost> providers,
    FleetStatus fleet) {

  /** Copies the lists. */
  public StatusSnapshot {
    networks = List.copyOf(networks);
    tokens = List.copyOf(tokens);
    providers = List.copyOf(providers);
  }

  /**
   * A snapshot of an engine that is no fleet's member, whose provider costs are summed from the
   * networks' endpoints.
   */
  public StatusSnapshot(Instant takenAt, List<NetworkStatus> networks, List<TokenStatus> tokens) {
    this(takenAt, networks, tokens, FleetStatus.solo());
  }

  /** A snapshot whose provider costs are summed from the networks' endpoints. */
  public StatusSnapshot(
      Instant takenAt, List<NetworkStatus> networks, List<TokenStatus> tokens, FleetStatus fleet) {
    this(takenAt, networks, tokens, ProviderCost.of(networks), fleet);
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

  /** The network with this name. */
  public Optional<NetworkStatus> network(String name) {
    return networks.stream().filter(n -> n.name().equals(name)).findFirst();
  }
}
