package io.chainbreaker.test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One RPC provider: a host that serves many {@link SimulatedChain}s, each at a path of its own (the
 * way one gateway serves every chain at {@code https://gateway/eth/KEY}, {@code
 * https://gateway/bsc/KEY}), with a latency and faults that apply to all of them at once.
 *
 * <p>It answers like a remote provider without a thread per request: each request is answered
 * {@link #latency(Duration)} after it arrived, from a timer, and while the provider {@link
 * #hang()}s, requests are held open unanswered (the client's deadline must end them), all on a
 * handful of threads, so thousands of endpoints fit in one process:
 *
 * <pre>{@code
 * try (SimulatedProvider gateway = SimulatedProvider.start().latency(Duration.ofMillis(150))) {
 *   SimulatedChain chain = SimulatedChain.builder().chainId(8217).build();
 *   String url = chain.addEndpoint(gateway, "klaytn").url(); // http://127.0.0.1:PORT/klaytn/
 *   gateway.hang(); // every chain served by this provider stops answering
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class SimulatedProvider implements AutoCloseable {

  /** The longest a hanging provider holds a request before it drops the connection. */
  public static final Duration MAX_HOLD = Duration.ofSeconds(10);

  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledExecutorService timer;
  private final List<Runnable> held = new ArrayList<>(); // guarded by this
  private volatile Duration latency = Duration.ZERO;
  private volatile boolean hanging;

  private SimulatedProvider(HttpServer server) {
    this.server = server;
    AtomicInteger n = new AtomicInteger();
    this.handlers =
        Executors.newFixedThreadPool(
            2,
            r ->
                daemon(
                    r,
                    "simulated-provider-"
                        + server.getAddress().getPort()
                        + "-"
                        + n.incrementAndGet()));
    this.timer =
        Executors.newScheduledThreadPool(
            2,
            r ->
                daemon(
                    r,
                    "simulated-provider-timer-"
                        + server.getAddress().getPort()
                        + "-"
                        + n.incrementAndGet()));
    server.setExecutor(handlers);
    server.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Starts a provider on a free loopback port. */
  public static SimulatedProvider start() {
    try {
      return new SimulatedProvider(
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot bind a loopback port for a simulated provider: " + e.getMessage(), e);
    }
  }

  /** The provider's base URL, e.g. {@code http://127.0.0.1:43121/}. */
  public String url() {
    InetSocketAddress address = server.getAddress();
    return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/";
  }

  /** Answers every request this long after it arrived, like a provider far away. */
  public SimulatedProvider latency(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative but was " + latency);
    }
    this.latency = latency;
    return this;
  }

  /**
   * Holds every request open without answering, until {@link #healthy()} or {@link #close()}, or
   * for at most {@link #MAX_HOLD}, after which the connection is dropped unanswered, as a load
   * balancer in front of a stuck node does (and so that a client's abandoned requests do not pile
   * up as open connections in this process).
   */
  public SimulatedProvider hang() {
    hanging = true;
    return this;
  }

  /** Answers again, after the latency; requests held meanwhile are answered now. */
  public SimulatedProvider healthy() {
    List<Runnable> release;
    synchronized (this) {
      hanging = false;
      release = new ArrayList<>(held);
      held.clear();
    }
    release.forEach(timer::execute);
    return this;
  }

  SimulatedEndpoint serve(SimulatedChain chain, String name) {
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(
          "a provider path must be letters, digits, '_', '.' or" + " '-' but was '" + name + "'");
    }
    return new SimulatedEndpoint(chain, this, server, "/" + name + "/");
  }

  /** Sends the answer after the latency, or holds it while hanging. */
  void answerLater(HttpExchange exchange, IoTask answer) {
    Runnable send =
        () -> {
          try {
            answer.run();
          } catch (IOException e) {
            exchange.close(); // the client gave up: nothing to tell it
          }
        };
    synchronized (this) {
      if (hanging) {
        held.add(send);
        var unused =
            timer.schedule(
                () -> {
                  synchronized (this) {
                    if (!held.remove(send)) {
                      return;
                    }
                  }
                  exchange.close();
                },
                MAX_HOLD.toMillis(),
                TimeUnit.MILLISECONDS);
        return;
      }
    }
    long nanos = latency.toNanos();
    if (nanos == 0) {
      send.run();
    } else {
      var unused = timer.schedule(send, nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Stops the server; requests held are dropped. */
  @Override
  public void close() {
    synchronized (this) {
      held.clear();
    }
    server.stop(0);
    timer.shutdownNow();
    handlers.shutdownNow();
  }

  /** Work that may fail with an {@link IOException}. */
  interface IoTask {
    void run() throws IOException;
  }
}
