package io.chainbreaker.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.chainbreaker.chain.PollBenchmark;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One non-blocking JSON-RPC exchange (a 12 KB block answer) over a kept-alive local connection,
 * through the JDK {@link HttpClient} the engine uses and through OkHttp's async calls (which web3j
 * brings): time and, with {@code -prof gc}, bytes per exchange. The in-process server's own
 * allocation is included and is the same for both.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class HttpClientBenchmark {

  private static final byte[] REQUEST =
      "{\"jsonrpc\":\"2.0\",\"method\":\"eth_getBlockByNumber\",\"params\":[\"latest\",false],\"id\":1}"
          .getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private ExecutorService serverThreads;
  private ExecutorService clientThreads;
  private HttpClient jdk;
  private OkHttpClient okhttp;
  private URI uri;

  /** Starts the server and both clients. */
  @Setup
  public void setUp() throws IOException {
    byte[] answer = PollBenchmark.blockAnswer(150);
    server =
        HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    serverThreads = Executors.newFixedThreadPool(2);
    server.setExecutor(serverThreads);
    server.start();
    uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    clientThreads = Executors.newFixedThreadPool(2);
    jdk =
        HttpClient.newBuilder()
            .executor(clientThreads)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    okhttp = new OkHttpClient.Builder().build();
  }

  /** Stops everything. */
  @TearDown
  public void tearDown() {
    server.stop(0);
    serverThreads.shutdownNow();
    clientThreads.shutdownNow();
    okhttp.dispatcher().executorService().shutdownNow();
    okhttp.connectionPool().evictAll();
  }

  /** The JDK client's {@code sendAsync}, the body read into a byte array. */
  @Benchmark
  public byte[] jdkHttpClient() {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(REQUEST))
            .build();
    return jdk.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).join().body();
  }

  /** OkHttp's {@code enqueue}, completed into a future as the engine would. */
  @Benchmark
  public byte[] okHttpAsync() {
    okhttp3.Request request =
        new okhttp3.Request.Builder()
            .url(uri.toString())
            .post(RequestBody.create(REQUEST, MediaType.get("application/json")))
            .build();
    CompletableFuture<byte[]> body = new CompletableFuture<>();
    okhttp
        .newCall(request)
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                body.completeExceptionally(e);
              }

              @Override
              public void onResponse(Call call, Response response) throws IOException {
                try (ResponseBody b = response.body()) {
                  body.complete(b == null ? new byte[0] : b.bytes());
                }
              }
            });
    return body.join();
  }
}
