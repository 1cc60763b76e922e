package io.chainbreaker;

/**
 * One token's breakers, for the hot path: hold it and ask without a lookup. Each question is one
 * volatile read; no allocation.
 */
public interface TokenHandle {

  /** The token symbol. */
  String symbol();

  /** The token's network. */
  String network();

  /** The token, as one value: {@code SYMBOL@network}. */
  default TokenId tokenId() {
    return TokenId.of(symbol(), network());
  }

  /** Whether deposits are allowed now. */
  boolean allowsDeposit();

  /** Whether withdrawals are allowed now. */
  boolean allowsWithdrawal();

  /** Whether {@code direction} is allowed now. */
  boolean allows(Direction direction);

  /** Returns if deposits are allowed, else throws {@link TokenSuspendedException}. */
  void checkDeposit();

  /** Returns if withdrawals are allowed, else throws {@link TokenSuspendedException}. */
  void checkWithdrawal();

  /** Returns if {@code direction} is allowed, else throws {@link TokenSuspendedException}. */
  void check(Direction direction);

  /** The current state in both directions. */
  TokenStatus status();
}
