package io.chainbreaker;

import org.jspecify.annotations.Nullable;

/**
 * A token's state in both directions.
 *
 * @param symbol the token symbol
 * @param network the network it lives on
 * @param contract its contract address, or null
 * @param deposit the deposit state
 * @param withdrawal the withdrawal state
 */
public record TokenStatus(
    String symbol,
    String network,
    @Nullable String contract,
    DirectionStatus deposit,
    DirectionStatus withdrawal) {

  /**
   * The token, as one value: {@code SYMBOL@network}.
   *
   * @throws IllegalArgumentException if this status was built with a symbol or network that {@link
   *     Limits} refuses (never one the engine made)
   */
  public TokenId tokenId() {
    return TokenId.of(symbol, network);
  }

  /** The state in {@code direction}. */
  public DirectionStatus status(Direction direction) {
    return direction == Direction.DEPOSIT ? deposit : withdrawal;
  }
}
