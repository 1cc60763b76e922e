package io.chainbreaker;

/** Which way value moves: each token has one breaker per direction. */
public enum Direction {
  /** Users sending the token to the exchange. */
  DEPOSIT,
  /** The exchange sending the token to users. */
  WITHDRAWAL
}
