package io.chainbreaker.store;

import static io.chainbreaker.store.JdbcSql.clip;
import static io.chainbreaker.store.JdbcSql.clipDetail;
import static io.chainbreaker.store.JdbcSql.restoreAutoCommit;
import static io.chainbreaker.store.JdbcSql.rollbackQuietly;
import static io.chainbreaker.store.JdbcSql.setTime;
import static io.chainbreaker.store.JdbcSql.time;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.Limits;
import io.chainbreaker.TokenConfig;
import io.chainbreaker.TokenTransition;
import io.chainbreaker.store.StoreOp.Append;
import io.chainbreaker.store.StoreOp.AppendCatalog;
import io.chainbreaker.store.StoreOp.CreateSchema;
import io.chainbreaker.store.StoreOp.Lost;
import io.chainbreaker.store.StoreOp.Put;
import io.chainbreaker.store.StoreOp.Remove;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import javax.sql.DataSource;

/**
 * Commits one batch of a {@link JdbcStateStore}'s queued writes in one transaction, in the order
 * they were queued: overrides put and removed, transitions, catalog changes, delisting and LOST
 * rows of the audit trail.
 */
final class JdbcTrailWriter {

  private final DataSource dataSource;
  private final String instance;

  JdbcTrailWriter(DataSource dataSource, String instance) {
    this.dataSource = dataSource;
    this.instance = instance;
  }

  /** Writes {@code batch}, all or nothing. */
  void write(List<StoreOp> batch) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement insertAudit =
              c.prepareStatement(
                  "INSERT INTO chain_breaker_audit (symbol, network, direction, from_state, to_state,"
                      + " reason, detail, actor, head, instance_id, at, kind)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'TRANSITION')");
          PreparedStatement insertCatalog =
              c.prepareStatement(
                  "INSERT INTO chain_breaker_audit (detail, actor, instance_id, at, kind)"
                      + " VALUES (?, ?, ?, ?, 'CATALOG')");
          PreparedStatement insertTokenRow =
              c.prepareStatement(
                  "INSERT INTO chain_breaker_audit (symbol, network, detail, actor, instance_id, at,"
                      + " kind) VALUES (?, ?, ?, ?, ?, ?, ?)");
          PreparedStatement deleteOverride =
              c.prepareStatement(
                  "DELETE FROM chain_breaker_override WHERE symbol = ? AND network = ?"
                      + " AND direction = ?");
          PreparedStatement insertOverride =
              c.prepareStatement(
                  "INSERT INTO chain_breaker_override (symbol, network, direction, state, actor,"
                      + " note, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        boolean audits = false;
        for (StoreOp op : batch) {
          if (op instanceof CreateSchema) {
            createSchema(c);
          } else if (op instanceof Put put) {
            BreakerOverride o = put.override();
            deleteOverride.setString(1, o.symbol());
            deleteOverride.setString(2, o.network());
            deleteOverride.setString(3, o.direction().name());
            deleteOverride.executeUpdate();
            insertOverride.setString(1, o.symbol());
            insertOverride.setString(2, o.network());
            insertOverride.setString(3, o.direction().name());
            insertOverride.setString(4, o.state().name());
            insertOverride.setString(5, clip(o.actor(), Limits.ACTOR));
            insertOverride.setString(6, clip(o.note(), Limits.NOTE));
            insertOverride.setObject(7, time(o.createdAt()));
            setTime(insertOverride, 8, o.expiresAt());
            insertOverride.executeUpdate();
          } else if (op instanceof Remove remove) {
            deleteOverride.setString(1, remove.symbol());
            deleteOverride.setString(2, remove.network());
            deleteOverride.setString(3, remove.direction().name());
            deleteOverride.executeUpdate();
          } else if (op instanceof Append append) {
            TokenTransition t = append.transition();
            insertAudit.setString(1, t.symbol());
            insertAudit.setString(2, t.network());
            insertAudit.setString(3, t.direction().name());
            insertAudit.setString(4, t.from().name());
            insertAudit.setString(5, t.to().name());
            insertAudit.setString(6, t.reason().name());
            insertAudit.setString(7, clipDetail(t.detail()));
            insertAudit.setString(8, t.actor() == null ? null : clip(t.actor(), Limits.ACTOR));
            if (t.head() == null) {
              insertAudit.setNull(9, Types.BIGINT);
            } else {
              insertAudit.setLong(9, t.head());
            }
            insertAudit.setString(10, instance);
            insertAudit.setObject(11, time(t.at()));
            insertAudit.addBatch();
            audits = true;
          } else if (op instanceof AppendCatalog catalog) {
            if (audits) {
              // Keep the trail's order: transitions queued before this change get lower ids.
              insertAudit.executeBatch();
              audits = false;
            }
            insertCatalog.setString(1, clipDetail(catalog.change().describe()));
            insertCatalog.setString(2, clip(catalog.change().actor(), Limits.ACTOR));
            insertCatalog.setString(3, instance);
            insertCatalog.setObject(4, time(catalog.at()));
            insertCatalog.executeUpdate();
            for (TokenConfig t : catalog.change().removeTokens()) {
              // What restore starts after: the token's rows before this one are of another listing.
              insertTokenRow.setString(1, t.symbol());
              insertTokenRow.setString(2, t.network());
              insertTokenRow.setString(3, "removed from the catalog");
              insertTokenRow.setString(4, clip(catalog.change().actor(), Limits.ACTOR));
              insertTokenRow.setString(5, instance);
              insertTokenRow.setObject(6, time(catalog.at()));
              insertTokenRow.setString(7, "DELIST");
              insertTokenRow.executeUpdate();
            }
          } else if (op instanceof Lost l) {
            if (audits) {
              insertAudit.executeBatch();
              audits = false;
            }
            insertTokenRow.setString(1, l.symbol());
            insertTokenRow.setString(2, l.network());
            insertTokenRow.setString(3, clipDetail(l.detail()));
            insertTokenRow.setString(4, "state store");
            insertTokenRow.setString(5, instance);
            insertTokenRow.setObject(6, time(l.at()));
            insertTokenRow.setString(7, "LOST");
            insertTokenRow.executeUpdate();
          }
        }
        if (audits) {
          insertAudit.executeBatch();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        restoreAutoCommit(c, auto);
      }
    }
  }

  /** Creates the tables that are not there yet. */
  static void createSchema(Connection c) throws SQLException {
    SchemaScripts.run(c, SchemaScripts.V1, SchemaScripts.V2, SchemaScripts.V3);
  }
}
