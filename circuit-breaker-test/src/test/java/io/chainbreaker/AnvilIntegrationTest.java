package io.chainbreaker;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.BreakerState.RECOVERING;
import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.DEPOSIT;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * End to end against a real EVM node: Foundry's anvil (installed from npm by {@code
 * scripts/install-anvil.sh}) mining one block a second; interval mining switched off halts it,
 * switched on resumes it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AnvilIntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private Process anvil;
  private String url;
  private ChainBreaker breaker;
  private final TransitionQueue transitions = new TransitionQueue();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startAnvil() throws Exception {
    String path =
        RequiredTool.at(
                System.getProperty("anvil.path"),
                "anvil",
                "run scripts/install-anvil.sh (the README's test command does)"
                    + " or pass -Danvil.path=/path/to/anvil")
            .toString();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    anvil =
        new ProcessBuilder(
                path,
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--block-time",
                "1",
                "--chain-id",
                "31337",
                "--silent")
            .redirectErrorStream(true)
            .redirectOutput(File.createTempFile("anvil", ".log"))
            .start();
    url = "http://127.0.0.1:" + port;
    waitUntil(
        "anvil started on " + url,
        () -> {
          try {
            return rpc("eth_chainId", "[]").contains("0x7a69");
          } catch (IOException notYet) {
            return false; // anvil is still starting
          }
        });
  }

  private interface Check {
    boolean holds() throws InterruptedException;
  }

  /** Waits up to {@link #WAIT}; fails at once if anvil dies meanwhile. */
  private void waitUntil(String what, Check check) {
    Awaits.until(
        what,
        WAIT,
        () -> {
          if (!anvil.isAlive()) {
            throw new AssertionError("anvil exited (" + anvil.exitValue() + ") before " + what);
          }
          return check.holds();
        });
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (breaker != null) {
      breaker.close();
    }
    if (anvil == null) {
      return; // skipped: no anvil here
    }
    anvil.destroy();
    if (!anvil.waitFor(10, TimeUnit.SECONDS)) {
      anvil.destroyForcibly();
    }
  }

  private String rpc(String method, String params) throws IOException, InterruptedException {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void anvilReorgDeeperThanMaxReorgDepthSuspendsDepositsOnly() throws Exception {
    breaker =
        ChainBreaker.builder()
            .network(
                NetworkConfig.builder("anvil")
                    .chainId(31337)
                    .rpcUrls(url)
                    .blockInterval(Duration.ofSeconds(1))
                    .haltAfter(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .maxReorgDepth(2)
                    .build())
            .token("ETH", "anvil")
            .build();
    breaker.events().onTokenTransition(transitions);
    breaker.start();
    transitions.await("ETH", DEPOSIT, ALLOWED, WAIT);
    awaitNetworkHead(6);

    String answer = rpc("anvil_reorg", "[3, []]");
    assertThat(answer).doesNotContain("error");
    TokenTransition reorg = transitions.await("ETH", DEPOSIT, SUSPENDED, WAIT);
    assertThat(reorg.reason()).isEqualTo(Reason.DEEP_REORG);
    assertThat(reorg.detail()).contains("3 blocks deep");
    assertThat(breaker.allowsWithdrawal("ETH")).isTrue();
    assertThat(breaker.network("anvil").reorgs()).isEqualTo(1);
  }

  /** Waits until the engine has seen anvil mine up to {@code number}. */
  private void awaitNetworkHead(long number) throws InterruptedException {
    waitUntil(
        "the engine saw anvil reach block " + number,
        () -> {
          var head = breaker.snapshot().network("anvil").orElseThrow().head();
          return head != null && head.number() >= number;
        });
  }

  @Test
  void suspendsTokensWhenAnvilStopsMiningAndResumesThemWhenItMinesAgain() throws Exception {
    breaker =
        ChainBreaker.builder()
            .network(
                NetworkConfig.builder("anvil")
                    .chainId(31337)
                    .rpcUrls(url)
                    .blockInterval(Duration.ofSeconds(1))
                    .haltAfter(Duration.ofSeconds(4))
                    .pollInterval(Duration.ofMillis(250))
                    .recovery(RecoveryRule.of(2, Duration.ofSeconds(1)))
                    .build())
            .token("ETH", "anvil")
            .token("USDT", "anvil")
            .build();
    breaker.events().onTokenTransition(transitions);
    breaker.start();
    transitions.await("USDT", WITHDRAWAL, ALLOWED, WAIT);
    awaitNetworkHead(3);
    assertThat(breaker.snapshot().network("anvil").orElseThrow().health())
        .isEqualTo(NetworkHealth.HEALTHY);

    assertThat(rpc("evm_setIntervalMining", "[0]")).doesNotContain("error");
    TokenTransition halt = transitions.await("USDT", WITHDRAWAL, SUSPENDED, WAIT);
    assertThat(halt.reason()).isEqualTo(Reason.HALTED);
    assertThat(breaker.allowsDeposit("ETH")).isFalse();
    long haltedAt =
        Long.decode(
            rpc("eth_blockNumber", "[]").replaceAll(".*\"result\":\"(0x[0-9a-f]+)\".*", "$1"));
    assertThat(halt.head()).isEqualTo(haltedAt);

    assertThat(rpc("evm_setIntervalMining", "[1]")).doesNotContain("error");
    transitions.await("ETH", DEPOSIT, RECOVERING, WAIT);
    transitions.await("ETH", DEPOSIT, ALLOWED, WAIT);
    transitions.await("USDT", WITHDRAWAL, ALLOWED, WAIT);
    assertThat(breaker.allowsWithdrawal("USDT")).isTrue();
  }

  /**
   * A contract that answers any call as Chainlink's sequencer uptime feed answers {@code
   * latestRoundData()}: storage slots 0 to 4 (roundId, answer, startedAt, updatedAt,
   * answeredInRound) as five words. Runtime code: for each slot i, SLOAD(i) MSTORE(32 i); then
   * RETURN(0, 160).
   */
  private static final String FEED_CODE =
      "0x600054600052600154602052600254604052600354606052600454608052" + "60a06000f3";

  private static final String FEED = "0x00000000000000000000000000000000000fEED1";

  private void feedSlot(int slot, long value) throws Exception {
    String word = String.format("0x%064x", value);
    assertThat(rpc("anvil_setStorageAt", "[\"" + FEED + "\",\"0x" + slot + "\",\"" + word + "\"]"))
        .doesNotContain("error");
  }

  /** Sets the feed's status: answer 1 (down) or 0 (up), changed at {@code startedAt}. */
  private void feedStatus(long round, boolean down, long startedAt) throws Exception {
    feedSlot(0, round);
    feedSlot(1, down ? 1 : 0);
    feedSlot(2, startedAt);
    feedSlot(3, startedAt);
    feedSlot(4, round);
  }

  @Test
  @Timeout(120)
  void aSequencerFeedContractOnAnvilReportingDownSuspendsAtOnceAndItsGraceHoldsWithdrawals()
      throws Exception {
    assertThat(rpc("anvil_setCode", "[\"" + FEED + "\",\"" + FEED_CODE + "\"]"))
        .doesNotContain("error");
    long now = System.currentTimeMillis() / 1000;
    feedStatus(1, false, now - 7200); // up for two hours
    breaker =
        ChainBreaker.builder()
            .network(
                NetworkConfig.builder("anvil")
                    .chainId(31337)
                    .rpcUrls(url)
                    .blockInterval(Duration.ofSeconds(1))
                    .haltAfter(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .sequencerFeed(FEED)
                    .sequencerCheckInterval(Duration.ofMillis(200))
                    .sequencerGracePeriod(Duration.ofSeconds(3))
                    .recovery(RecoveryRule.of(1, Duration.ofMillis(200)))
                    .build())
            .token("ETH", "anvil")
            .build();
    breaker.events().onTokenTransition(transitions);
    breaker.start();
    transitions.await("ETH", WITHDRAWAL, ALLOWED, WAIT);

    long downAt = System.nanoTime();
    feedStatus(2, true, System.currentTimeMillis() / 1000);
    TokenTransition down = transitions.await("ETH", WITHDRAWAL, SUSPENDED, WAIT);
    assertThat(down.reason()).isEqualTo(Reason.SEQUENCER_DOWN);
    // Blocks still come (anvil mines every second): far before haltAfter's 30 s.
    assertThat(Duration.ofNanos(System.nanoTime() - downAt)).isLessThan(Duration.ofSeconds(10));
    assertThat(breaker.allowsDeposit("ETH")).isFalse();
    assertThat(breaker.network("anvil").health()).isEqualTo(NetworkHealth.HALTED);

    long upAt = System.currentTimeMillis() / 1000;
    feedStatus(3, false, upAt);
    transitions.await("ETH", DEPOSIT, ALLOWED, WAIT);
    assertThat(breaker.allowsWithdrawal("ETH")).as("held by the grace period").isFalse();
    assertThat(breaker.network("anvil").reason()).isEqualTo(Reason.SEQUENCER_GRACE);
    transitions.await("ETH", WITHDRAWAL, ALLOWED, WAIT);
    assertThat(System.currentTimeMillis() / 1000).isGreaterThanOrEqualTo(upAt + 3);
  }
}
