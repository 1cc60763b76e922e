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
 *
 * <h2>Restoring after a restart</h2>
 *
 * An engine that starts derives each token's state from the whole trail and the overrides, through
 * {@link #remembered()} and {@link #overrides()}, never from the newest row alone:
 *
 * <ul>
 *   <li>Its automatic state is the one of the newest transition of that token and direction whose
 *       reason is automatic, that is not {@link io.chainbreaker.Reason#OPERATOR}. If that state is
 *       not ALLOWED (SUSPENDED or RECOVERING, for any automatic reason, {@code STORE_UNAVAILABLE}
 *       included), the token starts SUSPENDED with that reason and allows only once the recovery
 *       rule is met again on this engine's own evidence (blocks past the head seen after the start,
 *       a normal cadence, the grace). A row of reason {@code STARTING}, or none, means no outage
 *       was witnessed: the token starts fresh.
 *   <li>While an override is in force the rows carry the override, not what the chain did
 *       underneath. So if the newest row is an override's (the engine stopped under it) and the
 *       automatic state before it was not a suspension, the automatic state is unknown: the token
 *       starts SUSPENDED with {@code STORE_UNAVAILABLE} underneath, and recovers by the rule when
 *       the override ends. A cleared or expired override wrote a row of the automatic state then,
 *       which is the chain's last word.
 *   <li>Rows from before the token was last delisted ({@code DELIST} rows, one per token a catalog
 *       change removed) are ignored: a token delisted and listed again starts fresh, as it does in
 *       a running engine.
 *   <li>An override applies if it is in {@link #overrides()} (not cleared) and has not expired at
 *       the start; an expired or cleared override does not apply, whatever the trail says of it.
 *       Its automatic state underneath is still the one above, so when it ends the token allows
 *       only by the rule.
 * </ul>
 *
 * <p>This can only be more careful than an engine that never stopped: a token suspended before the
 * restart is never allowed earlier than the rule allows it after the start.
 *
 * <h2>A full queue</h2>
 *
 * A store that queues writes bounds its queue. When it is full, a write waits a bounded time, then
 * throws {@link StateStoreFullException}: the store counts and logs the write and, once it has
 * caught up ({@link #caughtUp()}), records in the trail what it could not keep; the engine holds
 * that token SUSPENDED with {@code STORE_UNAVAILABLE} until then.
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
   * What an engine restores at start (see the class comment): for each token and direction with a
   * row newer than the token's last delisting, the transition to start from: the newest row if it
   * is of an automatic reason; else (an override was in force) the newest automatic row if it
   * suspends, else a SUSPENDED row of reason {@code STORE_UNAVAILABLE} (the state under the
   * override is unknown). The default reads only {@link #lastTransitions()}: an override's row
   * there counts as unknown underneath, and delistings are not seen.
   */
  default List<TokenTransition> remembered() {
    java.util.Map<TokenKey, TokenTransition> newest = new java.util.LinkedHashMap<>();
    for (TokenTransition t : lastTransitions()) {
      newest.put(new TokenKey(t.symbol(), t.network(), t.direction()), t);
    }
    return Remembered.of(newest, java.util.Map.of());
  }

  /**
   * Whether every write this store refused with {@link StateStoreFullException} has since been
   * recorded in the trail as lost, so tokens held for it can recover. The default, for a store that
   * never refuses, is true.
   */
  default boolean caughtUp() {
    return true;
  }

  /**
   * The audit trail of {@code symbol} (on every network it is listed on) from {@code from}
   * (inclusive) to {@code to} (exclusive), oldest first, at most {@code limit} records.
   */
  List<AuditRecord> audit(String symbol, Instant from, Instant to, int limit);

  /**
   * Appends a catalog change applied at {@code at} to the audit trail, beside the transitions, and
   * for each token it removes a delisting that {@link #remembered()} starts after. Like {@link
   * #append(TokenTransition)} it must return at once. The default keeps nothing: a store that keeps
   * a trail overrides it.
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
