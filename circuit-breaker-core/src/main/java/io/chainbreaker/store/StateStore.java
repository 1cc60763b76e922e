package io.chainbreaker.store;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.Direction;
import io.chainbreaker.TokenTransition;
import java.util.List;
import java.util.Optional;

/**
 * Keeps operators' overrides and the trail of transitions, so that overrides survive restarts and an
 * engine that starts while a token was suspended does not report it allowed before its own evidence
 * says so.
 *
 * <p>The engine calls it from its monitor thread and from operators' threads; implementations must
 * be thread-safe. A store that throws does not stop the engine: the failure is logged and the
 * engine goes on deciding from the chain and the overrides it already holds.
 */
public interface StateStore {

  /** Every override in force or not yet cleared; expired ones may be included. */
  List<BreakerOverride> overrides();

  /** Saves an override, replacing any for the same token and direction. */
  void putOverride(BreakerOverride override);

  /** Removes the override for this token and direction, if any. */
  void removeOverride(String token, Direction direction);

  /** Appends a transition to the trail. Nothing in the trail is changed or removed. */
  void append(TokenTransition transition);

  /** The newest transition of this token and direction, if any. */
  Optional<TokenTransition> lastTransition(String token, Direction direction);
}
