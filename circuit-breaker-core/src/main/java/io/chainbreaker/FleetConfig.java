package io.chainbreaker;

import io.chainbreaker.store.FleetStore;
import io.chainbreaker.store.JdbcFleetStore;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * How the instances of one service behave as one watcher (a fleet): the {@link FleetStore} they
 * share, the fleet's name, this instance's id, and the lease's timing. One instance leads (holds
 * the lease), watches every network and publishes each one's verdict; the others watch no provider
 * and apply the leader's verdicts. See {@link ChainBreaker.Builder#fleet(FleetConfig)}.
 *
 * <p>Bounds, with the defaults: a leader that dies is replaced within {@code leaseTtl} + {@code
 * pollInterval} (11 s); an instance whose newest verdict for a network is older than {@code
 * staleAfter} ({@code leaseTtl} + 2 × {@code pollInterval}, 12 s), or that cannot reach the store
 * for that long, suspends that network's tokens with {@link Reason#VIEW_STALE}.
 */
public final class FleetConfig {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final FleetStore store;
  private final String name;
  private final String instanceId;
  private final Duration leaseTtl;
  private final Duration pollInterval;
  private final Duration staleAfter;
  private final Duration headRefresh;

  private FleetConfig(Builder b) {
    this.store = b.store;
    this.name = b.name;
    this.instanceId = b.instanceId != null ? b.instanceId : defaultInstanceId();
    this.leaseTtl = b.leaseTtl;
    this.pollInterval = b.pollInterval;
    this.staleAfter =
        b.staleAfter != null ? b.staleAfter : leaseTtl.plus(pollInterval.multipliedBy(2));
    this.headRefresh = b.headRefresh;
    if (pollInterval.compareTo(leaseTtl) >= 0) {
      throw new IllegalArgumentException(
          "fleet pollInterval must be shorter than leaseTtl but was "
              + pollInterval
              + " (leaseTtl "
              + leaseTtl
              + ")");
    }
    if (staleAfter.compareTo(leaseTtl) < 0) {
      throw new IllegalArgumentException(
          "fleet staleAfter must be at least leaseTtl ("
              + leaseTtl
              + ") but was "
              + staleAfter
              + ": a follower would suspend before a dead leader could be replaced");
    }
  }

  /** A builder for a fleet on {@code store}. */
  public static Builder builder(FleetStore store) {
    return new Builder(store);
  }

  /**
   * A fleet on PostgreSQL through {@code dataSource}, whose schema exists ({@link
   * JdbcFleetStore#SCHEMA_SCRIPT}), with every default.
   */
  public static FleetConfig of(DataSource dataSource) {
    return builder(JdbcFleetStore.builder(dataSource).build()).build();
  }

  /** The store the fleet meets in. */
  public FleetStore store() {
    return store;
  }

  /** The fleet's name: instances with the same name on one store form one fleet. */
  public String name() {
    return name;
  }

  /** This instance's id in the lease and the audit trail. */
  public String instanceId() {
    return instanceId;
  }

  /** How long the lease lasts unless renewed (renewed every third of it). */
  public Duration leaseTtl() {
    return leaseTtl;
  }

  /** How often a follower reads the store (it is also told at once by the store, if it can). */
  public Duration pollInterval() {
    return pollInterval;
  }

  /** How old a network's newest verdict may be before this instance suspends its tokens. */
  public Duration staleAfter() {
    return staleAfter;
  }

  /** How often the leader republishes a network whose head moved but whose state did not. */
  public Duration headRefresh() {
    return headRefresh;
  }

  @Override
  public String toString() {
    return "FleetConfig[name="
        + name
        + ", instanceId="
        + instanceId
        + ", leaseTtl="
        + leaseTtl
        + ", pollInterval="
        + pollInterval
        + ", staleAfter="
        + staleAfter
        + ", headRefresh="
        + headRefresh
        + "]";
  }

  /** {@code host:pid} (and {@code #n} for the second engine of a process on). */
  private static String defaultInstanceId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown-host";
    }
    int n = INSTANCES.incrementAndGet();
    return host + ":" + ProcessHandle.current().pid() + (n == 1 ? "" : "#" + n);
  }

  /** Builds a {@link FleetConfig}; each value is checked as it is set. */
  public static final class Builder {
    private final FleetStore store;
    private String name = "chain-breaker";
    private @Nullable String instanceId;
    private Duration leaseTtl = Duration.ofSeconds(10);
    private Duration pollInterval = Duration.ofSeconds(1);
    private @Nullable Duration staleAfter;
    private Duration headRefresh = Duration.ofSeconds(5);

    private Builder(FleetStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The fleet's name (letters, digits, {@code . _ -}, at most 64); default chain-breaker. */
    public Builder name(String name) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "fleet name must be 1-64 letters, digits, '.', '_' or '-' but was '"
                + SafeText.escape(String.valueOf(name))
                + "'");
      }
      this.name = name;
      return this;
    }

    /** This instance's id (at most 200 characters, no control characters); default host:pid. */
    public Builder instanceId(String id) {
      if (id == null || id.isBlank() || id.length() > 200 || !SafeText.escape(id).equals(id)) {
        throw new IllegalArgumentException(
            "fleet instanceId must be 1-200 printable characters but was '"
                + SafeText.escape(String.valueOf(id))
                + "'");
      }
      this.instanceId = id;
      return this;
    }

    /** The lease's TTL, at least 1 s; default 10 s. */
    public Builder leaseTtl(Duration ttl) {
      if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("fleet leaseTtl must be at least 1s but was " + ttl);
      }
      this.leaseTtl = ttl;
      return this;
    }

    /** How often followers read the store, at least 50 ms; default 1 s. */
    public Builder pollInterval(Duration interval) {
      if (interval == null || interval.compareTo(Duration.ofMillis(50)) < 0) {
        throw new IllegalArgumentException(
            "fleet pollInterval must be at least 50ms but was " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    /** The verdict age past which tokens are suspended; default leaseTtl + 2 polls. */
    public Builder staleAfter(Duration staleAfter) {
      if (staleAfter == null || staleAfter.isNegative() || staleAfter.isZero()) {
        throw new IllegalArgumentException(
            "fleet staleAfter must be positive but was " + staleAfter);
      }
      this.staleAfter = staleAfter;
      return this;
    }

    /** How often an unchanged network's moving head is republished, at least 1 s; default 5 s. */
    public Builder headRefresh(Duration refresh) {
      if (refresh == null || refresh.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "fleet headRefresh must be at least 1s but was " + refresh);
      }
      this.headRefresh = refresh;
      return this;
    }

    /** The configuration. */
    public FleetConfig build() {
      return new FleetConfig(this);
    }
  }
}
