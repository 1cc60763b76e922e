package io.chainbreaker.benchmarks;

import io.chainbreaker.BreakerState;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.NetworkStatus;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.TokenTransition;
import io.chainbreaker.test.SimulatedChain;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How the engine behaves with many networks and tokens on one machine: threads, heap, CPU while
 * watching, and how late each halt is detected after {@code haltAfter}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.chainbreaker.benchmarks.ScaleHarness
 * [networks] [tokensPerNetwork]} (defaults 20 and 50). Every network is a simulated chain with two
 * HTTP endpoints on loopback producing a block every 200 ms; the engine polls every 200 ms and halts
 * after 2 s. Half of the networks are then halted at once.
 */
public final class ScaleHarness {

  private ScaleHarness() {}

  /** Runs the harness and prints its figures. */
  public static void main(String[] args) throws Exception {
    int networks = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int tokensPerNetwork = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Duration interval = Duration.ofMillis(200);
    Duration haltAfter = Duration.ofSeconds(2);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    List<SimulatedChain> chains = new ArrayList<>();
    ChainBreaker.Builder builder = ChainBreaker.builder();
    for (int n = 0; n < networks; n++) {
      SimulatedChain chain = SimulatedChain.builder().chainId(1000 + n).build();
      chain.produceBlocks(interval);
      chains.add(chain);
      String name = "net" + n;
      builder.network(NetworkConfig.builder(name).chainId(1000 + n)
          .rpcUrls(chain.endpoint().url(), chain.addEndpoint().url())
          .blockInterval(interval).haltAfter(haltAfter).pollInterval(interval)
          .recovery(RecoveryRule.of(3, Duration.ofSeconds(1)))
          .build());
      for (int t = 0; t < tokensPerNetwork; t++) {
        builder.token("T" + n + "_" + t, name);
      }
    }
    int tokens = networks * tokensPerNetwork;
    CountDownLatch allowed = new CountDownLatch(tokens * 2);
    Map<String, Instant> suspendedAt = new ConcurrentHashMap<>();
    CountDownLatch suspended = new CountDownLatch(networks / 2 * tokensPerNetwork * 2);
    ChainBreaker breaker = builder.build();
    breaker.events().onTokenTransition((TokenTransition t) -> {
      if (t.to() == BreakerState.ALLOWED) {
        allowed.countDown();
      } else if (t.to() == BreakerState.SUSPENDED && t.reason() == io.chainbreaker.Reason.HALTED) {
        suspendedAt.putIfAbsent(t.network(), t.at());
        suspended.countDown();
      }
    });
    long started = System.nanoTime();
    breaker.start();
    if (!allowed.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every token was allowed within 60 s");
    }
    long toAllowedMs = (System.nanoTime() - started) / 1_000_000;
    long engineThreads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("chain-breaker-") || t.getName().startsWith("OkHttp"))
        .count();

    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long processCpuBefore = os.getProcessCpuTime();
    long wallBefore = System.nanoTime();
    Thread.sleep(10_000);
    double cpuShare = (os.getProcessCpuTime() - processCpuBefore)
        / (double) (System.nanoTime() - wallBefore);
    System.gc();
    long heapMb = memory.getHeapMemoryUsage().getUsed() / (1024 * 1024);

    for (int n = 0; n < networks / 2; n++) {
      chains.get(n).halt();
    }
    if (!suspended.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every halted token was suspended within 60 s");
    }
    List<Long> lateMs = new ArrayList<>();
    for (NetworkStatus s : breaker.snapshot().networks()) {
      Instant at = suspendedAt.get(s.name());
      if (at != null && s.headAdvancedAt() != null) {
        lateMs.add(Duration.between(s.headAdvancedAt().plus(haltAfter), at).toMillis());
      }
    }
    Collections.sort(lateMs);
    breaker.close();
    chains.forEach(SimulatedChain::close);

    System.out.printf("networks=%d endpoints=%d tokens=%d breakers=%d%n", networks, networks * 2,
        tokens, tokens * 2);
    System.out.printf("all allowed after start: %d ms%n", toAllowedMs);
    System.out.printf("engine threads (chain-breaker-*, OkHttp*): %d%n", engineThreads);
    System.out.printf("heap used after GC (engine + %d simulated chains): %d MB%n", networks,
        heapMb);
    System.out.printf("process CPU while watching (engine + chains, %d polls/s): %.1f%% of one core%n",
        networks * 2 * 1000 / interval.toMillis(), cpuShare * 100);
    System.out.printf("halt detection after haltAfter, %d networks: median %d ms, max %d ms%n",
        lateMs.size(), lateMs.get(lateMs.size() / 2), lateMs.get(lateMs.size() - 1));
  }
}
