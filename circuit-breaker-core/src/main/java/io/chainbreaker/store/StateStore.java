package io.chainbreaker.store;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.CatalogChange;
import io.chainbreaker.Direction;
import io.chainbreaker.TokenTransition;
import java.time.Instant;
import java.util.List;

/**
 * Keeps operators' overrides and the audit trail of transitions, so that overrides survive restarts
 * and reach every instance, and an engine that starts while a token was suspended does not report
 * it allowed before its own evidence says so.
 *
 * <p>The engine calls {@link #append} and the override writes from its monitor and operators'
 * threads and must not be held up by them: implementations return at once (queueing if needed) and
 * must be thread-safe. Reads may block. A store that throws does not stop the engine: it goes on
 * deciding from the chain and the overrides it already holds.
 */
public interface StateStore extends AutoCloseable {

  /** Every override not cleared, possibly including expired ones. */
  List<BreakerOverride> overrides();

  /** Saves an override, replacing any for the same token (symbol and network) and direction. */
  void putOverride(BreakerOverride override);

  /** Removes the override for this token and direction, if any. */
  void removeOverride(String symbol, String network, Direction direction);

  /** Appends a transition to the audit trail. Nothing in the trail is changed or removed. */
  void append(TokenTransition transition);

  /** The newest transition of each token and direction, by any instance. */
  List<TokenTransition> lastTransitions();

  /**
   * The audit trail of {@code symbol} (on every network it is listed on) from {@code from}
   * (inclusive) to {@code to} (exclusive), oldest first, at most {@code limit} records.
   */
  List<AuditRecord> audit(String symbol, Instant from, Instant to, int limit);

  /**
   * Appends a catalog change applied at {@code at} to the audit trail, beside the transitions. Like
   * {@link #append(TokenTransition)} it must return at once. The default keeps nothing: a store
   * that keeps a trail overrides it.
   */
  default void append(CatalogChange change, Instant at) {}

  /**
   * The catalog changes in the trail from {@code from} (inclusive) to {@code to} (exclusive),
   * oldest first, at most {@code limit}. The default has none.
   */
  default List<CatalogRecord> catalogAudit(Instant from, Instant to, int limit) {
    return List.of();
  }

  /** Writes what is queued, if it can, and releases resources. The default does nothing. */
  @Override
  default void close() {}
}
