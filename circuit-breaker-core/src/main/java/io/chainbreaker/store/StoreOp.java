package io.chainbreaker.store;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.CatalogChange;
import io.chainbreaker.Direction;
import io.chainbreaker.Reason;
import io.chainbreaker.SafeText;
import io.chainbreaker.TokenId;
import io.chainbreaker.TokenTransition;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A write a {@link JdbcStateStore} queues for its writer, with the one line that describes it in a
 * log and what the audit trail keeps of it when the database rejects it.
 */
sealed interface StoreOp
    permits StoreOp.CreateSchema,
        StoreOp.Put,
        StoreOp.Remove,
        StoreOp.Append,
        StoreOp.AppendCatalog,
        StoreOp.Lost {

  /** Creates the tables, once the database answers. */
  record CreateSchema() implements StoreOp {}

  /** Puts an override. */
  record Put(BreakerOverride override) implements StoreOp {}

  /** Removes an override. */
  record Remove(String symbol, String network, Direction direction) implements StoreOp {}

  /** Appends a transition to the trail. */
  record Append(TokenTransition transition) implements StoreOp {}

  /** Appends a catalog change to the trail. */
  record AppendCatalog(CatalogChange change, Instant at) implements StoreOp {}

  /** The LOST row of a token ({@code symbol} and {@code network} null for catalog changes). */
  record Lost(@Nullable String symbol, @Nullable String network, String detail, Instant at)
      implements StoreOp {}

  /** The write in one log line, the operator's text escaped and cut. */
  static String describe(StoreOp op) {
    if (op instanceof Put put) {
      BreakerOverride o = put.override();
      return "override "
          + TokenId.format(o.symbol(), o.network())
          + " "
          + o.direction()
          + " "
          + o.state()
          + " by "
          + SafeText.escape(JdbcSql.clip(o.actor(), 200))
          + " until "
          + (o.expiresAt() == null ? "cleared" : o.expiresAt())
          + ": "
          + SafeText.escape(JdbcSql.clip(o.note(), 200));
    } else if (op instanceof Remove remove) {
      return "override removal "
          + TokenId.format(remove.symbol(), remove.network())
          + " "
          + remove.direction();
    } else if (op instanceof Append append) {
      TokenTransition t = append.transition();
      return "audit "
          + TokenId.format(t.symbol(), t.network())
          + " "
          + t.direction()
          + " "
          + t.from()
          + " -> "
          + t.to()
          + " "
          + t.reason()
          + " at "
          + t.at()
          + (t.actor() == null ? "" : " by " + SafeText.escape(JdbcSql.clip(t.actor(), 200)));
    } else if (op instanceof Lost l) {
      return "audit " + l.detail();
    } else if (op instanceof AppendCatalog catalog) {
      return "audit catalog change by "
          + SafeText.escape(JdbcSql.clip(catalog.change().actor(), 200))
          + " at "
          + catalog.at()
          + ": "
          + SafeText.escape(JdbcSql.clip(catalog.change().describe(), 200));
    }
    return "schema creation";
  }

  /** What the audit trail keeps of a rejected write: who, which token, what, and why refused. */
  static @Nullable TokenTransition rejectionRecord(StoreOp op, Exception e) {
    String why = "rejected by the database (" + JdbcSql.sqlState(e) + "), not stored";
    if (op instanceof Append append) {
      TokenTransition t = append.transition();
      return new TokenTransition(
          t.symbol(),
          t.network(),
          t.direction(),
          t.from(),
          t.to(),
          t.reason(),
          why,
          t.at(),
          t.head(),
          t.actor() == null ? null : JdbcSql.plain(t.actor()));
    }
    if (op instanceof Put put) {
      BreakerOverride o = put.override();
      return new TokenTransition(
          o.symbol(),
          o.network(),
          o.direction(),
          o.state(),
          o.state(),
          Reason.OPERATOR,
          "override " + why,
          o.createdAt(),
          null,
          JdbcSql.plain(o.actor()));
    }
    return null;
  }
}
