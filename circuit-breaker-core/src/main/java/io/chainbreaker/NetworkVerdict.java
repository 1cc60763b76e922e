package io.chainbreaker;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a fleet's leader published about one network: the network as it sees it and the automatic
 * state of each of the network's tokens (overrides are not part of it: every instance reads them
 * from the state store). Followers apply it to their own breakers; a new leader starts from it.
 *
 * @param network the network as the leader saw it
 * @param tokens each token of the network with its automatic state per direction (no override)
 * @param epoch the lease epoch of the leader that published it; the store refuses an older one
 * @param publishedAt when the store took it (the database's clock), or null before it was written
 * @param seq the store's order of publication, increasing; 0 before it was written
 */
public record NetworkVerdict(
    NetworkStatus network,
    List<TokenStatus> tokens,
    long epoch,
    @Nullable Instant publishedAt,
    long seq) {

  /** Copies the list. */
  public NetworkVerdict {
    tokens = List.copyOf(tokens);
  }

  /** The network's name. */
  public String name() {
    return network.name();
  }
}
