package io.chainbreaker.store;

import io.chainbreaker.BreakerState;
import io.chainbreaker.Direction;
import io.chainbreaker.Reason;
import io.chainbreaker.TokenTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@link StateStore#remembered()} returns, from two readings of the trail since each token's
 * last delisting: its newest row, and its newest row of an automatic reason. The rule is {@link
 * StateStore}'s "Restoring after a restart"; both stores share it here.
 */
final class Remembered {

  private Remembered() {}

  /**
   * One transition per token and direction to restore from.
   *
   * @param newest the newest row of each token and direction (key to row)
   * @param automatic the newest row of a reason other than OPERATOR, by the same keys
   */
  static List<TokenTransition> of(
      Map<TokenKey, TokenTransition> newest, Map<TokenKey, TokenTransition> automatic) {
    List<TokenTransition> result = new ArrayList<>(newest.size());
    for (Map.Entry<TokenKey, TokenTransition> e : newest.entrySet()) {
      TokenTransition last = e.getValue();
      TokenTransition auto = automatic.get(e.getKey());
      if (last.reason() != Reason.OPERATOR) {
        result.add(last);
      } else if (auto != null && suspends(auto)) {
        // Suspended when the override came: still so, as far as this engine may assume.
        result.add(auto);
      } else {
        result.add(hidden(last, auto));
      }
    }
    return result;
  }

  private static boolean suspends(TokenTransition t) {
    return t.to() != BreakerState.ALLOWED
        && t.reason() != Reason.OPERATOR
        && t.reason() != Reason.STARTING;
  }

  /**
   * The trail ends under an override: what the chain did since is not in it (the rows carry the
   * override), so the automatic state is unknown and the token recovers by the rule when the
   * override ends.
   */
  private static TokenTransition hidden(TokenTransition override, @Nullable TokenTransition auto) {
    Direction d = override.direction();
    return new TokenTransition(
        override.symbol(),
        override.network(),
        d,
        auto == null ? BreakerState.SUSPENDED : auto.to(),
        BreakerState.SUSPENDED,
        Reason.STORE_UNAVAILABLE,
        "an override was in force when the trail ends ("
            + override.detail()
            + "); what the chain did under it is not in the trail, so the token recovers by the"
            + " rule when the override ends",
        override.at(),
        override.head(),
        null);
  }
}
