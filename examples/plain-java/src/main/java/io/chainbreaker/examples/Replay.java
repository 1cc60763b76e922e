package io.chainbreaker.examples;

import io.chainbreaker.BreakerState;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.SourceSettings;
import io.chainbreaker.test.Incident;
import io.chainbreaker.test.VirtualTime;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * {@code --replay NAME}: plays a real halt from the {@link Incident} catalog against the watcher's
 * configuration on virtual time, so hours of halt replay in well under a second, and prints the
 * watcher's lines stamped with the incident's own times, then when each token was suspended and
 * resumed.
 */
final class Replay {

  /** How long before the last block the replay starts, so the engine sees the chain moving. */
  static final Duration LEAD = Duration.ofMinutes(1);

  /** How long after blocks come again the replay waits at most for every token to resume. */
  static final Duration TAIL = Duration.ofHours(1);

  private static final Duration STEP = Duration.ofSeconds(1);

  /** Waits real time between printed lines when pacing; a test passes one that only records. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** What happened to one token in one direction. */
  static final class Outcome {
    @Nullable Instant suspendedAt;
    @Nullable Instant resumedAt;
  }

  private Replay() {}

  /** Runs {@code args} (which contain {@code --replay}); returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err, Sleeper sleeper)
      throws InterruptedException {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    Incident incident;
    ChainBreaker.Builder builder;
    double speed = 0;
    try {
      String name = take(rest, "--replay");
      String speedText = take(rest, "--speed");
      if (name == null) {
        throw new IllegalArgumentException("--replay needs a value");
      }
      if ("list".equals(name)) {
        list(out);
        return 0;
      }
      incident = Incident.named(name);
      if (speedText != null) {
        try {
          speed = Double.parseDouble(speedText);
        } catch (NumberFormatException e) {
          speed = -1;
        }
        if (!(speed > 0) || Double.isInfinite(speed)) {
          throw new IllegalArgumentException(
              "--speed must be a positive number but was '" + speedText + "'");
        }
      }
      for (String option : List.of("--rpc", "--ws")) {
        if (rest.contains(option)) {
          throw new IllegalArgumentException(
              option + " is not used with --replay: the incident's script answers");
        }
      }
      builder = Watch.configure(arguments(incident, rest));
    } catch (IllegalArgumentException e) {
      err.println("chain-breaker-watch: " + e.getMessage());
      err.println(Watch.USAGE);
      return 2;
    }
    return play(incident, builder, out, speed, sleeper);
  }

  /**
   * The watcher's arguments for {@code incident}: the user's {@code given} ones, then the
   * incident's preset (or, without one, its block interval), options and tokens where the user gave
   * none of them.
   */
  static String[] arguments(Incident incident, List<String> given) {
    List<String> rest = new ArrayList<>(given);
    rest.addAll(List.of("--rpc", "https://replay.invalid/" + incident.name()));
    boolean identified =
        rest.contains("--preset") || rest.contains("--chain-id") || rest.contains("--identity");
    if (!identified && !incident.preset().isEmpty()) {
      rest.addAll(List.of("--preset", incident.preset()));
    } else if (!identified && !rest.contains("--block-interval")) {
      rest.addAll(List.of("--block-interval", human(incident.blockInterval())));
    }
    List<String> options = incident.options();
    for (int i = 0; i + 1 < options.size(); i += 2) {
      String option = options.get(i);
      boolean identity = option.equals("--chain-id") || option.equals("--identity");
      if (!rest.contains(option) && !(identity && identified)) {
        rest.addAll(List.of(option, options.get(i + 1)));
      }
    }
    if (!rest.contains("--tokens")) {
      rest.addAll(List.of("--tokens", String.join(",", incident.tokens())));
    }
    return rest.toArray(new String[0]);
  }

  /** Removes {@code option} and its value from {@code args}; returns the value or null. */
  private static @Nullable String take(List<String> args, String option) {
    int i = args.indexOf(option);
    if (i < 0) {
      return null;
    }
    args.remove(i);
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.remove(i);
  }

  private static void list(PrintStream out) {
    out.println("# incidents (name, chain, last block, halt start UTC, duration, note, source):");
    for (Incident i : Incident.all()) {
      out.println(
          i.name()
              + "  "
              + i.chain()
              + "  #"
              + (i.lastBlock() == null ? "?" : i.lastBlock())
              + "  "
              + i.haltStart()
              + "  "
              + human(i.haltDuration())
              + "  "
              + i.note()
              + "  "
              + i.source());
    }
  }

