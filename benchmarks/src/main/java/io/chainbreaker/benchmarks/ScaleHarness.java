package io.chainbreaker.benchmarks;

import io.chainbreaker.BreakerState;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.EndpointStatus;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.NetworkStatus;
import io.chainbreaker.Reason;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.TokenTransition;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How fresh the engine's view of many networks stays, at what cost, and how late it catches a real
 * halt, measured against the chains as they really are.
 *
 * <p>The chains run in a child process ({@link ChainFarm}), so the figures are the engine's alone:
 * every network is a simulated chain served by two providers, A and B, each answering after a
 * latency like a remote provider. The harness starts the engine, waits until every token is
 * allowed, then:
 *
 * <ol>
 *   <li>watches for {@code watch} seconds, sampling every network's head age (time since the engine
 *       last saw its head advance) every 250 ms, and counting every suspension (all false);
 *   <li>if {@code hang} is set, makes provider B hold every request open for {@code watch} seconds:
 *       every network still has a healthy endpoint at A, so every suspension is false;
 *   <li>halts {@code halts} chains at once and measures, per network, the time from its last real
 *       block (as the chain made it) plus {@code haltAfter} to the suspension.
 * </ol>
 *
 * <p>Run (after {@code ./mvnw -q -DskipTests package}): {@code java -Xmx256m -cp
 * benchmarks/target/benchmarks.jar io.chainbreaker.benchmarks.ScaleHarness networks=1000
 * latency=150 poll=1000 block=2000 haltAfter=30 watch=120 halts=100 hang=true plan=alchemy}. Every
 * setting has that default except {@code watch} (60); {@code poll=default} leaves the cadence to
 * the engine ({@code haltLateness}). Besides freshness and halts it prints the whole JVM's CPU
 * (process CPU time and {@code getProcessCpuLoad}), GC, allocation, heap, the machine's load
 * average, and the projected cost per provider.
 */
public final class ScaleHarness {

  private ScaleHarness() {}

