package io.chainbreaker;

import static io.chainbreaker.BreakerState.ALLOWED;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadStream;
import io.chainbreaker.chain.RpcUrl;
import io.chainbreaker.chain.Web3jHeadSources;
import io.chainbreaker.test.Awaits;
import io.chainbreaker.test.SimulatedChain;
import io.chainbreaker.test.SimulatedProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The I/O model over real HTTP and WebSocket: a provider that hangs holds only its own endpoints,
 * and a WebSocket server cannot make the engine read a message larger than the limit.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ProviderFaultsIntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aHangingProviderNeverSuspendsANetworkThatStillHasAHealthyEndpoint() throws Exception {
    int networks = 20;
    List<SimulatedChain> chains = new ArrayList<>();
    try (SimulatedProvider a = SimulatedProvider.start().latency(Duration.ofMillis(100));
        SimulatedProvider b = SimulatedProvider.start().latency(Duration.ofMillis(100))) {
      ChainBreaker.Builder builder = ChainBreaker.builder();
      for (int n = 0; n < networks; n++) {
        SimulatedChain chain = SimulatedChain.builder().chainId(5000 + n).build();
        chain.produceBlocks(Duration.ofMillis(250));
        chains.add(chain);
        builder.network(
            NetworkConfig.builder("net" + n)
                .chainId(5000 + n)
                .rpcUrls(
                    chain.addEndpoint(a, "net" + n).url(), chain.addEndpoint(b, "net" + n).url())
                .blockInterval(Duration.ofMillis(250))
                .pollInterval(Duration.ofMillis(250))
                .haltAfter(Duration.ofSeconds(3))
                .build());
        builder.token("T" + n, "net" + n);
      }
      try (ChainBreaker breaker = builder.build()) {
        java.util.concurrent.CountDownLatch allowed =
            new java.util.concurrent.CountDownLatch(networks);
        breaker
            .events()
            .onTokenTransition(
                t -> {
                  if (t.direction() == WITHDRAWAL && t.to() == ALLOWED) {
                    allowed.countDown();
                  }
                });
        breaker.start();
        assertThat(allowed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        List<TokenTransition> suspended = new CopyOnWriteArrayList<>();
        breaker
            .events()
            .onTokenTransition(
                t -> {
                  if (t.to() != ALLOWED) {
                    suspended.add(t);
                  }
                });

        b.hang();
        // Three times haltAfter: every B endpoint times out, A carries every head.
        Awaits.holdsFor("no token suspended", Duration.ofSeconds(9), suspended::isEmpty);

        for (NetworkStatus s : breaker.snapshot().networks()) {
          assertThat(s.endpoints().get(1).state()).as(s.name()).isEqualTo(EndpointState.FAILING);
          assertThat(s.endpoints().get(1).lastError()).contains("timed out after PT1S");
          assertThat(s.endpoints().get(0).state()).as(s.name()).isEqualTo(EndpointState.OK);
          assertThat(Duration.between(s.headAdvancedAt(), breaker.snapshot().takenAt()))
              .as(s.name())
              .isLessThan(Duration.ofSeconds(3));
        }
        b.healthy();
      }
    } finally {
      chains.forEach(SimulatedChain::close);
    }
  }

  @Test
  void anEndpointThatStartsServingAnotherChainIsCheckedBeforeItsLeapCounts() throws Exception {
    try (SimulatedProvider provider = SimulatedProvider.start();
        SimulatedChain ours = SimulatedChain.builder().chainId(8217).firstBlock(1000).build();
        SimulatedChain other = SimulatedChain.builder().chainId(1).firstBlock(5_000_000).build()) {
      ours.produceBlocks(Duration.ofMillis(200));
      other.produceBlocks(Duration.ofMillis(200));
      io.chainbreaker.test.SimulatedEndpoint endpoint = ours.addEndpoint(provider, "node");
      List<NetworkHealthChange> changes = new CopyOnWriteArrayList<>();
      java.util.concurrent.CountDownLatch allowed = new java.util.concurrent.CountDownLatch(1);
      try (ChainBreaker breaker =
          ChainBreaker.builder()
              .network(
                  NetworkConfig.builder("klaytn")
                      .chainId(8217)
                      .rpcUrls(endpoint.url())
                      .blockInterval(Duration.ofMillis(200))
                      .pollInterval(Duration.ofMillis(200))
                      .haltAfter(Duration.ofSeconds(3))
                      .build())
              .token("PXL", "klaytn")
              .build()) {
        breaker
            .events()
            .onNetworkHealthChange(changes::add)
            .onTokenTransition(
                t -> {
                  if (t.direction() == WITHDRAWAL && t.to() == ALLOWED) {
                    allowed.countDown();
                  }
                });
        breaker.start();
        assertThat(allowed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        // The same URL now serves another chain, five million blocks ahead.
        endpoint.close();
        other.addEndpoint(provider, "node");
        Awaits.until(
            "the endpoint is WRONG_CHAIN",
            Duration.ofSeconds(5),
            () ->
                breaker.network("klaytn").endpoints().get(0).state() == EndpointState.WRONG_CHAIN);

        NetworkStatus s = breaker.network("klaytn");
        assertThat(s.endpoints().get(0).state()).isEqualTo(EndpointState.WRONG_CHAIN);
        assertThat(s.head().number()).isLessThan(5_000_000L);
        assertThat(s.reorgs()).isZero();
        assertThat(changes).noneMatch(c -> c.reason() == Reason.DEEP_REORG);
      }
    }
  }

  @Test
  void aWebSocketFrameAnnouncingGigabytesIsCutAtTheLimit() throws Exception {
    AtomicLong sent = new AtomicLong();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Web3jHeadSources sources = new Web3jHeadSources(64 * 1024)) {
      Thread serving = new Thread(() -> serveOneHugeFrame(server, sent), "huge-frame-server");
      serving.setDaemon(true);
      serving.start();
      List<String> problems = new CopyOnWriteArrayList<>();
      List<BlockHead> heads = new CopyOnWriteArrayList<>();
      String url = "ws://127.0.0.1:" + server.getLocalPort() + "/ws/v3/wskey0123456789abcdef";
      NetworkConfig network =
          NetworkConfig.builder("klaytn").chainId(8217).rpcUrls("http://127.0.0.1:1/").build();
      HeadStream stream =
          sources.subscribe(
              network.sourceSettings(),
              RpcUrl.parseWebSocket(url),
              new HeadStream.Listener() {
                @Override
                public void onHead(BlockHead head) {
                  heads.add(head);
                }

                @Override
                public void onSubscribed() {}

                @Override
                public void onProblem(String problem) {
                  problems.add(problem);
                }
              });
      serving.join(WAIT.toMillis());
      stream.close();

      assertThat(problems).anyMatch(p -> p.contains("exceeds the limit of 65536 bytes"));
      assertThat(problems).allMatch(p -> !p.contains("wskey0123456789abcdef"));
      assertThat(heads).isEmpty();
      // The client dropped the connection soon after the limit, not after 1.5 GB.
      assertThat(sent.get()).isLessThan(64L * 1024 * 1024);
    }
  }

  /** Answers the handshake and the subscription, then sends a frame announcing 1.5 GB. */
  private static void serveOneHugeFrame(ServerSocket server, AtomicLong sent) {
    try (Socket s = server.accept()) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      String key = null;
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c >= 0; c = in.read()) {
        if (c == '\n') {
          String l = line.toString().trim();
          if (l.isEmpty()) {
            break;
          }
          if (l.toLowerCase().startsWith("sec-websocket-key:")) {
            key = l.substring(l.indexOf(':') + 1).trim();
          }
          line.setLength(0);
        } else {
          line.append((char) c);
        }
      }
      String accept =
          Base64.getEncoder()
              .encodeToString(
                  MessageDigest.getInstance("SHA-1")
                      .digest(
                          (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                              .getBytes(StandardCharsets.US_ASCII)));
      out.write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                  + "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                  + accept
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] reply =
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x1\"}".getBytes(StandardCharsets.US_ASCII);
      out.write(new byte[] {(byte) 0x81, (byte) reply.length});
      out.write(reply);
      long huge = 1_500_000_000L;
      byte[] header = new byte[10];
      header[0] = (byte) 0x81;
      header[1] = 127;
      for (int i = 0; i < 8; i++) {
        header[2 + i] = (byte) (huge >>> (56 - 8 * i));
      }
      out.write(header);
      byte[] chunk = new byte[16 * 1024];
      java.util.Arrays.fill(chunk, (byte) 'a');
      for (long written = 0; written < huge; written += chunk.length) {
        out.write(chunk);
        sent.addAndGet(chunk.length);
      }
    } catch (Exception e) {
      // The client hung up: the expected ending.
    }
  }
}
