package io.chainbreaker;

import io.chainbreaker.store.StateStore;
import io.chainbreaker.store.StateStoreFullException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every token transition to the audit trail: the state store's, or the fleet's (its leader
 * writes it, fenced, with its verdicts). A failing store is logged, never thrown; a store whose
 * full queue refuses a transition gets that token held SUSPENDED until it catches up (fail closed).
 */
final class Journal implements Consumer<TokenTransition> {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  private final StateStore store;
  private final Executor monitor;
  private volatile @Nullable Overrides overrides;
  private volatile @Nullable Fleet fleet;

  /**
   * @param monitor where a hold for the store's backlog runs: just after, outside the breaker's
   *     lock that a transition is written under
   */
  Journal(StateStore store, Executor monitor) {
    this.store = store;
    this.monitor = monitor;
  }

  /** Who holds a token for the store's backlog; set once the overrides exist. */
  void overrides(Overrides overrides) {
    this.overrides = overrides;
  }

  /** The fleet whose leader writes the trail from now on. */
  void fleet(Fleet fleet) {
    this.fleet = fleet;
  }

  @Override
  public void accept(TokenTransition t) {
    Fleet f = fleet;
    if (f != null) {
      f.journal(t);
      return;
    }
    try {
      store.append(t);
    } catch (StateStoreFullException full) {
      Overrides o = overrides;
      TokenId token = TokenId.trusted(t.symbol(), t.network());
      try {
        if (o != null) {
          monitor.execute(() -> o.holdForBacklog(token));
        }
      } catch (RejectedExecutionException closing) {
        log.debug("engine closing: {} not held for the store", t.symbol());
      }
    } catch (RuntimeException e) {
      log.error(
          "state store failed to append the transition {}: {}",
          SafeText.escape(t),
          SafeText.escape(e));
    }
  }
}
