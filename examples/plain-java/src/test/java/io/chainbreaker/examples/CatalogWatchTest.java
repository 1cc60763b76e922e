package io.chainbreaker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainbreaker.Catalog;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.UnknownTokenException;
import io.chainbreaker.test.Awaits;
import io.chainbreaker.test.SimulatedChain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher's {@code --catalog FILE} against two simulated chains standing in for the sample's
 * ethereum and bnb networks.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class CatalogWatchTest {

  private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z";
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path dir;
  private SimulatedChain ethereum;
  private SimulatedChain bnb;
  private Path file;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void chains() throws IOException {
    ethereum = SimulatedChain.builder().chainId(1).build();
    bnb = SimulatedChain.builder().chainId(56).build();
    ethereum.produceBlocks(Duration.ofMillis(100));
    bnb.produceBlocks(Duration.ofMillis(100));
    file = dir.resolve("catalog.yml");
    save(sample());
  }

  @AfterEach
  void close() {
    ethereum.close();
    bnb.close();
  }

  /** The README's sample, pointed at the simulated chains. */
  private String sample() throws IOException {
    return CatalogFileTest.sample()
        .replace("http://127.0.0.1:8545/", ethereum.endpoint().url())
        .replace("http://127.0.0.1:8546/", bnb.endpoint().url());
  }

  /** Saves as editors do: a new file renamed over the old one. */
  private void save(String text) throws IOException {
    Path tmp = dir.resolve(".catalog.yml.swp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private List<String> lines(ByteArrayOutputStream stream) {
    return stream.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** Waits, bounded, until a line of {@code stream} matches. */
  private String await(ByteArrayOutputStream stream, Predicate<String> line) {
    // polling real I/O (the file, the chains), not a rule
    try {
      return Awaits.until(
              "a matching line",
              PATIENCE,
              () -> lines(stream).stream().filter(line).findFirst(),
              found -> found.isPresent())
          .orElseThrow();
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; out:\n" + out + "\nerr:\n" + err, e);
    }
  }

  @Test
  void followsTheFileFromTheCommandLine() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> code =
          runner.submit(
              () ->
                  Watch.watchCatalog(
                      new String[] {"--catalog", file.toString()},
                      print(out),
                      print(err),
                      Duration.ofMillis(50),
                      Clock.systemUTC(),
                      stop));
      // The asset on two networks has a breaker pair on each.
      for (String token : List.of("ETH@ethereum", "USDT@ethereum", "USDT@bnb")) {
        for (String direction : List.of("DEPOSIT", "WITHDRAWAL")) {
          await(
              out,
              l ->
                  l.matches(
                      TIME + " " + token + " " + direction + " ALLOWED reason=HEALTHY head=\\d+"));
        }
      }
      int before = lines(out).size();

      save(
          sample()
              .replace(
                  "  tokens:\n",
                  "  tokens:\n    LINK:\n      network: ethereum\n"
                      + "      contract: '0x514910771af9ca656af840dff83e8264ecf986ca'\n"));
      await(
          out, l -> l.matches(TIME + " LINK@ethereum WITHDRAWAL ALLOWED reason=HEALTHY head=\\d+"));

      save(sample().replace("    ETH:\n      network: ethereum\n", ""));
      await(out, l -> l.matches(TIME + " ETH@ethereum REMOVED from the catalog"));
      await(out, l -> l.matches(TIME + " LINK@ethereum REMOVED from the catalog"));

      save("networks: [");
      assertThat(await(err, l -> l.startsWith("catalog:")))
          .isEqualTo(
              "catalog: catalog.yml: line 1, column 12: not valid YAML: expected the node"
                  + " content, but found '<stream end>'; the catalog in force stays");
      // Every line since the first listing concerns the tokens edited, never USDT.
      assertThat(lines(out).subList(before, lines(out).size()))
          .allMatch(l -> l.contains(" LINK@ethereum ") || l.contains(" ETH@ethereum "));
      assertThat(lines(err)).hasSize(1);

      stop.countDown();
      assertThat(code.get(10, TimeUnit.SECONDS)).isZero();
    } finally {
      stop.countDown();
      runner.shutdownNow();
    }
  }

  @Test
  void anEditToOneNetworkPrintsThatAndNothingForItsTokens() throws Exception {
    try (Rig rig = new Rig()) {
      rig.awaitAllowed();
      int before = lines(out).size();
      save(sample().replace("halt-after: PT2S", "halt-after: 3s"));
      assertThat(rig.watcher.check()).isTrue();
      assertThat(rig.breaker.catalog().network("bnb").haltAfter()).isEqualTo(Duration.ofSeconds(3));
      assertThat(lines(out).subList(before, lines(out).size()))
          .singleElement()
          .asString()
          .matches(TIME + " NETWORK bnb CHANGED in the catalog");
      assertThat(rig.breaker.allowsWithdrawal("USDT", "bnb")).isTrue();
      // Saving the same content again is no change at all.
      save(sample().replace("halt-after: PT2S", "halt-after: 3s"));
      assertThat(rig.watcher.check()).isFalse();
      assertThat(lines(err)).isEmpty();
    }
  }

  @Test
  void aMalformedFileIsReportedOnceAndThePreviousCatalogStaysInForce() throws Exception {
    try (Rig rig = new Rig()) {
      rig.awaitAllowed();
      Catalog before = rig.breaker.catalog();
      int printed = lines(out).size();

      save(
          sample()
              .replace("halt-after: 2s", "halt-after: 30x")
              .replace("    ETH:\n" + "      network: ethereum\n", ""));
      assertThat(rig.watcher.check()).isFalse();
      assertThat(rig.watcher.check()).isFalse();
      assertThat(lines(err))
          .containsExactly(
              "catalog: catalog.yml: chain-breaker.networks.ethereum"
                  + ".halt-after: '30x' is not a duration (use 500ms, 10s, 5m, 1h); the catalog in force"
                  + " stays");
      assertThat(rig.breaker.catalog()).isSameAs(before);
      assertThat(rig.breaker.allowsDeposit("ETH", "ethereum")).isTrue();
      assertThat(lines(out)).hasSize(printed);

      // A file that is gone for a moment (deleted, or between an editor's write and rename).
      Files.delete(file);
      assertThat(rig.watcher.check()).isFalse();
      assertThat(lines(err).get(1))
          .startsWith("catalog: catalog.yml cannot be read (")
          .endsWith("); the catalog in force stays");
      assertThat(rig.breaker.catalog()).isSameAs(before);

      // Fixed: applied, and the token it removes is gone.
      save(sample().replace("    ETH:\n      network: ethereum\n", ""));
      assertThat(rig.watcher.check()).isTrue();
      assertThat(lines(out).get(lines(out).size() - 1))
          .matches(TIME + " ETH@ethereum REMOVED from the catalog");
      assertThatThrownBy(() -> rig.breaker.allowsDeposit("ETH", "ethereum"))
          .isInstanceOf(UnknownTokenException.class);
      assertThat(rig.breaker.allowsDeposit("USDT", "ethereum")).isTrue();
    }
  }

  @Test
  void anAssetCanBeAddedToAndRemovedFromOneOfItsNetworks() throws Exception {
    try (Rig rig = new Rig()) {
      rig.awaitAllowed();
      save(
          sample()
              .replace("networks: [ethereum, bnb]", "networks: [ethereum]")
              .replace("network: ethereum", "networks: ethereum, bnb"));
      assertThat(rig.watcher.check()).isTrue();
      assertThat(lines(out)).anyMatch(l -> l.matches(TIME + " USDT@bnb REMOVED from the catalog"));
      // Its state is printed with the change; its transition to ALLOWED follows as an event.
      assertThat(lines(out))
          .anyMatch(
              l ->
                  l.matches(
                      TIME
                          + " ETH@bnb WITHDRAWAL (SUSPENDED reason=STARTING|ALLOWED reason=HEALTHY) head=.*"));
      await(out, l -> l.matches(TIME + " ETH@bnb DEPOSIT ALLOWED reason=HEALTHY head=\\d+"));
      assertThat(rig.breaker.catalog().tokens())
          .extracting(CatalogWatcher::key)
          .containsExactlyInAnyOrder("ETH@ethereum", "ETH@bnb", "USDT@ethereum");
      assertThat(rig.breaker.allowsWithdrawal("USDT", "ethereum")).isTrue();
      assertThatThrownBy(() -> rig.breaker.allowsWithdrawal("USDT", "bnb"))
          .isInstanceOf(UnknownTokenException.class);
    }
  }

  @Test
  void catalogTakesNoOtherOption() throws Exception {
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code =
        Watch.run(
            new String[] {"--catalog", file.toString(), "--tokens", "ETH"},
            print(new ByteArrayOutputStream()),
            print(e));
    assertThat(code).isEqualTo(2);
    assertThat(e.toString(StandardCharsets.UTF_8))
        .contains("--catalog FILE takes no other option")
        .contains("usage:");
  }

  @Test
  void catalogNeedsAFile() throws Exception {
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    assertThat(Watch.run(new String[] {"--catalog"}, print(new ByteArrayOutputStream()), print(e)))
        .isEqualTo(2);
    assertThat(e.toString(StandardCharsets.UTF_8))
        .contains("--catalog needs a value")
        .contains("usage:");
  }

  @Test
  void aBadFileAtStartExitsWith2NamingTheProblem() throws Exception {
    save(sample().replace("chain-id: 56", "chain-id: 56\n      halt-afer: 2s"));
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code =
        Watch.watchCatalog(
            new String[] {"--catalog", file.toString()},
            print(new ByteArrayOutputStream()),
            print(e),
            Duration.ofMillis(50),
            Clock.systemUTC(),
            new CountDownLatch(0));
    assertThat(code).isEqualTo(2);
    assertThat(e.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo(
            "chain-breaker-watch:"
                + " catalog.yml: chain-breaker.networks.bnb.halt-afer: unknown key; did you mean"
                + " chain-breaker.networks.bnb.halt-after?");
  }

  private static PrintStream print(ByteArrayOutputStream stream) {
    return new PrintStream(stream, true, StandardCharsets.UTF_8);
  }

  /** An engine built from the file, printing as the watcher does, and a watcher polled by hand. */
  private final class Rig implements AutoCloseable {
    final ChainBreaker breaker;
    final CatalogWatcher watcher;

    Rig() throws IOException {
      byte[] content = CatalogWatcher.content(file);
      CatalogFile initial = CatalogWatcher.read(file, content, null);
      breaker = Watch.engine(initial.catalog(), Clock.systemUTC());
      PrintStream o = print(out);
      breaker.events().onTokenTransition(t -> o.println(Watch.qualifiedLine(t)));
      watcher =
          new CatalogWatcher(file, initial, content, breaker, o, print(err), Clock.systemUTC());
      breaker.start();
    }

    void awaitAllowed() throws InterruptedException {
      try {
        for (String token : List.of("ETH@ethereum", "USDT@ethereum", "USDT@bnb")) {
          await(out, l -> l.matches(TIME + " " + token + " WITHDRAWAL ALLOWED reason=HEALTHY.*"));
        }
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\nsnapshot: " + breaker.snapshot(), e);
      }
    }

    @Override
    public void close() {
      watcher.close();
      breaker.close();
    }
  }
}