  /** Runs the harness and prints its figures. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>();
    for (String a : args) {
      String[] kv = a.split("=", 2);
      opt.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    int networks = Integer.parseInt(opt.getOrDefault("networks", "1000"));
    long latency = Long.parseLong(opt.getOrDefault("latency", "150"));
    // poll=default leaves the cadence to the engine (haltLateness).
    String pollOption = opt.getOrDefault("poll", "1000");
    Duration poll =
        pollOption.equals("default") ? null : Duration.ofMillis(Long.parseLong(pollOption));
    io.chainbreaker.RpcPlan plan =
        io.chainbreaker.RpcPlan.named(opt.getOrDefault("plan", "alchemy"));
    Duration block = Duration.ofMillis(Long.parseLong(opt.getOrDefault("block", "2000")));
    Duration haltAfter = Duration.ofSeconds(Long.parseLong(opt.getOrDefault("haltAfter", "30")));
    int watch = Integer.parseInt(opt.getOrDefault("watch", "60"));
    int halts = Integer.parseInt(opt.getOrDefault("halts", "100"));
    boolean hang = Boolean.parseBoolean(opt.getOrDefault("hang", "true"));
    int tokensPerNetwork = 2;

    Process farm = startFarm(networks, block.toMillis(), latency);
    BufferedReader farmOut =
        new BufferedReader(new InputStreamReader(farm.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter farmIn = new PrintWriter(farm.getOutputStream(), true, StandardCharsets.UTF_8);
    String ready = farmOut.readLine();
    if (ready == null || !ready.startsWith("READY ")) {
      throw new IllegalStateException("the chain farm did not start: " + ready);
    }
    String[] urls = ready.split(" ", -1);

    ChainBreaker.Builder builder = ChainBreaker.builder();
    for (int n = 0; n < networks; n++) {
      String name = "net" + n;
      NetworkConfig.Builder b =
          NetworkConfig.builder(name)
              .chainId(1000 + n)
              .rpcUrls(urls[1] + name + "/", urls[2] + name + "/")
              .blockInterval(block)
              .haltAfter(haltAfter)
              .rpcPlan(plan)
              .recovery(RecoveryRule.of(3, Duration.ofSeconds(1)));
      if (poll != null) {
        b.pollInterval(poll);
      }
      builder.network(b.build());
      for (int t = 0; t < tokensPerNetwork; t++) {
        builder.token("T" + n + "_" + t, name);
      }
    }
    int tokens = networks * tokensPerNetwork;
    CountDownLatch allowed = new CountDownLatch(tokens * 2);
    Map<String, Instant> haltedAt = new ConcurrentHashMap<>();
    AtomicInteger suspensions = new AtomicInteger();
    Map<String, Reason> suspendedWhy = new ConcurrentHashMap<>();
    ChainBreaker breaker = builder.build();
    breaker
        .events()
        .onTokenTransition(
            (TokenTransition t) -> {
              if (t.to() == BreakerState.ALLOWED) {
                allowed.countDown();
              } else if (t.to() == BreakerState.SUSPENDED) {
                suspensions.incrementAndGet();
                suspendedWhy.putIfAbsent(t.network(), t.reason());
                if (t.reason() == Reason.HALTED) {
                  haltedAt.putIfAbsent(t.network(), t.at());
                }
              }
            });
    long started = System.nanoTime();
    breaker.start();
    if (!allowed.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "not every token was allowed within 120 s; " + allowed.getCount() + " breakers left");
    }
    long toAllowedMs = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(
        "networks=%d endpoints=%d tokens=%d latency=%d ms poll=%s block=%s haltAfter=%s"
            + " plan=%s; load average at start %.2f%n",
        networks,
        networks * 2,
        tokens,
        latency,
        breaker.catalog().networks().get(0).pollInterval(),
        block,
        haltAfter,
        plan.name(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf("all allowed after start: %d ms%n", toAllowedMs);

    suspensions.set(0);
    suspendedWhy.clear();
    Phase watching = watch(breaker, watch);
    System.out.printf(
        "watching %d s: head age p50 %d ms, p99 %d ms, max %d ms; false" + " suspensions %d%n",
        watch, watching.p(50), watching.p(99), watching.max(), suspensions.get());
    System.out.printf(
        "CPU: engine threads %.1f%% of one core, whole process (GC, JIT and the"
            + " harness included) %.1f%%; heap after GC %d MB; threads: %d in the JVM, %d of the"
            + " engine%n",
        watching.engineCpu * 100,
        watching.cpu * 100,
        watching.heapMb,
        watching.threads,
        watching.engineThreads);
    System.out.printf(
        "requests per endpoint-minute: %.1f (%.0f per second in all)%n",
        watching.requestsPerEndpointMinute, watching.requestsPerEndpointMinute * networks * 2 / 60);
    System.out.printf(
        "whole JVM: process CPU load (OperatingSystemMXBean.getProcessCpuLoad, sampled) mean"
            + " %.1f%% of one core; GC %d collections, %d ms (%.1f%% of the time); allocation"
            + " %.1f MB/s (%,.0f bytes per request); heap used max %d MB (after GC %d MB);"
            + " load average at end %.2f%n",
        watching.cpuLoad * 100,
        watching.gcCount,
        watching.gcMillis,
        watching.gcMillis / (watch * 10.0),
        watching.allocatedBytesPerSecond / 1e6,
        watching.allocatedBytesPerSecond
            / Math.max(1, watching.requestsPerEndpointMinute * networks * 2 / 60),
        watching.heapMaxMb,
        watching.heapMb,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    for (io.chainbreaker.ProviderCost pc : breaker.snapshot().providers()) {
      System.out.printf(
          "provider %s: %,.0f %s/day projected over %d endpoints (%,.0f per endpoint-day)%n",
          pc.provider(),
          pc.costPerDay(),
          pc.unit(),
          pc.endpoints(),
          pc.costPerDay() / Math.max(1, pc.endpoints()));
    }

    if (hang) {
      suspensions.set(0);
      suspendedWhy.clear();
      command(farmIn, farmOut, "hang B");
      Phase hanging = watch(breaker, watch);
      command(farmIn, farmOut, "heal B");
      System.out.printf(
          "provider B hanging for %d s: head age p50 %d ms, p99 %d ms, max %d ms;"
              + " suspensions of networks with a healthy endpoint: %d %s%n",
          watch, hanging.p(50), hanging.p(99), hanging.max(), suspensions.get(), suspendedWhy);
      Thread.sleep(5_000); // let B's endpoints answer again before the halts
    }

    if (halts > 0) {
      suspensions.set(0);
      haltedAt.clear();
      List<String> lines = command(farmIn, farmOut, "halt 0 " + halts);
      Map<String, Long> lastBlock = new HashMap<>();
      for (String l : lines) {
        String[] w = l.split(" ", -1);
        lastBlock.put("net" + w[1], Long.parseLong(w[2]));
      }
      long deadline = System.nanoTime() + haltAfter.toNanos() + 30_000_000_000L;
      while (haltedAt.size() < halts && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      long[] late = new long[haltedAt.size()];
      int i = 0;
      for (Map.Entry<String, Instant> e : haltedAt.entrySet()) {
        late[i++] =
            e.getValue().toEpochMilli()
                - Objects.requireNonNull(lastBlock.get(e.getKey()), "the farm halted each network")
                - haltAfter.toMillis();
      }
      Arrays.sort(late);
      System.out.printf(
          "%d of %d halted networks suspended; after haltAfter counted from the"
              + " last real block: p50 %d ms, p99 %d ms, max %d ms%n",
          late.length,
          halts,
          late.length == 0 ? -1 : late[late.length / 2],
          late.length == 0 ? -1 : late[Math.min(late.length - 1, late.length * 99 / 100)],
          late.length == 0 ? -1 : late[late.length - 1]);
    }
    breaker.close();
    farmIn.println("quit");
    farm.waitFor(10, TimeUnit.SECONDS);
    farm.destroy();
  }

  private static Process startFarm(int networks, long blockMillis, long latency) throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    // The JDK server closes idle connections past 200 by default: a real provider keeps them.
    return new ProcessBuilder(
            java,
            "-Xmx2g",
            "-Dsun.net.httpserver.maxIdleConnections=10000",
            "-cp",
            System.getProperty("java.class.path"),
            ChainFarm.class.getName(),
            Integer.toString(networks),
            Long.toString(blockMillis),
            Long.toString(latency))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static List<String> command(PrintWriter in, BufferedReader out, String command)
      throws Exception {
    in.println(command);
    List<String> lines = new ArrayList<>();
    for (String l = out.readLine(); l != null && !l.equals("DONE"); l = out.readLine()) {
      lines.add(l);
    }
    return lines;
  }

  /** What one phase of watching showed. */
  private static final class Phase {
    long[] ages = new long[0];
    double cpu;
    long heapMb;
    int threads;
    long engineThreads;
    double requestsPerEndpointMinute;
    double engineCpu;
    double cpuLoad;
    long gcCount;
    long gcMillis;
    double allocatedBytesPerSecond;
    long heapMaxMb;

