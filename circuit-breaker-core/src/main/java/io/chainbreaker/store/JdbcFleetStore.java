package io.chainbreaker.store;

import io.chainbreaker.NetworkVerdict;
import io.chainbreaker.SafeText;
import io.chainbreaker.TokenTransition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FleetStore} on PostgreSQL: the lease is a row whose times are the database's own
 * ({@code clock_timestamp()}), so no host clock takes part in who leads; every publication locks
 * that row ({@code FOR SHARE}) and checks holder and epoch in the same transaction, so a takeover
 * (which updates the row) waits for a publication in flight and a publication after a takeover is
 * refused. Followers are told of publications and of override writes by {@code LISTEN
 * chain_breaker} (the publication's {@code pg_notify} and a trigger on the override table), on one
 * connection held by a daemon thread, {@code chain-breaker-fleet-listen}.
 *
 * <p>Every call sets a network timeout on its connection, so a database that is cut off (not
 * refusing, just silent) fails the call within {@link Builder#queryTimeout} instead of hanging the
 * fleet's thread.
 */
public final class JdbcFleetStore implements FleetStore {

  /** The fleet's tables, the outbox and the override trigger, for your migration tool. */
  public static final String SCHEMA_SCRIPT =
      "io/chainbreaker/store/schema/V4__chain_breaker_fleet.sql";

  private static final Logger log = LoggerFactory.getLogger("io.chainbreaker.fleet");
  private static final String CHANNEL = "chain_breaker";

  private final DataSource dataSource;
  private final Duration queryTimeout;
  private final Executor timeouts = Runnable::run;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final JdbcOutbox outbox;
  private volatile boolean closed;
  private @Nullable Thread listener;

  private JdbcFleetStore(Builder b) {
    this.dataSource = b.dataSource;
    this.queryTimeout = b.queryTimeout;
    this.outbox = new JdbcOutbox(dataSource);
    if (b.createSchema) {
      try (Connection c = connection()) {
        SchemaScripts.run(c, SchemaScripts.V1, SchemaScripts.V2, SchemaScripts.V3);
        runScript(c, SCHEMA_SCRIPT);
      } catch (SQLException e) {
        throw new StateStoreException("cannot create the fleet schema: " + describe(e), e);
      }
    }
  }

  /** A builder for a store on {@code dataSource} (PostgreSQL). */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  private Connection connection() throws SQLException {
    Connection c = dataSource.getConnection();
    try {
      c.setNetworkTimeout(timeouts, Math.toIntExact(queryTimeout.toMillis()));
    } catch (SQLException | UnsupportedOperationException e) {
      log.debug("network timeout not supported by this driver: {}", e.toString());
    }
    return c;
  }

  @Override
  public Outbox outbox() {
    return outbox;
  }

  @Override
  public Lease acquire(String fleet, String instance, Duration ttl) {
    try (Connection c = connection()) {
      c.setAutoCommit(true);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO chain_breaker_lease (fleet, holder, epoch, renewed_at, expires_at)"
                  + " VALUES (?, NULL, 0, clock_timestamp(), clock_timestamp())"
                  + " ON CONFLICT (fleet) DO NOTHING")) {
        ps.setString(1, fleet);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE chain_breaker_lease SET holder = ?, epoch = epoch + 1,"
                  + " renewed_at = clock_timestamp(),"
                  + " expires_at = clock_timestamp() + ? * interval '1 millisecond'"
                  + " WHERE fleet = ? AND (holder IS NULL OR expires_at <= clock_timestamp())")) {
        ps.setString(1, instance);
        ps.setLong(2, ttl.toMillis());
        ps.setString(3, fleet);
        ps.executeUpdate();
      }
      return lease(c, fleet, false);
    } catch (SQLException e) {
      throw new StateStoreException("fleet lease could not be taken: " + describe(e), e);
    }
  }

  @Override
  public boolean renew(String fleet, String instance, long epoch, Duration ttl) {
    try (Connection c = connection()) {
      c.setAutoCommit(true);
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE chain_breaker_lease SET renewed_at = clock_timestamp(),"
                  + " expires_at = clock_timestamp() + ? * interval '1 millisecond'"
                  + " WHERE fleet = ? AND holder = ? AND epoch = ?"
                  + " AND expires_at > clock_timestamp()")) {
        ps.setLong(1, ttl.toMillis());
        ps.setString(2, fleet);
        ps.setString(3, instance);
        ps.setLong(4, epoch);
        return ps.executeUpdate() == 1;
      }
    } catch (SQLException e) {
      throw new StateStoreException("fleet lease could not be renewed: " + describe(e), e);
    }
  }

  @Override
  public void release(String fleet, String instance, long epoch) {
    try (Connection c = connection()) {
      c.setAutoCommit(true);
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE chain_breaker_lease SET holder = NULL, expires_at = clock_timestamp()"
                  + " WHERE fleet = ? AND holder = ? AND epoch = ?")) {
        ps.setString(1, fleet);
        ps.setString(2, instance);
        ps.setLong(3, epoch);
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw new StateStoreException("fleet lease could not be released: " + describe(e), e);
    }
  }

  @Override
  public void publish(
      String fleet,
      String instance,
      long epoch,
      List<NetworkVerdict> verdicts,
      List<TokenTransition> audit) {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try {
        // The fence: the lease row locked against a takeover until this transaction ends.
        Lease lease = lease(c, fleet, true);
        if (!instance.equals(lease.holder())
            || lease.epoch() != epoch
            || lease.validFor().compareTo(Duration.ZERO) <= 0) {
          c.rollback();
          throw new FencedException(
              "publish by "
                  + SafeText.escape(instance)
                  + " with epoch "
                  + epoch
                  + " refused: the lease is held by "
                  + SafeText.escape(String.valueOf(lease.holder()))
                  + " with epoch "
                  + lease.epoch()
                  + (lease.validFor().compareTo(Duration.ZERO) > 0 ? "" : " (expired)"));
        }
        if (!verdicts.isEmpty()) {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO chain_breaker_verdict (fleet, network, epoch, seq, published_at,"
                      + " health, reason, head, body) VALUES (?, ?, ?,"
                      + " nextval('chain_breaker_verdict_seq'), clock_timestamp(), ?, ?, ?, ?)"
                      + " ON CONFLICT (fleet, network) DO UPDATE SET epoch = EXCLUDED.epoch,"
                      + " seq = EXCLUDED.seq, published_at = EXCLUDED.published_at,"
                      + " health = EXCLUDED.health, reason = EXCLUDED.reason,"
                      + " head = EXCLUDED.head, body = EXCLUDED.body"
                      + " WHERE chain_breaker_verdict.epoch <= EXCLUDED.epoch")) {
            for (NetworkVerdict v : verdicts) {
              ps.setString(1, fleet);
              ps.setString(2, v.name());
              ps.setLong(3, epoch);
              ps.setString(4, v.network().health().name());
              ps.setString(5, v.network().reason().name());
              if (v.network().head() == null) {
                ps.setNull(6, Types.BIGINT);
              } else {
                ps.setLong(6, v.network().head().number());
              }
              ps.setString(7, VerdictCodec.write(v));
              ps.addBatch();
            }
            ps.executeBatch();
          }
        }
        if (!audit.isEmpty()) {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO chain_breaker_audit (symbol, network, direction, from_state,"
                      + " to_state, reason, detail, actor, head, instance_id, at, kind)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'TRANSITION')")) {
            for (TokenTransition t : audit) {
              ps.setString(1, t.symbol());
              ps.setString(2, t.network());
              ps.setString(3, t.direction().name());
              ps.setString(4, t.from().name());
              ps.setString(5, t.to().name());
              ps.setString(6, t.reason().name());
              ps.setString(7, clip(t.detail(), 1000));
              ps.setString(8, t.actor() == null ? null : clip(t.actor(), 200));
              if (t.head() == null) {
                ps.setNull(9, Types.BIGINT);
              } else {
                ps.setLong(9, t.head());
              }
              ps.setString(10, clip(instance, 200));
              ps.setObject(11, OffsetDateTime.ofInstant(t.at(), ZoneOffset.UTC));
              ps.addBatch();
            }
            ps.executeBatch();
          }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
          ps.setString(1, CHANNEL);
          ps.setString(2, "verdict");
          ps.execute();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // the connection is gone; the transaction with it
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new StateStoreException("fleet verdicts could not be published: " + describe(e), e);
    }
  }

  @Override
  public Read read(String fleet, long afterSeq) {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      try {
        Lease lease = lease(c, fleet, false);
        List<NetworkVerdict> verdicts = new ArrayList<>();
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT epoch, seq, published_at, body FROM chain_breaker_verdict"
                    + " WHERE fleet = ? AND seq > ? ORDER BY seq")) {
          ps.setString(1, fleet);
          ps.setLong(2, afterSeq);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Timestamp at = Objects.requireNonNull(rs.getTimestamp(3), "published_at not null");
              verdicts.add(
                  VerdictCodec.read(rs.getString(4), rs.getLong(1), at.toInstant(), rs.getLong(2)));
            }
          }
        }
        c.commit();
        return new Read(lease, verdicts);
      } finally {
        try {
          c.setReadOnly(false);
        } catch (SQLException ignored) {
          // returned to the pool broken; the pool will find out
        }
      }
    } catch (SQLException e) {
      throw new StateStoreException("fleet verdicts could not be read: " + describe(e), e);
    }
  }

  private static Lease lease(Connection c, String fleet, boolean lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT holder, epoch,"
                + " CAST(EXTRACT(EPOCH FROM (expires_at - clock_timestamp())) * 1000 AS BIGINT),"
                + " CAST(EXTRACT(EPOCH FROM (clock_timestamp() - renewed_at)) * 1000 AS BIGINT)"
                + " FROM chain_breaker_lease WHERE fleet = ?"
                + (lock ? " FOR SHARE" : ""))) {
      ps.setString(1, fleet);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return new Lease(null, 0, Duration.ZERO, Duration.ZERO);
        }
        return new Lease(
            rs.getString(1),
            rs.getLong(2),
            Duration.ofMillis(rs.getLong(3)),
            Duration.ofMillis(rs.getLong(4)));
      }
    }
  }

  @Override
  public synchronized void listen(Runnable onChange) {
    listeners.add(onChange);
    if (listener == null && !closed) {
      Thread t = new Thread(this::listenLoop, "chain-breaker-fleet-listen");
      t.setDaemon(true);
      listener = t;
      t.start();
    }
  }

  /** Holds one connection listening; on any failure waits a little and listens again. */
  private void listenLoop() {
    long backoff = 250;
    while (!closed) {
      try (Connection c = connection()) {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        // The driver's API through reflection: the library needs no compile-time driver.
        Class<?> type = Class.forName("org.postgresql.PGConnection");
        Object pg = c.unwrap(type);
        java.lang.reflect.Method notifications = type.getMethod("getNotifications", int.class);
        backoff = 250;
        // Something may have changed while we were not listening.
        listeners.forEach(Runnable::run);
        while (!closed) {
          Object[] got = (Object[]) notifications.invoke(pg, 500);
          if (got != null && got.length > 0) {
            listeners.forEach(Runnable::run);
          } else {
            // A silent connection that died is found out by a round trip.
            try (Statement s = c.createStatement()) {
              s.execute("SELECT 1");
            }
          }
        }
      } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
        if (closed) {
          return;
        }
        log.debug("fleet LISTEN connection lost ({}); listening again", describe(e));
        try {
          Thread.sleep(backoff); // the listener's own thread: nothing else waits on it
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread t = listener;
    if (t != null) {
      t.interrupt();
    }
  }

  /** Runs a script whose statements end with {@code ;} at a line's end, outside {@code $$}. */
  private static void runScript(Connection c, String location) throws SQLException {
    String script;
    try (InputStream in = JdbcFleetStore.class.getClassLoader().getResourceAsStream(location)) {
      if (in == null) {
        throw new IllegalStateException("schema script " + location + " is missing");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + location, e);
    }
    StringBuilder statement = new StringBuilder();
    boolean quoted = false;
    try (Statement s = c.createStatement()) {
      for (String line : script.split("\n", -1)) {
        if (!quoted && line.trim().startsWith("--")) {
          continue;
        }
        statement.append(line).append('\n');
        int dollars = line.split("\\$\\$", -1).length - 1;
        if (dollars % 2 == 1) {
          quoted = !quoted;
        }
        if (!quoted && line.trim().endsWith(";")) {
          String sql = statement.toString().trim();
          s.execute(sql.substring(0, sql.length() - 1));
          statement.setLength(0);
        }
      }
    }
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  /** SQL state and message, never the URL or credentials of the data source. */
  static String describe(Exception e) {
    if (e instanceof java.lang.reflect.InvocationTargetException ite
        && ite.getCause() instanceof Exception cause) {
      e = cause;
    }
    String state = e instanceof SQLException sql ? sql.getSQLState() : null;
    return SafeText.escape(
        (state == null ? "" : "SQLSTATE " + state + ": ")
            + String.valueOf(e.getMessage()).replaceAll("(?i)password=[^&\\s]*", "password=***"));
  }

  /** Builds a {@link JdbcFleetStore}. */
  public static final class Builder {
    private final DataSource dataSource;
    private boolean createSchema;
    private Duration queryTimeout = Duration.ofSeconds(3);

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Whether to create the tables (V1 to V3 and the fleet's V4) at build; default false. */
    public Builder createSchema(boolean create) {
      this.createSchema = create;
      return this;
    }

    /**
     * How long one call may wait on the database before it fails (default 3 s): keep it well under
     * the lease TTL, so a cut-off database costs the leader its lease, not its thread.
     */
    public Builder queryTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("queryTimeout must be positive but was " + timeout);
      }
      this.queryTimeout = timeout;
      return this;
    }

    /** The store. */
    public JdbcFleetStore build() {
      return new JdbcFleetStore(this);
    }
  }
}
