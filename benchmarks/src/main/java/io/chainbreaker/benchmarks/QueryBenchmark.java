package io.chainbreaker.benchmarks;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.TokenHandle;
import io.chainbreaker.TokenId;
import io.chainbreaker.TokenSuspendedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The question service code asks before every deposit and withdrawal, next to Resilience4j's {@code
 * tryAcquirePermission()} in the same run. 300 tokens are configured (USDT on three networks among
 * them) so that the lookup by symbol works on a realistically sized map; the engine is not started,
 * so no monitor thread competes and the states are set by overrides: PXL allowed, DTA suspended.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class QueryBenchmark {

  private ChainBreaker breaker;
  private TokenHandle pxl;
  private String allowedSymbol;
  private String suspendedSymbol;
  private String usdt;
  private String tron;
  private TokenId usdtOnTron;
  private CircuitBreaker r4jClosed;
  private CircuitBreaker r4jForcedOpen;

  /** Builds the engine and the peer breakers. */
  @Setup(Level.Trial)
  public void setUp() {
    ChainBreaker.Builder builder =
        ChainBreaker.builder()
            .network(
                NetworkConfig.builder("klaytn")
                    .chainId(8217)
                    .rpcUrls("http://127.0.0.1:1/")
                    .build())
            .network(
                NetworkConfig.builder("ethereum").chainId(1).rpcUrls("http://127.0.0.1:2/").build())
            .network(
                NetworkConfig.builder("tron")
                    .preset(io.chainbreaker.NetworkPreset.TRON)
                    .rpcUrls("http://127.0.0.1:3/")
                    .build());
    for (int i = 0; i < 294; i++) {
      builder.token("TOKEN" + i, "klaytn");
    }
    // One asset on three networks: the pair lookup walks its (short) list of networks.
    builder.token("USDT", "ethereum").token("USDT", "klaytn").token("USDT", "tron");
    breaker = builder.token("COSM", "klaytn").token("DTA", "klaytn").token("PXL", "klaytn").build();
    breaker.forceAllow("PXL", Direction.WITHDRAWAL, "bench", "benchmark", null);
    breaker.forceSuspend("DTA", Direction.WITHDRAWAL, "bench", "benchmark", null);
    pxl = breaker.token("PXL");
    // Fresh strings, as a request would carry them, not the interned literals of the config.
    allowedSymbol = new String("PXL".toCharArray());
    suspendedSymbol = new String("DTA".toCharArray());
    usdt = new String("USDT".toCharArray());
    tron = new String("tron".toCharArray());
    usdtOnTron = TokenId.parse(new String("USDT@tron".toCharArray()));
    r4jClosed = CircuitBreaker.of("peer", CircuitBreakerConfig.ofDefaults());
    r4jForcedOpen = CircuitBreaker.of("peer-open", CircuitBreakerConfig.ofDefaults());
    r4jForcedOpen.transitionToForcedOpenState();
  }

  /** Closes the engine. */
  @TearDown(Level.Trial)
  public void tearDown() {
    breaker.close();
  }

  /** A held handle, allowed token. */
  @Benchmark
  public boolean handleAllowed() {
    return pxl.allowsWithdrawal();
  }

  /** By symbol, allowed token. */
  @Benchmark
  public boolean bySymbolAllowed() {
    return breaker.allowsWithdrawal(allowedSymbol);
  }

  /** By symbol given as a literal, the same instance as in the configuration. */
  @Benchmark
  public boolean bySymbolLiteralAllowed() {
    return breaker.allowsWithdrawal("PXL");
  }

  /** By symbol and network (fresh strings), an asset on three networks, the last of them. */
  @Benchmark
  public boolean bySymbolAndNetworkAllowed() {
    return breaker.allowsWithdrawal(usdt, tron);
  }

  /** By a {@link TokenId} parsed once from a request, the same token as the pair above. */
  @Benchmark
  public boolean byTokenIdAllowed() {
    return breaker.allowsWithdrawal(usdtOnTron);
  }

  /** By symbol, suspended token, boolean answer. */
  @Benchmark
  public boolean bySymbolSuspended() {
    return breaker.allowsWithdrawal(suspendedSymbol);
  }

  /** By symbol, suspended token, {@code checkWithdrawal} throwing. */
  @Benchmark
  public @Nullable Object bySymbolSuspendedThrowing() {
    try {
      breaker.checkWithdrawal(suspendedSymbol);
      return null;
    } catch (TokenSuspendedException e) {
      return e;
    }
  }

  /** The peer: Resilience4j {@code tryAcquirePermission()} on a CLOSED breaker. */
  @Benchmark
  public boolean resilience4jClosed() {
    return r4jClosed.tryAcquirePermission();
  }

  /** The peer: Resilience4j {@code tryAcquirePermission()} on a FORCED_OPEN breaker. */
  @Benchmark
  public boolean resilience4jForcedOpen() {
    return r4jForcedOpen.tryAcquirePermission();
  }
}