    long p(int percent) {
      return ages.length == 0 ? -1 : ages[Math.min(ages.length - 1, ages.length * percent / 100)];
    }

    long max() {
      return ages.length == 0 ? -1 : ages[ages.length - 1];
    }
  }

  /** Whether the thread is the engine's: its own pools and the HTTP client's selector. */
  private static boolean engineThread(Thread t) {
    return t.getName().startsWith("chain-breaker-") || t.getName().startsWith("HttpClient");
  }

  /** CPU time of the engine's own threads (monitor, watchdog, I/O, HTTP client), in ns. */
  private static long engineCpu(ThreadMXBean threads) {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (engineThread(t)) {
        long cpu = threads.getThreadCpuTime(t.getId());
        sum += Math.max(0, cpu);
      }
    }
    return sum;
  }

  /** Collections and milliseconds of every collector so far. */
  private static long[] gc() {
    long count = 0;
    long millis = 0;
    for (java.lang.management.GarbageCollectorMXBean g :
        ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, g.getCollectionCount());
      millis += Math.max(0, g.getCollectionTime());
    }
    return new long[] {count, millis};
  }

  /** Bytes allocated so far by the threads alive now (every thread of the engine stays alive). */
  private static long allocated(ThreadMXBean threads) {
    if (!(threads instanceof com.sun.management.ThreadMXBean t)) {
      return 0;
    }
    long sum = 0;
    for (long a : t.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      sum += Math.max(0, a);
    }
    return sum;
  }

  private static Phase watch(ChainBreaker breaker, int seconds) throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuBefore = os.getProcessCpuTime();
    long engineBefore = engineCpu(threads);
    long[] gcBefore = gc();
    long allocatedBefore = allocated(threads);
    double loadSum = 0;
    int loadSamples = 0;
    long heapMax = 0;
    os.getProcessCpuLoad(); // the first reading only starts the measurement
    long wallBefore = System.nanoTime();
    long end = wallBefore + seconds * 1_000_000_000L;
    long[] ages = new long[1 << 16];
    int count = 0;
    long samplingNanos = 0;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      Instant now = Instant.now();
      for (NetworkStatus s : breaker.snapshot().networks()) {
        if (s.headAdvancedAt() != null) {
          if (count == ages.length) {
            ages = Arrays.copyOf(ages, ages.length * 2);
          }
          ages[count++] = Duration.between(s.headAdvancedAt(), now).toMillis();
        }
      }
      samplingNanos += System.nanoTime() - t0;
      Thread.sleep(250);
      double load = os.getProcessCpuLoad();
      if (load >= 0) {
        // A share of all cores: as a share of one core.
        loadSum += load * os.getAvailableProcessors();
        loadSamples++;
      }
      heapMax =
          Math.max(heapMax, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    Phase p = new Phase();
    long[] gcAfter = gc();
    p.gcCount = gcAfter[0] - gcBefore[0];
    p.gcMillis = gcAfter[1] - gcBefore[1];
    p.allocatedBytesPerSecond =
        (allocated(threads) - allocatedBefore) * 1e9 / (System.nanoTime() - wallBefore);
    p.cpuLoad = loadSamples == 0 ? -1 : loadSum / loadSamples;
    p.heapMaxMb = heapMax / (1024 * 1024);
    p.engineCpu = (engineCpu(threads) - engineBefore) / (double) (System.nanoTime() - wallBefore);
    // The harness's own sampling is not the engine's work.
    p.cpu =
        (os.getProcessCpuTime() - cpuBefore - samplingNanos)
            / (double) (System.nanoTime() - wallBefore);
    p.ages = Arrays.copyOf(ages, count);
    Arrays.sort(p.ages);
    System.gc();
    p.heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    p.threads = threads.getThreadCount();
    p.engineThreads =
        Thread.getAllStackTraces().keySet().stream().filter(ScaleHarness::engineThread).count();
    double sum = 0;
    int endpoints = 0;
    for (NetworkStatus s : breaker.snapshot().networks()) {
      for (EndpointStatus e : s.endpoints()) {
        sum += e.requestsPerMinute();
        endpoints++;
      }
    }
    p.requestsPerEndpointMinute = endpoints == 0 ? 0 : sum / endpoints;
    return p;
  }
}
