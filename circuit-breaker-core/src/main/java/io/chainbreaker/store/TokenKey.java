package io.chainbreaker.store;

import io.chainbreaker.Direction;
import io.chainbreaker.TokenId;

/**
 * Keys a store's rows by token and direction. A row read back from a database is unchecked text
 * that need not be a valid {@link TokenId} (it would then match no listed token), so the key holds
 * the text as stored; it prints as a {@code TokenId} does.
 */
record TokenKey(String symbol, String network, Direction direction) {

  @Override
  public String toString() {
    return TokenId.format(symbol, network) + '/' + direction;
  }
}
