package io.chainbreaker;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A token changed state or reason in one direction.
 *
 * @param symbol the token's symbol
 * @param network its network
 * @param direction the direction
 * @param from the state before
 * @param to the state now
 * @param reason why
 * @param detail a sentence for people
 * @param at when
 * @param head the network head then, or null if none was seen
 * @param actor the operator, for changes an override made; null for automatic ones
 */
public record TokenTransition(
    String symbol,
    String network,
    Direction direction,
    BreakerState from,
    BreakerState to,
    Reason reason,
    String detail,
    Instant at,
    @Nullable Long head,
    @Nullable String actor) {

  /**
   * The token, as one value: {@code SYMBOL@network}.
   *
   * @throws IllegalArgumentException if this transition was built with a symbol or network that
   *     {@link Limits} refuses (never one the engine made)
   */
  public TokenId tokenId() {
    return TokenId.of(symbol, network);
  }
}
