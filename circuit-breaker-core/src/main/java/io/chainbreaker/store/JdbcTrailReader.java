package io.chainbreaker.store;

import static io.chainbreaker.store.JdbcSql.instant;
import static io.chainbreaker.store.JdbcSql.time;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.BreakerState;
import io.chainbreaker.Direction;
import io.chainbreaker.Reason;
import io.chainbreaker.TokenId;
import io.chainbreaker.TokenTransition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@link JdbcStateStore}'s tables: the overrides stored, the transitions an engine restores
 * from, and the audit trails of tokens and catalog changes. A read that fails throws {@link
 * StateStoreException} and counts as an outage.
 */
final class JdbcTrailReader {

  private final DataSource dataSource;
  private final StoreOutage outage;

  JdbcTrailReader(DataSource dataSource, StoreOutage outage) {
    this.dataSource = dataSource;
    this.outage = outage;
  }

  /** The overrides stored, by token and direction. */
  Map<TokenKey, BreakerOverride> overrides() {
    Map<TokenKey, BreakerOverride> result = new LinkedHashMap<>();
    query(
        "read overrides",
        "SELECT symbol, network, direction, state, actor, note, created_at,"
            + " expires_at FROM chain_breaker_override ORDER BY symbol, network, direction",
        null,
        rs -> {
          BreakerOverride o =
              new BreakerOverride(
                  rs.getString(1),
                  rs.getString(2),
                  Direction.valueOf(rs.getString(3)),
                  BreakerState.valueOf(rs.getString(4)),
                  rs.getString(5),
                  rs.getString(6),
                  Objects.requireNonNull(instant(rs, 7), "created_at is NOT NULL"),
                  instant(rs, 8));
          result.put(key(o.symbol(), o.network(), o.direction()), o);
        });
    return result;
  }

  List<TokenTransition> lastTransitions() {
    List<TokenTransition> result = new ArrayList<>();
    query(
        "read the last transitions",
        "SELECT a.symbol, a.network, a.direction, a.from_state,"
            + " a.to_state, a.reason, a.detail, a.at, a.head, a.actor, a.id, a.instance_id"
            + " FROM chain_breaker_audit a JOIN (SELECT MAX(id) AS id FROM chain_breaker_audit"
            + " WHERE kind = 'TRANSITION' GROUP BY symbol, network, direction) m ON a.id = m.id"
            + " ORDER BY a.id",
        null,
        rs -> result.add(transition(rs)));
    return result;
  }

  /**
   * For each token and direction, the newest transition of an automatic reason (not OPERATOR) newer
   * than the token's newest DELIST row; see {@link StateStore}.
   */
  List<TokenTransition> remembered() {
    Map<String, Long> delisted = new HashMap<>();
    query(
        "read the delistings",
        "SELECT symbol, network, MAX(id) FROM chain_breaker_audit WHERE kind = 'DELIST'"
            + " GROUP BY symbol, network",
        null,
        rs -> delisted.put(TokenId.format(rs.getString(1), rs.getString(2)), rs.getLong(3)));
    Map<TokenKey, TokenTransition> newest = newestSinceDelisting("", delisted);
    Map<TokenKey, TokenTransition> automatic =
        newestSinceDelisting(" AND reason <> 'OPERATOR'", delisted);
    return Remembered.of(newest, automatic);
  }

  /** The newest transition row of each token and direction matching {@code where}, by key. */
  private Map<TokenKey, TokenTransition> newestSinceDelisting(
      String where, Map<String, Long> delisted) {
    Map<TokenKey, TokenTransition> result = new LinkedHashMap<>();
    query(
        "read the remembered transitions",
        "SELECT a.symbol, a.network, a.direction, a.from_state,"
            + " a.to_state, a.reason, a.detail, a.at, a.head, a.actor, a.id, a.instance_id"
            + " FROM chain_breaker_audit a JOIN (SELECT MAX(id) AS id FROM chain_breaker_audit"
            + " WHERE kind = 'TRANSITION'"
            + where
            + " GROUP BY symbol, network, direction) m ON a.id = m.id ORDER BY a.id",
        null,
        rs -> {
          TokenTransition t = transition(rs);
          Long delist = delisted.get(TokenId.format(t.symbol(), t.network()));
          if (delist == null || rs.getLong(11) > delist) {
            result.put(key(t.symbol(), t.network(), t.direction()), t);
          }
        });
    return result;
  }

  List<AuditRecord> audit(String symbol, Instant from, Instant to, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive but was " + limit);
    }
    List<AuditRecord> result = new ArrayList<>();
    query(
        "read the audit trail",
        "SELECT symbol, network, direction, from_state, to_state, reason,"
            + " detail, at, head, actor, id, instance_id FROM chain_breaker_audit"
            + " WHERE kind = 'TRANSITION' AND symbol = ? AND at >= ? AND at < ? ORDER BY id LIMIT "
            + limit,
        ps -> {
          ps.setString(1, symbol);
          ps.setObject(2, time(from));
          ps.setObject(3, time(to));
        },
        rs -> result.add(new AuditRecord(rs.getLong(11), transition(rs), rs.getString(12))));
    return result;
  }

  List<CatalogRecord> catalogAudit(Instant from, Instant to, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive but was " + limit);
    }
    List<CatalogRecord> result = new ArrayList<>();
    query(
        "read the catalog audit trail",
        "SELECT id, detail, actor, at, instance_id"
            + " FROM chain_breaker_audit WHERE kind = 'CATALOG' AND at >= ? AND at < ?"
            + " ORDER BY id LIMIT "
            + limit,
        ps -> {
          ps.setObject(1, time(from));
          ps.setObject(2, time(to));
        },
        rs ->
            result.add(
                new CatalogRecord(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    Objects.requireNonNull(instant(rs, 4), "at is NOT NULL"),
                    rs.getString(5))));
    return result;
  }

  static TokenKey key(String symbol, String network, Direction direction) {
    return new TokenKey(symbol, network, direction);
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private interface RowHandler {
    void handle(ResultSet rs) throws SQLException;
  }

  private void query(String what, String sql, @Nullable Binder binder, RowHandler rows) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      if (binder != null) {
        binder.bind(ps);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.handle(rs);
        }
      }
      outage.available(0);
    } catch (SQLException | RuntimeException e) {
      outage.unavailable(what, e);
      throw new StateStoreException("state store could not " + what + ": " + JdbcSql.message(e), e);
    }
  }

  private static TokenTransition transition(ResultSet rs) throws SQLException {
    long number = rs.getLong(9);
    // wasNull() speaks of the last column read, so it is asked right after the head's.
    Long head = rs.wasNull() ? null : number;
    return new TokenTransition(
        rs.getString(1),
        rs.getString(2),
        Direction.valueOf(rs.getString(3)),
        BreakerState.valueOf(rs.getString(4)),
        BreakerState.valueOf(rs.getString(5)),
        Reason.valueOf(rs.getString(6)),
        rs.getString(7),
        Objects.requireNonNull(instant(rs, 8), "at is NOT NULL"),
        head,
        rs.getString(10));
  }
}
