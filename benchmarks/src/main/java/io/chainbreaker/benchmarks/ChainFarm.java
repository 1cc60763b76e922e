package io.chainbreaker.benchmarks;

import io.chainbreaker.test.SimulatedChain;
import io.chainbreaker.test.SimulatedProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The chains the {@link ScaleHarness} watches, in a process of their own so that the harness
 * measures the engine alone: {@code networks} simulated chains producing a block every {@code
 * blockMillis}, each served by two providers, A and B, that answer after {@code latencyMillis}.
 *
 * <p>Prints {@code READY <urlA> <urlB>} (network {@code i} is at {@code <url>net<i>/}), then obeys
 * commands on standard input, one per line:
 *
 * <ul>
 *   <li>{@code halt FROM TO}: chains FROM to TO-1 stop; prints {@code HALTED i <millis>} for each,
 *       the wall-clock millisecond its last block really came, then {@code DONE};
 *   <li>{@code hang A|B}, {@code heal A|B}: the provider holds every request open, or answers
 *       again; prints {@code DONE};
 *   <li>{@code quit}, or end of input: stops.
 * </ul>
 */
public final class ChainFarm {

  private ChainFarm() {}

  /** Runs the farm: {@code networks blockMillis latencyMillis}. */
  public static void main(String[] args) throws Exception {
    int networks = Integer.parseInt(args[0]);
    Duration block = Duration.ofMillis(Long.parseLong(args[1]));
    Duration latency = Duration.ofMillis(Long.parseLong(args[2]));
    SimulatedProvider a = SimulatedProvider.start().latency(latency);
    SimulatedProvider b = SimulatedProvider.start().latency(latency);
    List<SimulatedChain> chains = new ArrayList<>();
    AtomicLongArray lastBlockMillis = new AtomicLongArray(networks);
    for (int n = 0; n < networks; n++) {
      SimulatedChain chain = SimulatedChain.builder().chainId(1000 + n).history(64, block).build();
      chain.addEndpoint(a, "net" + n);
      chain.addEndpoint(b, "net" + n);
      int i = n;
      chain.onBlock(x -> lastBlockMillis.set(i, System.currentTimeMillis()));
      chains.add(chain);
    }
    // Start production spread over one interval, as real chains are not in phase.
    for (int n = 0; n < networks; n++) {
      chains.get(n).produceBlocks(block);
      Thread.sleep(Math.max(0, block.toMillis() / Math.max(1, networks)));
    }
    System.out.println("READY " + a.url() + " " + b.url());
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.trim().split("\\s+", -1);
      switch (words[0]) {
        case "halt":
          int from = Integer.parseInt(words[1]);
          int to = Integer.parseInt(words[2]);
          for (int n = from; n < to; n++) {
            chains.get(n).halt();
          }
          Thread.sleep(100); // a block being made as halt() came still lands
          for (int n = from; n < to; n++) {
            System.out.println("HALTED " + n + " " + lastBlockMillis.get(n));
          }
          break;
        case "hang":
          (words[1].equals("A") ? a : b).hang();
          break;
        case "heal":
          (words[1].equals("A") ? a : b).healthy();
          break;
        case "quit":
          chains.forEach(SimulatedChain::close);
          a.close();
          b.close();
          return;
        default:
          System.out.println("UNKNOWN " + line);
      }
      System.out.println("DONE");
      System.out.flush();
    }
    chains.forEach(SimulatedChain::close);
    a.close();
    b.close();
  }
}
