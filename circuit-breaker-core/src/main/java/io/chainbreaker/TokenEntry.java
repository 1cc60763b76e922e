package io.chainbreaker;

import org.jspecify.annotations.Nullable;

/**
 * One listed token: its two direction breakers and the monitor of its network; the {@link
 * TokenHandle} users hold, answering with one volatile read and no allocation.
 */
final class TokenEntry implements TokenHandle {
  /** Replaced when the catalog changes the token (its contract, its recovery rules). */
  volatile TokenConfig config;

  final String network;

  /** The token; never changes with its configuration. */
  final TokenId id;

  /** Replaced when a fleet member starts or stops watching; the breakers stay. */
  volatile NetworkMonitor monitor;

  final DirectionBreaker deposit;
  final DirectionBreaker withdrawal;

  TokenEntry(
      TokenConfig config,
      NetworkMonitor monitor,
      DirectionBreaker deposit,
      DirectionBreaker withdrawal) {
    this.config = config;
    this.network = config.network();
    this.id = config.tokenId();
    this.monitor = monitor;
    this.deposit = deposit;
    this.withdrawal = withdrawal;
  }

  DirectionBreaker breaker(Direction d) {
    return d == Direction.DEPOSIT ? deposit : withdrawal;
  }

  /** Takes a changed token or network configuration; the breakers keep their state. */
  void reconfigure(TokenConfig token, NetworkConfig network) {
    config = token;
    for (Direction d : Direction.values()) {
      breaker(d).reconfigure(token, rule(token, d, network));
    }
  }

  /** The recovery rule of {@code t} in {@code d}: its own, else its network's. */
  static RecoveryRule rule(TokenConfig t, Direction d, NetworkConfig n) {
    RecoveryRule own = t.recovery(d);
    return own != null ? own : n.recovery(d);
  }

  /** The network head now, or null if none was seen. */
  @Nullable Long head() {
    NetworkStatus s = monitor.status();
    return s.head() == null ? null : s.head().number();
  }

  @Override
  public String symbol() {
    return config.symbol();
  }

  @Override
  public String network() {
    return network;
  }

  @Override
  public TokenId tokenId() {
    return id;
  }

  @Override
  public boolean allowsDeposit() {
    return deposit.allowed();
  }

  @Override
  public boolean allowsWithdrawal() {
    return withdrawal.allowed();
  }

  @Override
  public boolean allows(Direction direction) {
    return breaker(direction).allowed();
  }

  @Override
  public void checkDeposit() {
    check(Direction.DEPOSIT);
  }

  @Override
  public void checkWithdrawal() {
    check(Direction.WITHDRAWAL);
  }

  @Override
  public void check(Direction direction) {
    DirectionStatus s = breaker(direction).status();
    if (s.state() != BreakerState.ALLOWED) {
      throw new TokenSuspendedException(config.symbol(), network, direction, s);
    }
  }

  @Override
  public TokenStatus status() {
    TokenConfig c = config;
    return new TokenStatus(
        c.symbol(), network, c.contract(), deposit.status(), withdrawal.status());
  }

  @Override
  public String toString() {
    return "TokenHandle[" + config.symbol() + " on " + network + "]";
  }
}
