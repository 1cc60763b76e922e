package io.chainbreaker;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.RECOVERING;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainbreaker.test.Awaits;
import io.chainbreaker.test.RequiredTool;
import io.chainbreaker.test.TransitionQueue;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * End to end against a real Bitcoin-family node: Debian's {@code litecoind} in regtest mode, in its
 * own temporary data directory on a free loopback port. Blocks are mined with {@code
 * generatetoaddress} every 500 ms; stopping is a halt. Skipped where litecoind is absent, except in
 * CI ({@code CI=true}), where it fails ({@code .ci/run} installs it): {@link RequiredTool}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LitecoindIntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(40);

  /** Litecoin's regtest genesis block. */
  static final String REGTEST_GENESIS =
      "530827f38f93b43ed12af0b3ad25a288dc02ed74d6d7857862df51fc56c416f9";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Process node;
  private static Path datadir;
  private static String rpc;
  private static String url;
  private static String address;
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final AtomicBoolean mining = new AtomicBoolean();
  private static final ScheduledExecutorService miner =
      Executors.newSingleThreadScheduledExecutor();

  @BeforeAll
  static void startLitecoind() throws Exception {
    String binary =
        RequiredTool.onPath("litecoind", "apt-get install litecoind; .ci/run installs it")
            .toString();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    datadir = Files.createTempDirectory("litecoind");
    node =
        new ProcessBuilder(
                binary,
                "-regtest",
                "-datadir=" + datadir,
                "-server",
                "-listen=0",
                "-rpcuser=breaker",
                "-rpcpassword=s3cret-pass",
                "-rpcbind=127.0.0.1",
                "-rpcallowip=127.0.0.1",
                "-rpcport=" + port,
                "-printtoconsole=0",
                "-fallbackfee=0.0001")
            .redirectErrorStream(true)
            .redirectOutput(datadir.resolve("stdout.log").toFile())
            .start();
    rpc = "http://127.0.0.1:" + port + "/";
    url = "http://breaker:s3cret-pass@127.0.0.1:" + port + "/";
    waitUntil(
        "litecoind answers on " + rpc,
        () -> {
          try {
            return call("getblockcount").isNumber();
          } catch (IOException notYet) {
            return false; // still starting: connection refused, or "Loading block index" (-28)
          }
        });
    call("createwallet", "\"miner\"");
    address = call("getnewaddress").asText();
    // Out of initial block download: regtest's genesis block is from 2011.
    call("generatetoaddress", "1, \"" + address + "\"");
    miner.scheduleWithFixedDelay(
        () -> {
          if (mining.get()) {
            try {
              call("generatetoaddress", "1, \"" + address + "\"");
            } catch (IOException | InterruptedException | RuntimeException e) {
              // The next round tries again; a node that died fails the waits below.
            }
          }
        },
        0,
        500,
        TimeUnit.MILLISECONDS);
  }

  @AfterAll
  static void stopLitecoind() throws Exception {
    miner.shutdownNow();
    if (node != null) {
      node.destroy();
      if (!node.waitFor(20, TimeUnit.SECONDS)) {
        node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (datadir != null) {
      try (Stream<Path> files = Files.walk(datadir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private interface Check {
    boolean holds() throws InterruptedException;
  }

  /** Waits up to {@link #WAIT}; fails at once if litecoind dies meanwhile. */
  private static void waitUntil(String what, Check check) {
    Awaits.until(
        what + " (log: " + datadir.resolve("regtest/debug.log") + ")",
        WAIT,
        () -> {
          if (!node.isAlive()) {
            throw new AssertionError("litecoind exited (" + node.exitValue() + ") before " + what);
          }
          return check.holds();
        });
  }

  /** One JSON-RPC 1.0 call; an error answer throws. */
  static JsonNode call(String method, String... params) throws IOException, InterruptedException {
    String body =
        "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\""
            + method
            + "\",\"params\":["
            + String.join(",", params)
            + "]}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(rpc))
            .header("Content-Type", "application/json")
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString("breaker:s3cret-pass".getBytes(StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode node;
    try {
      node = JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new IOException("HTTP " + answer.statusCode() + ": " + answer.body(), e);
    }
    if (node == null || !node.path("error").isNull()) {
      throw new IOException(method + " failed: " + answer.body());
    }
    return node.path("result");
  }

  @Test
  void suspendsTokensWhenLitecoinStopsMiningAndResumesThemWhenItMinesAgain() throws Exception {
    assertThat(call("getblockhash", "0").asText()).isEqualTo(REGTEST_GENESIS);
    NetworkConfig litecoin =
        NetworkConfig.builder("litecoin-regtest")
            .protocol(Protocol.BITCOIN)
            .identity(REGTEST_GENESIS)
            .rpcUrls(url)
            .blockInterval(Duration.ofMillis(500))
            .haltAfter(Duration.ofSeconds(4))
            .pollInterval(Duration.ofMillis(250))
            .recovery(RecoveryRule.of(2, Duration.ofSeconds(1)))
            .build();
    // The same node, configured as Bitcoin mainnet: its genesis hash is not Litecoin's.
    NetworkConfig bitcoin =
        NetworkConfig.builder("bitcoin")
            .protocol(Protocol.BITCOIN)
            .identity("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f")
            .rpcUrls(url)
            .blockInterval(Duration.ofSeconds(1))
            .pollInterval(Duration.ofMillis(250))
            .build();
    TransitionQueue transitions = new TransitionQueue();
    mining.set(true);
    try (ChainBreaker breaker =
        ChainBreaker.builder()
            .network(litecoin)
            .network(bitcoin)
            .token("LTC", "litecoin-regtest")
            .token("BTC", "bitcoin")
            .build()) {
      breaker.events().onTokenTransition(transitions);
      breaker.start();
      transitions.await("LTC", WITHDRAWAL, ALLOWED, WAIT);
      long first = breaker.network("litecoin-regtest").head().number();
      waitUntil(
          "the engine saw litecoind's head advance 3 blocks past #" + first,
          () -> {
            var head = breaker.network("litecoin-regtest").head();
            return head != null && head.number() >= first + 3;
          });
      NetworkStatus seen = breaker.network("litecoin-regtest");
      assertThat(seen.health()).isEqualTo(NetworkHealth.HEALTHY);
      assertThat(seen.endpoints().get(0).url()).doesNotContain("s3cret");
      assertThat(breaker.network("bitcoin").endpoints().get(0).state())
          .isEqualTo(EndpointState.WRONG_CHAIN);
      assertThat(breaker.allowsDeposit("BTC")).isFalse();

      mining.set(false);
      TokenTransition halt = transitions.await("LTC", WITHDRAWAL, SUSPENDED, WAIT);
      assertThat(halt.reason()).isEqualTo(Reason.HALTED);
      assertThat(halt.head()).isEqualTo(call("getblockcount").asLong());
      assertThat(breaker.allowsDeposit("LTC")).isFalse();

      mining.set(true);
      transitions.await("LTC", DEPOSIT, RECOVERING, WAIT);
      transitions.await("LTC", DEPOSIT, ALLOWED, WAIT);
      transitions.await("LTC", WITHDRAWAL, ALLOWED, WAIT);
      assertThat(breaker.allowsWithdrawal("LTC")).isTrue();
    } finally {
      mining.set(false);
    }
  }
}