  /** Plays {@code incident} on an engine built from {@code builder}; returns the exit code. */
  static int play(
      Incident incident,
      ChainBreaker.Builder builder,
      PrintStream out,
      double speed,
      Sleeper sleeper)
      throws InterruptedException {
    VirtualTime time = VirtualTime.startingAt(incident.haltStart().minus(LEAD));
    AtomicReference<@Nullable String> network = new AtomicReference<>();
    ChainBreaker breaker =
        builder
            .clock(time.clock())
            .ticker(time::nanoTime)
            .scheduler(time.newScheduler())
            .watchdogScheduler(time.newScheduler())
            .ioExecutor(Runnable::run)
            .headSources(
                (settings, url) -> {
                  network.set(settings.network());
                  return new ScriptSource(incident, time, settings);
                })
            .build();
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    breaker
        .snapshot()
        .tokens()
        .forEach(
            t ->
                Arrays.stream(Direction.values())
                    .forEach(d -> outcomes.put(t.symbol() + " " + d, new Outcome())));
    Printer printer = new Printer(out, speed, sleeper);
    breaker
        .events()
        .onNetworkHealthChange(c -> printer.print(c.at(), Watch.line(c)))
        .onTokenTransition(
            t -> {
              printer.print(t.at(), Watch.line(t));
              Outcome o = outcomes.get(t.symbol() + " " + t.direction());
              if (o == null) {
                return;
              }
              if (t.to() == BreakerState.SUSPENDED && o.suspendedAt == null) {
                o.suspendedAt = t.at();
              } else if (t.to() == BreakerState.ALLOWED
                  && o.suspendedAt != null
                  && o.resumedAt == null) {
                o.resumedAt = t.at();
              }
            });
    try (breaker) {
      breaker.start();
      String name = network.get();
      NetworkConfig config = name == null ? null : breaker.catalog().network(name);
      out.println(
          "# replay "
              + incident.name()
              + ": "
              + incident.chain()
              + ", a block every "
              + human(incident.blockInterval())
              + " up to #"
              + incident.lastBlockOrNominal()
              + (incident.lastBlock() == null ? " (nominal)" : "")
              + " at "
              + incident.haltStart()
              + what(incident)
              + (config == null ? "" : "; haltAfter " + human(config.haltAfter())));
      out.println("# source: " + incident.source());
      time.runDue();
      Instant stopBy = incident.haltEnd().plus(TAIL);
      while (time.now().isBefore(stopBy) && !allResumed(outcomes)) {
        time.advance(STEP);
        if (printer.interrupted) {
          throw new InterruptedException();
        }
      }
    }
    summary(incident, outcomes, out);
    return 0;
  }

  /** What the script does after the last block, in words. */
  private static String what(Incident incident) {
    String d = human(incident.haltDuration());
    switch (incident.kind()) {
      case FINALITY_STALL:
        return ", then blocks go on but the finalized block stays there for " + d;
      case SPLIT:
        return ", then blocks go on for " + d + " on a branch that is then replaced";
      default:
        return ", none for "
            + d
            + ", then blocks again"
            + (incident.reorgDepth() > 0
                ? ", the last " + incident.reorgDepth() + " before the halt replaced"
                : "");
    }
  }

  private static boolean allResumed(Map<String, Outcome> outcomes) {
    return outcomes.values().stream().allMatch(o -> o.resumedAt != null);
  }

  private static void summary(Incident incident, Map<String, Outcome> outcomes, PrintStream out) {
    boolean halt = incident.blocksStop();
    String start = halt ? "the last block" : "the incident began";
    String end = halt ? "blocks came again" : "the incident ended";
    out.println(
        (halt ? "# summary: last block " : "# summary: " + incident.kind() + " from ")
            + incident.haltStart()
            + (halt ? ", blocks again " : " to ")
            + incident.haltEnd()
            + (halt ? " (halted " : " (")
            + human(incident.haltDuration())
            + ")");
    outcomes.forEach(
        (key, o) -> {
          StringBuilder line = new StringBuilder("# ").append(key);
          if (o.suspendedAt == null) {
            line.append(" never suspended");
          } else {
            line.append(" suspended ")
                .append(o.suspendedAt)
                .append(" (")
                .append(human(Duration.between(incident.haltStart(), o.suspendedAt)))
                .append(" after ")
                .append(start)
                .append("), ");
            if (o.resumedAt == null) {
              line.append("not resumed by ").append(incident.haltEnd().plus(TAIL));
            } else {
              line.append("resumed ")
                  .append(o.resumedAt)
                  .append(" (")
                  .append(human(Duration.between(incident.haltEnd(), o.resumedAt)))
                  .append(" after ")
                  .append(end)
                  .append(")");
            }
          }
          out.println(line);
        });
  }

