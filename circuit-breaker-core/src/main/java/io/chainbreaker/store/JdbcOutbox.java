package io.chainbreaker.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Outbox} in PostgreSQL's {@code chain_breaker_outbox} table (schema {@link
 * JdbcFleetStore#SCHEMA_SCRIPT}): a message is inserted once ({@code ON CONFLICT DO NOTHING} on its
 * key), and a fenced insert locks the fleet's lease row and checks holder and epoch in the same
 * transaction, so a leader that lost its lease cannot queue an incident. Calls block; the notifier
 * makes them from its own thread.
 */
public final class JdbcOutbox implements Outbox {

  private static final String COLUMNS =
      "msg_key, kind, network, payload, created_at, attempts, delivered_at, given_up_at,"
          + " last_error";

  private final DataSource dataSource;

  /** An outbox on {@code dataSource}, whose schema exists (see {@link JdbcFleetStore}). */
  public JdbcOutbox(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public boolean add(OutboxMessage m, FleetStore.@Nullable Fence fence) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (fence != null) {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT 1 FROM chain_breaker_lease WHERE fleet = ? AND holder = ? AND epoch = ?"
                      + " AND expires_at > clock_timestamp() FOR SHARE")) {
            ps.setString(1, fence.fleet());
            ps.setString(2, fence.instance());
            ps.setLong(3, fence.epoch());
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                c.rollback();
                throw new FleetStore.FencedException(
                    "outbox write of "
                        + m.key()
                        + " with epoch "
                        + fence.epoch()
                        + " refused: the lease is no longer held with it");
              }
            }
          }
        }
        int added;
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO chain_breaker_outbox (msg_key, kind, network, payload, created_at,"
                    + " next_attempt_at) VALUES (?, ?, ?, ?, ?, clock_timestamp())"
                    + " ON CONFLICT (msg_key) DO NOTHING")) {
          ps.setString(1, m.key());
          ps.setString(2, m.kind());
          ps.setString(3, m.network());
          ps.setString(4, m.payload());
          OffsetDateTime at = OffsetDateTime.ofInstant(m.createdAt(), ZoneOffset.UTC);
          ps.setObject(5, at);
          added = ps.executeUpdate();
        }
        c.commit();
        return added == 1;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // the connection is gone; the transaction with it
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new StateStoreException(
          "outbox could not queue " + m.key() + ": " + JdbcFleetStore.describe(e), e);
    }
  }

  @Override
  public List<OutboxMessage> due(int limit) {
    return select(
        "SELECT "
            + COLUMNS
            + " FROM chain_breaker_outbox WHERE delivered_at IS NULL AND given_up_at IS NULL"
            + " AND next_attempt_at <= clock_timestamp() ORDER BY id LIMIT ?",
        limit,
        null,
        null);
  }

  @Override
  public void delivered(String key) {
    update(
        "UPDATE chain_breaker_outbox SET delivered_at = clock_timestamp(), attempts = attempts + 1"
            + " WHERE msg_key = ? AND delivered_at IS NULL",
        key,
        null,
        0);
  }

  @Override
  public void retryLater(String key, String error, Duration after) {
    update(
        "UPDATE chain_breaker_outbox SET attempts = attempts + 1, last_error = ?,"
            + " next_attempt_at = clock_timestamp() + ? * interval '1 millisecond'"
            + " WHERE msg_key = ? AND delivered_at IS NULL",
        key,
        error,
        after.toMillis());
  }

  @Override
  public void giveUp(String key, String error) {
    update(
        "UPDATE chain_breaker_outbox SET attempts = attempts + 1, last_error = ?,"
            + " given_up_at = clock_timestamp() WHERE msg_key = ? AND delivered_at IS NULL",
        key,
        error,
        -1);
  }

  @Override
  public List<OutboxMessage> messages(String kind, Instant since, int limit) {
    return select(
        "SELECT "
            + COLUMNS
            + " FROM chain_breaker_outbox WHERE kind = ? AND created_at >= ? ORDER BY id LIMIT ?",
        limit,
        kind,
        since);
  }

  @Override
  public List<OutboxMessage> pending(int limit) {
    return select(
        "SELECT "
            + COLUMNS
            + " FROM chain_breaker_outbox WHERE delivered_at IS NULL AND given_up_at IS NULL"
            + " ORDER BY id LIMIT ?",
        limit,
        null,
        null);
  }

  private void update(String sql, String key, @Nullable String error, long millis) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (error != null) {
        ps.setString(i++, error.length() <= 1000 ? error : error.substring(0, 1000));
      }
      if (millis > 0 || (error != null && millis == 0)) {
        ps.setLong(i++, millis);
      }
      ps.setString(i, key);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StateStoreException(
          "outbox could not update " + key + ": " + JdbcFleetStore.describe(e), e);
    }
  }

  private List<OutboxMessage> select(
      String sql, int limit, @Nullable String kind, @Nullable Instant since) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (kind != null && since != null) {
        ps.setString(i++, kind);
        ps.setObject(i++, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
      }
      ps.setInt(i, limit);
      List<OutboxMessage> found = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(
              new OutboxMessage(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  Objects.requireNonNull(rs.getTimestamp(5), "created_at not null").toInstant(),
                  rs.getInt(6),
                  instant(rs.getTimestamp(7)),
                  instant(rs.getTimestamp(8)),
                  rs.getString(9)));
        }
      }
      return found;
    } catch (SQLException e) {
      throw new StateStoreException("outbox could not be read: " + JdbcFleetStore.describe(e), e);
    }
  }

  private static @Nullable Instant instant(@Nullable Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
