package io.chainbreaker.store;

import io.chainbreaker.BreakerOverride;
import io.chainbreaker.CatalogChange;
import io.chainbreaker.Direction;
import io.chainbreaker.Limits;
import io.chainbreaker.SafeText;
import io.chainbreaker.TokenTransition;
import io.chainbreaker.store.StoreOp.Append;
import io.chainbreaker.store.StoreOp.AppendCatalog;
import io.chainbreaker.store.StoreOp.CreateSchema;
import io.chainbreaker.store.StoreOp.Put;
import io.chainbreaker.store.StoreOp.Remove;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
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

  private final DataSource dataSource;
  private final String instance;
  private final Duration retryInterval;
  private final int capacity;
  private final Duration blockWhenFull;
  private final Clock clock;
  private final ArrayDeque<StoreOp> pending =
      new ArrayDeque<>(); // guarded by itself; head = oldest
  // The rest of the queue's bookkeeping, guarded by pending too.
  private final StoreLosses losses;
  private boolean full;
  private int highWater;
  private long accepted;
  private long lost;
  private final AtomicLong stored = new AtomicLong();
  private final Thread writer;
  private volatile boolean closed;
  private final StoreOutage outage = new StoreOutage(this::queued, this::wakeWriter);
  private final JdbcTrailWriter trail;
  private final JdbcTrailReader reader;

  private JdbcStateStore(Builder b) {
    this.dataSource = b.dataSource;
    this.instance = b.instance;
    this.retryInterval = b.retryInterval;
    this.capacity = b.queueCapacity;
    this.blockWhenFull = b.blockWhenFull;
    this.losses = new StoreLosses(capacity);
    this.clock = b.clock;
    this.trail = new JdbcTrailWriter(dataSource, instance);
    this.reader = new JdbcTrailReader(dataSource, outage);
    if (b.createSchema) {
      try (Connection c = dataSource.getConnection()) {
        JdbcTrailWriter.createSchema(c);
      } catch (SQLException | RuntimeException e) {
        // The database may be down at start: the writer creates the schema when it is back.
        outage.unavailable("create the schema", e);
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

  private void enqueue(StoreOp op) {
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
  private StateStoreFullException refuse(StoreOp op) {
    lost++;
    String token = losses.count(op, clock.instant());
    log.error(
        "state store queue full ({} writes, the database is behind): not stored: {}",
        capacity,
        StoreOp.describe(op));
    return new StateStoreFullException(
        "the state store's queue is full ("
            + capacity
            + " writes waiting for the database); not stored: "
            + (token == null ? "a catalog change" : SafeText.escape(token)));
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
    pending.addAll(losses.drain(clock.instant()));
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
    List<StoreOp> left;
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
      for (StoreOp op : left) {
        log.error("not stored: {}", StoreOp.describe(op));
      }
    }
  }

  private void writeLoop() {
    while (true) {
      List<StoreOp> batch;
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
        for (StoreOp op : pending) {
          batch.add(op);
          if (batch.size() == BATCH) {
            break;
          }
        }
      }
      try {
        trail.write(batch);
        stored.addAndGet(batch.size());
        synchronized (pending) {
          for (int i = 0; i < batch.size(); i++) {
            pending.removeFirst();
          }
          recordLosses();
          pending.notifyAll();
        }
        outage.available(batch.size());
      } catch (SQLException | RuntimeException e) {
        if (!JdbcSql.isTransient(e) && isolate(batch)) {
          continue;
        }
        outage.unavailable("write", e);
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
  private boolean isolate(List<StoreOp> batch) {
    for (StoreOp op : batch) {
      try {
        trail.write(List.of(op));
        stored.incrementAndGet();
      } catch (SQLException | RuntimeException e) {
        if (JdbcSql.isTransient(e)) {
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
    outage.available(batch.size());
    return true;
  }

  private void reject(StoreOp op, Exception e) {
    log.error(
        "state store rejected a write, which is dropped (later writes go on): {}: {}",
        StoreOp.describe(op),
        JdbcSql.message(e));
    TokenTransition record = StoreOp.rejectionRecord(op, e);
    if (record != null) {
      try {
        trail.write(List.of(new Append(record)));
      } catch (SQLException | RuntimeException again) {
        log.error(
            "state store rejected the audit record of that rejection too: {}",
            JdbcSql.message(again));
      }
    }
  }

  // ---- reads ----

  @Override
  public List<BreakerOverride> overrides() {
    List<StoreOp> queued;
    synchronized (pending) {
      queued = new ArrayList<>(pending);
    }
    Map<TokenKey, BreakerOverride> result = reader.overrides();
    for (StoreOp op : queued) {
      if (op instanceof Put put) {
        BreakerOverride o = put.override();
        result.put(JdbcTrailReader.key(o.symbol(), o.network(), o.direction()), o);
      } else if (op instanceof Remove remove) {
        result.remove(JdbcTrailReader.key(remove.symbol(), remove.network(), remove.direction()));
      }
    }
    return List.copyOf(result.values());
  }

  @Override
  public List<TokenTransition> lastTransitions() {
    return reader.lastTransitions();
  }

  /**
   * For each token and direction, the newest transition of an automatic reason (not OPERATOR) newer
   * than the token's newest DELIST row; see {@link StateStore}.
   */
  @Override
  public List<TokenTransition> remembered() {
    return reader.remembered();
  }

  @Override
  public List<AuditRecord> audit(String symbol, Instant from, Instant to, int limit) {
    return reader.audit(symbol, from, to, limit);
  }

  @Override
  public List<CatalogRecord> catalogAudit(Instant from, Instant to, int limit) {
    return reader.catalogAudit(from, to, limit);
  }

  private void wakeWriter() {
    synchronized (pending) {
      pending.notifyAll();
    }
  }

  /** Whether retrying later may succeed; see {@link JdbcSql#isTransient}. */
  static boolean isTransient(Exception e) {
    return JdbcSql.isTransient(e);
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
