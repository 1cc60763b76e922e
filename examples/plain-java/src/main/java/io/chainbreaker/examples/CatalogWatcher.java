package io.chainbreaker.examples;

import io.chainbreaker.Catalog;
import io.chainbreaker.CatalogChange;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.DirectionStatus;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.SafeText;
import io.chainbreaker.TokenConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a running engine's catalog in line with a {@link CatalogFile}: polls the file, and when its
 * content changes applies the difference as one {@link CatalogChange} by {@value #ACTOR}. Added
 * tokens print their state lines (their transitions then arrive as events), removed ones a {@code
 * REMOVED from the catalog} line, untouched ones nothing. A file that cannot be read or used is
 * reported once on standard error as a line starting {@code catalog:}, and the catalog in force
 * stays.
 *
 * <p>It polls content rather than using a {@code WatchService}: editors save by writing a new file
 * and renaming it over the old one, which a directory watch reports unreliably (or not at all once
 * the watched inode is gone), and a modification time can stay the same across two saves within its
 * granularity. A catalog is a few kilobytes, so hashing it every poll costs nothing.
 */
final class CatalogWatcher implements AutoCloseable {

  /** The actor of the catalog changes it makes, in the engine's log and audit trail. */
  static final String ACTOR = "catalog file";

  private final Path path;
  private final String name;
  private final ChainBreaker breaker;
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final Object lock = new Object();
  private CatalogFile current;

  /** Hash of the content last looked at (applied or reported), so each version is handled once. */
  private byte @Nullable [] seen;

  private @Nullable String lastReadProblem;
  private @Nullable ScheduledExecutorService poller;

  /**
   * Watches {@code path}, whose content {@code initial} was read from (the engine was built from
   * it).
   */
  CatalogWatcher(
      Path path,
      CatalogFile initial,
      byte[] initialContent,
      ChainBreaker breaker,
      PrintStream out,
      PrintStream err,
      Clock clock) {
    this.path = path;
    this.name = String.valueOf(path.getFileName());
    this.current = initial;
    this.seen = sha256(initialContent);
    this.breaker = breaker;
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  /** Reads and parses the file; throws {@link CatalogFile.Invalid} naming the problem. */
  static CatalogFile read(Path path, byte[] content, @Nullable CatalogFile previous) {
    String name = String.valueOf(path.getFileName());
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(content))
              .toString();
    } catch (CharacterCodingException e) {
      throw new CatalogFile.Invalid(name + ": not UTF-8 text");
    }
    return CatalogFile.parse(name, text, previous);
  }

  /** Reads the file's bytes, refusing one too large to be a catalog before reading it whole. */
  static byte[] content(Path path) throws IOException {
    long size = Files.size(path);
    if (size > CatalogFile.MAX_CHARS * 4L) {
      throw new IOException(size + " bytes is too large for a catalog");
    }
    return Files.readAllBytes(path);
  }

  /** Polls the file every {@code interval} on a daemon thread until {@link #close}. */
  void start(Duration interval) {
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "chain-breaker-watch-catalog");
              t.setDaemon(true);
              return t;
            });
    poller = s;
    // Failures are caught and reported inside the task, so the future has nothing to tell.
    var unused =
        s.scheduleWithFixedDelay(
            () -> {
              try {
                check();
              } catch (RuntimeException e) {
                // Never let one bad poll end the polling: the next save must still be seen.
                err.println("catalog: " + name + ": " + SafeText.escape(e));
              }
            },
            interval.toMillis(),
            interval.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /**
   * Looks at the file once: if its content changed since the last look, applies it or reports why
   * not. Returns whether a change was applied.
   */
  boolean check() {
    synchronized (lock) {
      byte[] content;
      try {
        content = content(path);
      } catch (IOException e) {
        // Between an editor's write and its rename the file can be missing for a moment: report
        // once per distinct problem, not every poll, and keep the catalog in force.
        String problem =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        if (!problem.equals(lastReadProblem)) {
          lastReadProblem = problem;
          err.println(
              "catalog: "
                  + name
                  + " cannot be read ("
                  + SafeText.escape(problem)
                  + "); the catalog in force stays");
        }
        return false;
      }
      lastReadProblem = null;
      byte[] hash = sha256(content);
      if (Arrays.equals(hash, seen)) {
        return false;
      }
      seen = hash;
      CatalogFile next;
      CatalogChange change;
      Catalog before = breaker.catalog();
      try {
        next = read(path, content, current);
        change = before.changeTo(next.catalog(), ACTOR);
        breaker.change(change);
      } catch (IllegalArgumentException e) {
        err.println(
            "catalog: "
                + SafeText.escape(e.getMessage())
                + (e instanceof CatalogFile.Invalid ? "" : " (" + name + ")")
                + "; the catalog in force stays");
        return false;
      }
      current = next;
      print(change, before);
      return !change.isEmpty();
    }
  }

  /** Prints what the applied {@code change} did to networks and tokens of {@code before}. */
  private void print(CatalogChange change, Catalog before) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    for (String network : change.removeNetworks()) {
      out.println(now + " NETWORK " + network + " REMOVED from the catalog");
    }
    for (NetworkConfig n : change.putNetworks()) {
      // An added network announces itself through its health events; a replaced one keeps its
      // health and breakers, so without this line the operator would not see the edit land.
      if (before.network(n.name()) != null) {
        out.println(now + " NETWORK " + n.name() + " CHANGED in the catalog");
      }
    }
    for (TokenConfig t : change.removeTokens()) {
      out.println(now + " " + key(t) + " REMOVED from the catalog");
    }
    for (TokenConfig t : change.putTokens()) {
      boolean listed =
          before.tokens(t.symbol()).stream().anyMatch(o -> o.network().equals(t.network()));
      if (listed) {
        out.println(now + " " + key(t) + " CHANGED in the catalog");
        continue;
      }
      // A token added to a healthy network may be allowed at once, with no transition to report:
      // its state is printed here so every added token shows up.
      for (Direction d : Direction.values()) {
        DirectionStatus s = breaker.token(t.symbol(), t.network()).status().status(d);
        out.println(
            now
                + " "
                + key(t)
                + " "
                + d
                + " "
                + s.state()
                + " reason="
                + s.reason()
                + " head="
                + (s.head() == null ? "none" : s.head()));
      }
    }
  }

  static String key(TokenConfig t) {
    return t.tokenId().toString();
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Stops polling. */
  @Override
  public void close() {
    ScheduledExecutorService s = poller;
    if (s != null) {
      s.shutdownNow();
    }
  }
}
