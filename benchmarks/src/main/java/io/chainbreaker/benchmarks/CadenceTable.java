package io.chainbreaker.benchmarks;

import io.chainbreaker.BreakerState;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.NetworkMode;
import io.chainbreaker.NetworkPreset;
import io.chainbreaker.Protocol;
import io.chainbreaker.RpcPlan;
import io.chainbreaker.TokenTransition;
import io.chainbreaker.test.ChainBreakerRig;
import io.chainbreaker.test.ScriptedHeadSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Requests and cost units per endpoint-day, and halt lateness from the last real block, for every
 * EVM preset at three cadences: the default (the halt bound's: {@code haltLateness}), one poll per
 * block interval (the default before, capped at 5 s), and 1 Hz. On virtual time ({@link
 * ChainBreakerRig}): the engine's own requests and its rules' lateness, without network latency
 * (add one request's latency to each lateness). Blocks come at the preset's interval, on-demand
 * networks under load included.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.chainbreaker.benchmarks.CadenceTable}
 * (about a minute).
 */
public final class CadenceTable {

  private CadenceTable() {}

  private static final List<RpcPlan> PLANS =
      List.of(RpcPlan.REQUESTS, RpcPlan.ALCHEMY, RpcPlan.QUICKNODE, RpcPlan.INFURA);

  /** Prints the table as Markdown. */
  public static void main(String[] args) {
    Duration hour = Duration.ofHours(1);
    System.out.println(
        "| preset | block | haltAfter | cadence | poll | reorg check | requests/endpoint-minute"
            + " | requests/endpoint-day | CU (alchemy) | credits (quicknode) | credits (infura) |"
            + " halt caught after haltAfter, from the last real block: mean / max | reorgs always"
            + " caught |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (NetworkPreset p : NetworkPreset.values()) {
      if (p.protocol() != Protocol.EVM) {
        continue;
      }
      NetworkConfig base = config(p, b -> b);
      Duration oldDefault =
          max(Duration.ofMillis(100), min(p.blockInterval(), Duration.ofSeconds(5)));
      Map<String, UnaryOperator<NetworkConfig.Builder>> cadences = new java.util.LinkedHashMap<>();
      cadences.put("default (haltLateness)", b -> b);
      // Before, a poll that found several new blocks always linked them to the last one seen.
      cadences.put(
          "per block (old default)",
          b -> b.pollInterval(oldDefault).reorgCheckInterval(oldDefault));
      cadences.put("1 Hz", b -> b.pollInterval(Duration.ofSeconds(1)));
      for (Map.Entry<String, UnaryOperator<NetworkConfig.Builder>> c : cadences.entrySet()) {
        NetworkConfig n = config(p, c.getValue());
        double[] perDay = perDay(n, hour);
        String lateness =
            n.mode() == NetworkMode.ON_DEMAND ? "n/a (on demand: never halts idle)" : lateness(n);
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %s | %s | %s | %s | %.1f | %,.0f | %,.0f | %,.0f | %,.0f | %s | %s |%n",
            p.name().toLowerCase(Locale.ROOT).replace('_', '-'),
            text(p.blockInterval()),
            text(base.haltAfter()),
            c.getKey(),
            text(n.pollInterval()),
            text(n.reorgCheckInterval()),
            perDay[0] / 1440,
            perDay[0],
            perDay[1],
            perDay[2],
            perDay[3],
            lateness,
            reorgBound(n));
      }
    }
  }

  private static NetworkConfig config(NetworkPreset p, UnaryOperator<NetworkConfig.Builder> tune) {
    return tune.apply(
            NetworkConfig.builder("net").preset(p).rpcUrls("https://a.example/key0123456789"))
        .build();
  }

  /** Requests, then units of each plan after the first, per endpoint-day: one hour scaled. */
  private static double[] perDay(NetworkConfig n, Duration span) {
    try (ChainBreakerRig rig =
        ChainBreakerRig.builder().network(n).token("T", "net").build().start()) {
      ScriptedHeadSource e = rig.endpoint(0);
      // A warm-up quarter hour, so the start's checks do not count.
      rig.produceBlocks((int) (Duration.ofMinutes(15).toMillis() / n.blockInterval().toMillis()));
      long requests = e.requestCount();
      Map<String, Long> calls = e.callsByMethod();
      rig.produceBlocks((int) (span.toMillis() / n.blockInterval().toMillis()));
      double scale = Duration.ofDays(1).toMillis() / (double) span.toMillis();
      double[] out = new double[PLANS.size()];
      out[0] = (e.requestCount() - requests) * scale;
      Map<String, Long> after = e.callsByMethod();
      for (int i = 1; i < PLANS.size(); i++) {
        double units = 0;
        for (Map.Entry<String, Long> m : after.entrySet()) {
          long delta = m.getValue() - calls.getOrDefault(m.getKey(), 0L);
          units += delta * PLANS.get(i).weight(m.getKey());
        }
        out[i] = units * scale;
      }
      return out;
    }
  }

  /** Mean and worst lateness over ten phases of the last block against the polls. */
  private static String lateness(NetworkConfig n) {
    long sum = 0;
    long worst = 0;
    int phases = 10;
    for (int k = 0; k < phases; k++) {
      try (ChainBreakerRig rig =
          ChainBreakerRig.builder().network(n).token("T", "net").build().start()) {
        rig.produceBlocks(30);
        rig.halt(n.pollInterval().multipliedBy(k).dividedBy(phases));
        rig.endpoints().forEach(e -> e.mine(1));
        Instant last = rig.time().now();
        rig.halt(n.haltAfter().plus(n.pollInterval()).plusSeconds(1));
        TokenTransition t =
            rig.transitions().next("T", Direction.WITHDRAWAL, BreakerState.SUSPENDED);
        long late = Duration.between(last, t.at()).minus(n.haltAfter()).toMillis();
        sum += late;
        worst = Math.max(worst, late);
      }
    }
    return String.format(Locale.ROOT, "%.1f s / %.1f s", sum / 1000.0 / phases, worst / 1000.0);
  }

  /**
   * Which reorganisations are caught whatever their timing: every one that replaces a block seen
   * when each poll links its head, else those deeper than the blocks one check interval and a poll
   * can hold (a shallower one may replace only blocks seen since the last check).
   */
  private static String reorgBound(NetworkConfig n) {
    if (n.reorgCheckInterval().compareTo(n.pollInterval()) <= 0) {
      return "every one";
    }
    long blocks =
        n.reorgCheckInterval().plus(n.pollInterval()).toMillis() / n.blockInterval().toMillis();
    return String.format(
        Locale.ROOT, "> %d blocks deep (maxReorgDepth %d)", blocks, n.maxReorgDepth());
  }

  private static String text(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