  /** {@code 400ms}, {@code 4.25s}, {@code 8h16m}: short, exact to the millisecond. */
  static String human(Duration d) {
    if (d.isNegative()) {
      return "-" + human(d.negated());
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + "ms";
    }
    if (d.compareTo(Duration.ofMinutes(1)) < 0) {
      long ms = d.toMillis();
      return ms % 1000 == 0
          ? ms / 1000 + "s"
          : java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
    }
    StringBuilder s = new StringBuilder();
    if (d.toHours() > 0) {
      s.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      s.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0 || d.toMillisPart() > 0) {
      long ms = d.toSecondsPart() * 1000L + d.toMillisPart();
      s.append(java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString())
          .append('s');
    }
    return s.toString();
  }

  /** Prints lines, waiting (incident time between them) / speed of real time when pacing. */
  private static final class Printer {
    private final PrintStream out;
    private final double speed;
    private final Sleeper sleeper;
    private @Nullable Instant last;
    boolean interrupted;

    Printer(PrintStream out, double speed, Sleeper sleeper) {
      this.out = out;
      this.speed = speed;
      this.sleeper = sleeper;
    }

    void print(Instant at, String line) {
      Instant previous = last;
      if (speed > 0 && previous != null && at.isAfter(previous) && !interrupted) {
        try {
          sleeper.sleep(
              Duration.ofNanos((long) (Duration.between(previous, at).toNanos() / speed)));
        } catch (InterruptedException e) {
          interrupted = true;
          Thread.currentThread().interrupt();
        }
      }
      last = at;
      out.println(line);
    }
  }

  /** One endpoint answering from the incident's script at the current virtual instant. */
  private static final class ScriptSource implements HeadSource {
    private final Incident incident;
    private final VirtualTime time;
    private final SourceSettings network;
    private long requests;

    ScriptSource(Incident incident, VirtualTime time, SourceSettings network) {
      this.incident = incident;
      this.time = time;
      this.network = network;
    }

    private long head() {
      return incident.headAt(time.now());
    }

    private BlockHead block(long n) {
      Instant now = time.now();
      return new BlockHead(
          n,
          hash(n, incident.branchAt(n, now)),
          hash(n - 1, incident.branchAt(n - 1, now)),
          incident.blockTime(n).getEpochSecond());
    }

    /** {@code 0x<n>} on the first branch, {@code 0x<n>:1} on the one that replaced it. */
    private static String hash(long n, int branch) {
      return "0x" + Long.toHexString(Math.max(0, n)) + (branch == 0 ? "" : ":" + branch);
    }

    private <T extends @Nullable Object> CompletableFuture<T> answer(T value) {
      requests++;
      return CompletableFuture.completedFuture(value);
    }

    @Override
    public CompletableFuture<Heads> heads(boolean withFinalized) {
      BlockHead latest = block(head());
      BlockHead finalized = block(incident.finalizedAt(time.now()));
      return answer(new Heads(latest, withFinalized ? finalized : null, null));
    }

    @Override
    public CompletableFuture<Long> headNumber() {
      return answer(head());
    }

    @Override
    public CompletableFuture<@Nullable BlockHead> blockByNumber(long number) {
      return answer(number > head() ? null : block(number));
    }

    @Override
    public CompletableFuture<@Nullable BlockHead> blockByHash(String hash) {
      long n;
      try {
        n = Long.decode(hash.replaceFirst(":[0-9]+$", ""));
      } catch (NumberFormatException e) {
        return answer(null);
      }
      return answer(n > head() || !block(n).hash().equals(hash) ? null : block(n));
    }

    @Override
    public CompletableFuture<Long> chainId() {
      return answer(network.chainId());
    }

    @Override
    public CompletableFuture<String> identity() {
      return answer(network.identity());
    }

    @Override
    public CompletableFuture<Boolean> syncing() {
      return answer(false);
    }

    @Override
    public long requestCount() {
      return requests;
    }
  }
}
