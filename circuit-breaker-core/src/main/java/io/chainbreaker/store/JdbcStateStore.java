package io.chainbreaker.store;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.BreakerState;
import io.chainbreaker.CatalogChange;
import io.chainbreaker.Direction;
import io.chainbreaker.Limits;
import io.chainbreaker.Reason;
import io.chainbreaker.SafeText;
import io.chainbreaker.TokenConfig;
import io.chainbreaker.TokenId;
import io.chainbreaker.TokenTransition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateStore} on PostgreSQL (or H2) through plain JDBC, shared by every instance of a
 * service: overrides in {@code chain_breaker_override}, the audit trail of transitions and catalog
 * changes in {@code chain_breaker_audit}, told apart by its {@code kind} column (schema: {@value
 * #SCHEMA_SCRIPT} and {@value #CATALOG_SCHEMA_SCRIPT}).
 *
 * <p>Writes never block the engine: they go, in order, through a queue that one writer thread
 * ({@code chain-breaker-store-writer}) commits in batches. While the database is unreachable the
 * queue holds them and the writer retries every {@code retryInterval}; the outage is logged once
 * when it starts and once when it ends, with the number of queued writes then stored. Nothing is
 * lost unless the process dies during the outage. Reads of {@link #overrides()} include the writes
 * still queued, so an instance never forgets its own override.
 *
 * <p>A write the database refuses for its data (SQLSTATE class 22 or 23: a character it cannot
 * store, a value out of range, a row too long), which retrying cannot fix, is logged at ERROR,
 * recorded in the audit trail as rejected (without the refused text) and dropped; the writes behind
 * it go on. The engine's override methods refuse such text before it reaches the store.
 *
 * <p>The queue is bounded ({@link Builder#queueCapacity}, default 10,000 writes), so a database
 * that is away for an hour cannot grow the heap without bound. When it is full, a write waits up to
 * {@link Builder#blockWhenFull} (default 100 ms; only the first write of a full spell waits, the
 * rest are refused at once until there is room again) and then throws {@link
 * StateStoreFullException}: the write is counted ({@link #writesLost()}) and logged at ERROR, one
 * line each, and once the queue is down to half its capacity the store appends a {@code LOST} row
 * per token that lost writes (how many, from when to when), after which {@link #caughtUp()} is true
 * again. The engine holds such a token SUSPENDED with reason {@code STORE_UNAVAILABLE} until then.
 * {@link #queueHighWater()}, {@link #writesAccepted()} and {@link #writesStored()} tell how close
 * it came.
 */
public final class JdbcStateStore implements StateStore {

  /** The schema script's class-path location. */
  public static final String SCHEMA_SCRIPT = SchemaScripts.V1;

  /** The second schema script, adding the catalog table and the audit trail's {@code kind}. */
  public static final String CATALOG_SCHEMA_SCRIPT = SchemaScripts.V2;

  /** The third schema script, widening the symbol columns to {@link io.chainbreaker.Limits}. */
  public static final String LIMITS_SCHEMA_SCRIPT = SchemaScripts.V3;

  private static final Logger log = LoggerFactory.getLogger("io.chainbreaker.store");
  private static final int BATCH = 500;

  private sealed interface Op permits CreateSchema, Put, Remove, Append, AppendCatalog, Lost {}

  private record CreateSchema() implements Op {}

  private record Put(BreakerOverride override) implements Op {}

  private record Remove(String symbol, String network, Direction direction) implements Op {}

  private record Append(TokenTransition transition) implements Op {}

  private record AppendCatalog(CatalogChange change, Instant at) implements Op {}

  /** The LOST row of a token ({@code symbol} and {@code network} null for catalog changes). */
  private record Lost(@Nullable String symbol, @Nullable String network, String detail, Instant at)
      implements Op {}

  /** Writes of one token that the full queue refused, until its LOST row is queued. */
  private static final class Losses {
    final @Nullable String symbol;
    final @Nullable String network;
    final Instant first;
    Instant last;
    long count;

    Losses(@Nullable String symbol, @Nullable String network, Instant first) {
      this.symbol = symbol;
      this.network = network;
      this.first = first;
      this.last = first;
    }
  }

  private final DataSource dataSource;
  private final String instance;
  private final Duration retryInterval;
  private final int capacity;
  private final Duration blockWhenFull;
  private final Clock clock;
  private final ArrayDeque<Op> pending = new ArrayDeque<>(); // guarded by itself; head = oldest
  // The rest of the queue's bookkeeping, guarded by pending too.
  private final Map<String, Losses> losses = new LinkedHashMap<>();
  private boolean full;
  private int highWater;
  private long accepted;
  private long lost;
  private final AtomicLong stored = new AtomicLong();
  private final Thread writer;
  private volatile boolean closed;
  private final Object outageLock = new Object();
  private boolean outage; // guarded by outageLock
  private long outageStartNanos;
  private long storedDuringRecovery;

  private JdbcStateStore(Builder b) {
    this.dataSource = b.dataSource;
    this.instance = b.instance;
    this.retryInterval = b.retryInterval;
    this.capacity = b.queueCapacity;
    this.blockWhenFull = b.blockWhenFull;
    this.clock = b.clock;
    if (b.createSchema) {
      try (Connection c = dataSource.getConnection()) {
        createSchema(c);
      } catch (SQLException | RuntimeException e) {
        // The database may be down at start: the writer creates the schema when it is back.
        unavailable("create the schema", e);
        pending.add(new CreateSchema());
      }
    }
    writer = new Thread(this::writeLoop, "chain-breaker-store-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** A builder over {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** The instance id written with every audit row. */
  public String instance() {
    return instance;
  }

  // ---- writes: queued ----

  @Override
  public void putOverride(BreakerOverride override) {
    enqueue(new Put(Objects.requireNonNull(override, "override")));
  }

  @Override
  public void removeOverride(String symbol, String network, Direction direction) {
    enqueue(new Remove(symbol, network, direction));
  }

  @Override
  public void append(TokenTransition transition) {
    enqueue(new Append(Objects.requireNonNull(transition, "transition")));
  }

  /** Queues the catalog change for the audit trail, as a row of kind {@code CATALOG}. */
  @Override
  public void append(CatalogChange change, Instant at) {
    enqueue(
        new AppendCatalog(
            Objects.requireNonNull(change, "change"), Objects.requireNonNull(at, "at")));
  }

  private void enqueue(Op op) {
    synchronized (pending) {
      if (closed) {
        throw new IllegalStateException("the state store is closed");
      }
      if (pending.size() >= capacity && !full) {
        // The first write of a full spell waits a little for the writer; later ones do not, so
        // a monitor journaling a thousand tokens is held up once, not a thousand times.
        long deadline = System.nanoTime() + blockWhenFull.toNanos();
        long left;
        while (pending.size() >= capacity && !closed && (left = deadline - System.nanoTime()) > 0) {
          try {
            pending.wait(Math.max(1, left / 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
        full = pending.size() >= capacity;
      }
      if (pending.size() >= capacity) {
        throw refuse(op);
      }
      pending.addLast(op);
      accepted++;
      highWater = Math.max(highWater, pending.size());
      pending.notifyAll();
    }
  }

  /** Counts and logs a write the full queue cannot take; under the lock of pending. */
  private StateStoreFullException refuse(Op op) {
    lost++;
    Instant now = clock.instant();
    String symbol = null;
    String network = null;
    if (op instanceof Put put) {
      symbol = put.override().symbol();
      network = put.override().network();
    } else if (op instanceof Remove remove) {
      symbol = remove.symbol();
      network = remove.network();
    } else if (op instanceof Append append) {
      symbol = append.transition().symbol();
      network = append.transition().network();
    }
    String key = symbol == null ? "" : TokenId.format(symbol, Objects.requireNonNull(network));
    Losses l = losses.get(key);
    if (l == null) {
      l = new Losses(symbol, network, now);
      losses.put(key, l);
    }
    l.count++;
    l.last = now;
    log.error(
        "state store queue full ({} writes, the database is behind): not stored: {}",
        capacity,
        describe(op));
    return new StateStoreFullException(
        "the state store's queue is full ("
            + capacity
            + " writes waiting for the database); not stored: "
            + (symbol == null ? "a catalog change" : SafeText.escape(key)));
  }

  /**
   * Once the queue is down to half its capacity, queues one LOST row per token that lost writes;
   * under the lock of pending. The rows go past the cap: they are what makes the trail honest.
   */
  private void recordLosses() {
    if (pending.size() > capacity / 2) {
      return;
    }
    full = false;
    if (losses.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    for (Losses l : losses.values()) {
      String what =
          l.symbol == null
              ? "catalog changes"
              : "writes of " + TokenId.format(l.symbol, Objects.requireNonNull(l.network));
      String detail =
          l.count
              + " "
              + what
              + " could not be stored from "
              + l.first
              + " to "
              + l.last
              + " (the state store's queue was full, "
              + capacity
              + " writes); each is in the log at ERROR. The trail is complete again from here.";
      pending.addLast(new Lost(l.symbol, l.network, detail, now));
    }
    log.warn(
        "state store caught up: {} writes of {} tokens or catalog changes were lost while its"
            + " queue was full; recorded in the audit trail as LOST",
        losses.values().stream().mapToLong(l -> l.count).sum(),
        losses.size());
    losses.clear();
    pending.notifyAll();
  }

  /**
   * Whether every write refused for a full queue has been recorded in the trail as LOST (the LOST
   * row may still be queued, behind everything queued before it).
   */
  @Override
  public boolean caughtUp() {
    synchronized (pending) {
      return losses.isEmpty();
    }
  }

  /** How many writes are queued (not yet committed). */
  public int queued() {
    synchronized (pending) {
      return pending.size();
    }
  }

  /** The most writes that were ever queued at once. */
  public int queueHighWater() {
    synchronized (pending) {
      return highWater;
    }
  }

  /** How many writes the queue took (the LOST rows it adds itself not counted). */
  public long writesAccepted() {
    synchronized (pending) {
      return accepted;
    }
  }

  /** How many queued writes were committed to the database (LOST rows included). */
  public long writesStored() {
    return stored.get();
  }

  /** How many writes were refused because the queue was full ({@link StateStoreFullException}). */
  public long writesLost() {
    synchronized (pending) {
      return lost;
    }
  }

  /** Waits up to {@code timeout} for every queued write to be committed; true if they were. */
  public boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (pending) {
      while (!pending.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        pending.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /**
   * Commits what it can within 5 seconds, then stops the writer; what is left is logged, one line
   * per write dropped.
   */
  @Override
  public void close() {
    try {
      flush(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Op> left;
    synchronized (pending) {
      closed = true;
      left = new ArrayList<>(pending);
      pending.notifyAll();
    }
    writer.interrupt();
    if (!left.isEmpty()) {
      log.error(
          "state store closed with {} writes not stored (the database was unreachable);"
              + " each follows",
          left.size());
      for (Op op : left) {
        log.error("not stored: {}", describe(op));
      }
    }
  }

  private void writeLoop() {
    while (true) {
      List<Op> batch;
      synchronized (pending) {
        while (pending.isEmpty() && !closed) {
          try {
            pending.wait();
          } catch (InterruptedException e) {
            if (closed) {
              return;
            }
          }
        }
        if (closed) {
          return;
        }
        batch = new ArrayList<>(Math.min(BATCH, pending.size()));
        for (Op op : pending) {
          batch.add(op);
          if (batch.size() == BATCH) {
            break;
          }
        }
      }
      try {
        write(batch);
        stored.addAndGet(batch.size());
        synchronized (pending) {
          for (int i = 0; i < batch.size(); i++) {
            pending.removeFirst();
          }
          recordLosses();
          pending.notifyAll();
        }
        available(batch.size());
      } catch (SQLException | RuntimeException e) {
        if (!isTransient(e) && isolate(batch)) {
          continue;
        }
        unavailable("write", e);
        synchronized (pending) {
          if (closed) {
            return;
          }
          try {
            pending.wait(retryInterval.toMillis());
          } catch (InterruptedException interrupted) {
            if (closed) {
              return;
            }
          }
        }
      }
    }
  }

  /**
   * After a batch failed with an error the database will repeat (bad data, not a lost connection),
   * writes its operations one at a time: each that succeeds leaves the queue, each that the
   * database rejects is logged, recorded in the audit trail as rejected and dropped, so one bad
   * write never blocks the ones behind it. Returns false if the database became unreachable
   * meanwhile (what is left stays queued and is retried as in any outage).
   */
  private boolean isolate(List<Op> batch) {
    for (Op op : batch) {
      try {
        write(List.of(op));
        stored.incrementAndGet();
      } catch (SQLException | RuntimeException e) {
        if (isTransient(e)) {
          return false;
        }
        reject(op, e);
      }
      synchronized (pending) {
        pending.removeFirst();
        recordLosses();
        pending.notifyAll();
      }
    }
    available(batch.size());
    return true;
  }

  private void reject(Op op, Exception e) {
    log.error(
        "state store rejected a write, which is dropped (later writes go on): {}: {}",
        describe(op),
        describe(e));
    TokenTransition record = rejectionRecord(op, e);
    if (record != null) {
      try {
        write(List.of(new Append(record)));
      } catch (SQLException | RuntimeException again) {
        log.error(
            "state store rejected the audit record of that rejection too: {}", describe(again));
      }
    }
  }

  /** What the audit trail keeps of a rejected write: who, which token, what, and why refused. */
  private static @Nullable TokenTransition rejectionRecord(Op op, Exception e) {
    String why = "rejected by the database (" + sqlState(e) + "), not stored";
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
          t.actor() == null ? null : plain(t.actor()));
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
          plain(o.actor()));
    }
    return null;
  }

  /** Text safe for any column: control characters removed, at most 200 characters. */
  private static String plain(String s) {
    String p =
        s.codePoints()
            .filter(c -> !Character.isISOControl(c))
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    return p.isBlank() ? "?" : clip(p, Limits.ACTOR);
  }

  private static String sqlState(Exception e) {
    return e instanceof SQLException sql && sql.getSQLState() != null
        ? "SQLSTATE " + sql.getSQLState()
        : e.getClass().getSimpleName();
  }

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

  private static String describe(Op op) {
    if (op instanceof Put put) {
      BreakerOverride o = put.override();
      return "override "
          + TokenId.format(o.symbol(), o.network())
          + " "
          + o.direction()
          + " "
          + o.state()
          + " by "
          + SafeText.escape(clip(o.actor(), 200))
          + " until "
          + (o.expiresAt() == null ? "cleared" : o.expiresAt())
          + ": "
          + SafeText.escape(clip(o.note(), 200));
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
          + (t.actor() == null ? "" : " by " + SafeText.escape(clip(t.actor(), 200)));
    } else if (op instanceof Lost l) {
      return "audit " + l.detail();
    } else if (op instanceof AppendCatalog catalog) {
      return "audit catalog change by "
          + SafeText.escape(clip(catalog.change().actor(), 200))
          + " at "
          + catalog.at()
          + ": "
          + SafeText.escape(clip(catalog.change().describe(), 200));
    }
    return "schema creation";
  }

  private void write(List<Op> batch) throws SQLException {
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
        for (Op op : batch) {
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

  private static void createSchema(Connection c) throws SQLException {
    SchemaScripts.run(c, SchemaScripts.V1, SchemaScripts.V2, SchemaScripts.V3);
  }

  /** The change's description within the column, saying so when it was cut. */
  private static String clipDetail(String describe) {
    return describe.length() <= Limits.DETAIL
        ? describe
        : describe.substring(0, Limits.DETAIL - 10) + " (cut)";
  }

  // ---- reads ----

  @Override
  public List<BreakerOverride> overrides() {
    List<Op> queued;
    synchronized (pending) {
      queued = new ArrayList<>(pending);
    }
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
    for (Op op : queued) {
      if (op instanceof Put put) {
        BreakerOverride o = put.override();
        result.put(key(o.symbol(), o.network(), o.direction()), o);
      } else if (op instanceof Remove remove) {
        result.remove(key(remove.symbol(), remove.network(), remove.direction()));
      }
    }
    return List.copyOf(result.values());
  }

  @Override
  public List<TokenTransition> lastTransitions() {
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
  @Override
  public List<TokenTransition> remembered() {
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

  @Override
  public List<AuditRecord> audit(String symbol, Instant from, Instant to, int limit) {
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

  @Override
  public List<CatalogRecord> catalogAudit(Instant from, Instant to, int limit) {
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

  private static TokenKey key(String symbol, String network, Direction direction) {
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
      available(0);
    } catch (SQLException | RuntimeException e) {
      unavailable(what, e);
      throw new StateStoreException("state store could not " + what + ": " + describe(e), e);
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

  // ---- outage bookkeeping: logged once per outage ----

  private void unavailable(String what, Exception e) {
    synchronized (outageLock) {
      if (!outage) {
        outage = true;
        outageStartNanos = System.nanoTime();
        storedDuringRecovery = 0;
        log.error(
            "state store unreachable (could not {}): {}; the engine keeps deciding from the"
                + " chain and the overrides it holds, {} writes queued",
            what,
            describe(e),
            queued());
      } else {
        log.debug("state store still unreachable (could not {}): {}", what, describe(e));
      }
    }
  }

  private void available(int stored) {
    synchronized (outageLock) {
      if (outage) {
        storedDuringRecovery += stored;
        if (stored == 0) {
          // A read went through: let the writer retry now rather than at its next interval.
          synchronized (pending) {
            pending.notifyAll();
          }
        }
        if (queued() == 0) {
          outage = false;
          log.warn(
              "state store reachable again after {}; {} queued writes stored",
              Duration.ofNanos(System.nanoTime() - outageStartNanos),
              storedDuringRecovery);
        }
      }
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    message = SafeText.escape(message.replaceAll("[ \\t\\r\\n]+", " "));
    return message.length() <= 300 ? message : message.substring(0, 300) + "...";
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the write is retried on a new one.
    }
  }

  private static void restoreAutoCommit(Connection c, boolean auto) {
    try {
      c.setAutoCommit(auto);
    } catch (SQLException ignored) {
      // The connection is broken and will not be reused by a healthy pool.
    }
  }

  private static OffsetDateTime time(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static void setTime(PreparedStatement ps, int index, @Nullable Instant instant)
      throws SQLException {
    if (instant == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, time(instant));
    }
  }

  private static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  /** Settings of a {@link JdbcStateStore}. */
  public static final class Builder {
    private final DataSource dataSource;
    private String instance = InstanceId.defaultId();
    private Duration retryInterval = Duration.ofSeconds(1);
    private int queueCapacity = 10_000;
    private Duration blockWhenFull = Duration.ofMillis(100);
    private Clock clock = Clock.systemUTC();
    private boolean createSchema;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The id written with every audit row; default host name and process id. */
    public Builder instanceId(String instance) {
      if (instance == null || instance.isBlank() || instance.length() > Limits.INSTANCE_ID) {
        throw new IllegalArgumentException(
            "instanceId must be 1 to "
                + Limits.INSTANCE_ID
                + " characters but "
                + (instance == null ? "was null" : "had " + instance.length()));
      }
      this.instance = instance;
      return this;
    }

    /** How long the writer waits before retrying after a failure; default 1 s. */
    public Builder retryInterval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("retryInterval must be positive but was " + interval);
      }
      this.retryInterval = interval;
      return this;
    }

    /**
     * The most writes queued at once (waiting for the database); default 10,000. A write beyond it
     * waits {@link #blockWhenFull}, then is refused with {@link StateStoreFullException}.
     */
    public Builder queueCapacity(int writes) {
      if (writes < 2) {
        throw new IllegalArgumentException("queueCapacity must be at least 2 but was " + writes);
      }
      this.queueCapacity = writes;
      return this;
    }

    /**
     * How long a write may wait for room in a full queue before it is refused; default 100 ms. Zero
     * refuses at once.
     */
    public Builder blockWhenFull(Duration wait) {
      if (wait == null || wait.isNegative() || wait.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException(
            "blockWhenFull must be between 0 and 10 s but was " + wait);
      }
      this.blockWhenFull = wait;
      return this;
    }

    /** The clock of the LOST rows' times; default system UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Whether to create the tables if they do not exist; default false. */
    public Builder createSchema(boolean create) {
      this.createSchema = create;
      return this;
    }

    /** Creates the store and starts its writer thread. */
    public JdbcStateStore build() {
      return new JdbcStateStore(this);
    }
  }
}
