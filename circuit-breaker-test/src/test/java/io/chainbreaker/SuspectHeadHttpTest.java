package io.chainbreaker;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chainbreaker.test.SimulatedChain;
import io.chainbreaker.test.TransitionQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One bad answer over real HTTP: the only endpoint of a network sits behind a gateway that, for one
 * poll, routes to a backend 20,000 blocks ahead of the chain (the same chain, history and genesis,
 * but 2,000 s of blocks ahead at a 100 ms cadence, within one poll), then back to the truthful
 * backend. The network never takes that head, and stays healthy.
 */
@Timeout(60)
class SuspectHeadHttpTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private SimulatedChain truthful;
  private SimulatedChain bogus;
  private Gateway gateway;
  private ChainBreaker breaker;
  private final TransitionQueue transitions = new TransitionQueue();

  @AfterEach
  void close() {
    for (AutoCloseable c : new AutoCloseable[] {breaker, gateway, truthful, bogus}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Protocol.class,
      names = {"EVM", "SOLANA"})
  void aSingleAnswerFarAheadFromTheOnlyEndpointNeverPinsTheNetworkHead(Protocol protocol)
      throws Exception {
    truthful = SimulatedChain.builder().chainId(4).firstBlock(1_000).build();
    truthful.produceBlocks(Duration.ofMillis(100));
    bogus = SimulatedChain.builder().chainId(4).firstBlock(1_000).build();
    gateway = new Gateway(truthful.endpoint().url(), bogus.endpoint().url());
    String name = "net-" + protocol.name().toLowerCase(Locale.ROOT);
    NetworkConfig network =
        NetworkConfig.builder(name)
            .protocol(protocol)
            .identity(truthful.identity(protocol.name()))
            .blockInterval(Duration.ofMillis(100))
            .haltAfter(Duration.ofMillis(1500))
            .pollInterval(Duration.ofMillis(100))
            .requestTimeout(Duration.ofMillis(500))
            .recovery(RecoveryRule.of(3, Duration.ofMillis(300)))
            .rpcUrls(gateway.url())
            .build();
    String log =
        LogCapture.of(
            () -> {
              breaker = ChainBreaker.builder().network(network).token("USDT", name).build();
              breaker.events().onTokenTransition(transitions);
              breaker.start();
              transitions.await("USDT", WITHDRAWAL, ALLOWED, WAIT);

              bogus.mine((int) (truthful.head().number() - bogus.head().number()) + 20_000);
              gateway.divert(3); // one poll's answers (a head, and what checking it asks)
              while (gateway.diverting()) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
              }
              long until = System.nanoTime() + Duration.ofSeconds(4).toNanos(); // > haltAfter x2
              while (System.nanoTime() < until) {
                long networkHead = breaker.network(name).head().number();
                assertThat(networkHead).isLessThanOrEqualTo(truthful.head().number());
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
              }
            });

    assertThat(gateway.diverted()).isPositive();
    assertThat(log).contains("held as suspect");
    NetworkStatus n = breaker.network(name);
    assertThat(n.health()).isEqualTo(NetworkHealth.HEALTHY);
    assertThat(n.head().number())
        .isGreaterThan(1_000)
        .isLessThanOrEqualTo(truthful.head().number());
    assertThat(n.endpoints()).extracting(EndpointStatus::state).containsExactly(EndpointState.OK);
    assertThat(breaker.allowsWithdrawal("USDT")).isTrue();
    assertThat(breaker.allowsDeposit("USDT")).isTrue();
  }

  /** A gateway forwarding each request to the truthful backend, or to the bogus one for a while. */
  static final class Gateway implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final String truthful;
    private final String bogus;
    private final AtomicInteger toDivert = new AtomicInteger();
    private final AtomicInteger diverted = new AtomicInteger();

    Gateway(String truthful, String bogus) throws IOException {
      this.truthful = truthful;
      this.bogus = bogus;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", this::forward);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Routes the next {@code requests} requests to the bogus backend. */
    void divert(int requests) {
      toDivert.set(requests);
    }

    boolean diverting() {
      return toDivert.get() > 0;
    }

    int diverted() {
      return diverted.get();
    }

    private void forward(HttpExchange exchange) throws IOException {
      try (exchange) {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
          body = in.readAllBytes();
        }
        boolean divert = toDivert.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        if (divert) {
          diverted.incrementAndGet();
        }
        String target = divert ? bogus : truthful;
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(target).resolve(exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(2))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null) {
          request.header("Content-Type", type);
        }
        HttpResponse<byte[]> answer;
        try {
          answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer.body());
        }
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
