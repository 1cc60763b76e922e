package io.chainbreaker.store;

import io.chainbreaker.TokenConfig;
import java.util.List;

/**
 * Tokens listed somewhere outside the code, typically a table in the exchange's own database that
 * every instance reads ({@link JdbcCatalog}). The engine reads it at start and then on its sync
 * interval, and applies what changed as one {@link io.chainbreaker.CatalogChange} by the actor
 * {@code catalog source}: tokens that appeared are listed, tokens that disappeared are delisted,
 * tokens given to the engine's builder are never touched. A token listed at run time by {@link
 * io.chainbreaker.ChainBreaker#change} that the source lists too becomes the source's (an operator
 * wrote it to the table and applied it at once), so removing it from the source delists it.
 *
 * <p>Reads may block (they run on the engine's I/O pool). A read that throws changes nothing: the
 * catalog in force stays, and the read is tried again at the next sync.
 */
public interface CatalogSource {

  /** Every token listed in the source now. Each must name a network the engine knows. */
  List<TokenConfig> tokens();
}
