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
}
