package io.chainbreaker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One change to a running engine's {@link Catalog}, applied whole or not at all by {@link
 * ChainBreaker#change}: networks added or replaced (endpoints rotated, thresholds changed),
 * networks removed, tokens added or replaced, tokens removed. It is checked like the builder checks
 * a new engine before anything is applied, and audited with its actor.
 *
 * <pre>{@code
 * breaker.change(CatalogChange.by("listing-bot")
 *     .putToken(TokenConfig.of("USDT", "tron"))
 *     .removeToken("PXL", "klaytn")
 *     .build());
 * }</pre>
 */
public final class CatalogChange {

  private final String actor;
  private final List<NetworkConfig> putNetworks;
  private final List<String> removeNetworks;
  private final List<TokenConfig> putTokens;
  private final List<TokenConfig> removeTokens;

  private CatalogChange(Builder b) {
    this.actor = b.actor;
    this.putNetworks = List.copyOf(b.putNetworks);
    this.removeNetworks = List.copyOf(b.removeNetworks);
    this.putTokens = List.copyOf(b.putTokens);
    this.removeTokens = List.copyOf(b.removeTokens);
  }

  /**
   * Starts a change made by {@code actor} (an operator, a service, "catalog table"): checked like
   * an override's actor, at most {@link Limits#ACTOR} characters.
   */
  public static Builder by(String actor) {
    BreakerOverride.validate(actor, null, null);
    return new Builder(actor);
  }

  /** Who made it. */
  public String actor() {
    return actor;
  }

  /** Networks added, or replacing the network of the same name. */
  public List<NetworkConfig> putNetworks() {
    return putNetworks;
  }

  /** Names of networks removed; their tokens must be removed by the same change. */
  public List<String> removeNetworks() {
    return removeNetworks;
  }

  /** Tokens added, or replacing the token of the same symbol and network. */
  public List<TokenConfig> putTokens() {
    return putTokens;
  }

  /** Tokens removed, by symbol and network (other fields are not compared). */
  public List<TokenConfig> removeTokens() {
    return removeTokens;
  }

  /** Whether it changes nothing. */
  public boolean isEmpty() {
    return putNetworks.isEmpty()
        && removeNetworks.isEmpty()
        && putTokens.isEmpty()
        && removeTokens.isEmpty();
  }

  /** One line for logs and the audit trail, e.g. {@code +token USDT@tron, -network klaytn}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    putNetworks.forEach(n -> parts.add("network " + n.name()));
    removeNetworks.forEach(n -> parts.add("-network " + n));
    putTokens.forEach(t -> parts.add("token " + t.tokenId()));
    removeTokens.forEach(t -> parts.add("-token " + t.tokenId()));
    return parts.isEmpty() ? "no change" : String.join(", ", parts);
  }

  @Override
  public String toString() {
    return "CatalogChange[by " + actor + ": " + describe() + "]";
  }

  /** Collects the parts of one change. */
  public static final class Builder {
    private final String actor;
    private final List<NetworkConfig> putNetworks = new ArrayList<>();
    private final List<String> removeNetworks = new ArrayList<>();
    private final List<TokenConfig> putTokens = new ArrayList<>();
    private final List<TokenConfig> removeTokens = new ArrayList<>();

    private Builder(String actor) {
      this.actor = actor;
    }

    /** Adds {@code network}, or replaces the network of the same name, keeping its state. */
    public Builder putNetwork(NetworkConfig network) {
      putNetworks.add(Objects.requireNonNull(network, "network"));
      return this;
    }

    /** Removes the network named {@code name}; its tokens must be removed too. */
    public Builder removeNetwork(String name) {
      removeNetworks.add(Limits.checkNetwork("removed network name", name));
      return this;
    }

    /** Adds {@code token}, or replaces the token of the same symbol and network. */
    public Builder putToken(TokenConfig token) {
      putTokens.add(Objects.requireNonNull(token, "token"));
      return this;
    }

    /** Removes the token {@code symbol} on {@code network}. */
    public Builder removeToken(String symbol, String network) {
      removeTokens.add(TokenConfig.of(symbol, network));
      return this;
    }

    /** Removes {@code token}. */
    public Builder removeToken(TokenId token) {
      return removeToken(token.symbol(), token.network());
    }

    /** The change. */
    public CatalogChange build() {
      return new CatalogChange(this);
    }
  }
}
