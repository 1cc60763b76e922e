package io.chainbreaker.store;

import io.chainbreaker.Limits;
import io.chainbreaker.SafeText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * The small JDBC habits the stores share: UTC timestamps, text cut to its column, an exception told
 * transient or not, and in one escaped line.
 */
final class JdbcSql {

  private JdbcSql() {}

  /**
   * Whether retrying later may succeed: a lost or refused connection, a timeout, a missing table
   * (the schema may still be created), anything unknown. Data exceptions (SQLSTATE class 22: bad
   * character, value out of range, too long) and integrity violations (23) repeat forever.
   */
  static boolean isTransient(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (sql instanceof java.sql.SQLDataException
            || sql instanceof java.sql.SQLIntegrityConstraintViolationException
            || (state != null && (state.startsWith("22") || state.startsWith("23")))) {
          return false;
        }
      }
    }
    return true;
  }

  static String sqlState(Exception e) {
    return e instanceof SQLException sql && sql.getSQLState() != null
        ? "SQLSTATE " + sql.getSQLState()
        : e.getClass().getSimpleName();
  }

  /** Text safe for any column: control characters removed, at most 200 characters. */
  static String plain(String s) {
    String p =
        s.codePoints()
            .filter(c -> !Character.isISOControl(c))
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    return p.isBlank() ? "?" : clip(p, Limits.ACTOR);
  }

  /** The change's description within the column, saying so when it was cut. */
  static String clipDetail(String describe) {
    return describe.length() <= Limits.DETAIL
        ? describe
        : describe.substring(0, Limits.DETAIL - 10) + " (cut)";
  }

  static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  static String message(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    message = SafeText.escape(message.replaceAll("[ \\t\\r\\n]+", " "));
    return message.length() <= 300 ? message : message.substring(0, 300) + "...";
  }

  static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the write is retried on a new one.
    }
  }

  static void restoreAutoCommit(Connection c, boolean auto) {
    try {
      c.setAutoCommit(auto);
    } catch (SQLException ignored) {
      // The connection is broken and will not be reused by a healthy pool.
    }
  }

  static OffsetDateTime time(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  static void setTime(PreparedStatement ps, int index, @Nullable Instant instant)
      throws SQLException {
    if (instant == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, time(instant));
    }
  }

  static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
