package io.chainbreaker.examples;

import io.chainbreaker.BreakerState;
import io.chainbreaker.Catalog;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.NetworkHealthChange;
import io.chainbreaker.NetworkPreset;
import io.chainbreaker.NetworkSettings;
import io.chainbreaker.NetworkStatus;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.Setting;
import io.chainbreaker.TokenTransition;
import io.chainbreaker.test.SimulatedChain;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code chain-breaker-watch.jar}: with no arguments, replays the Klaytn halt of 2020-03-29 on a
 * simulated chain; with {@code --replay NAME}, plays a real halt from the incident catalog on
 * virtual time ({@link Replay}); with {@code --catalog FILE}, watches the networks and tokens of a
 * YAML file and follows its changes ({@link CatalogWatcher}); with other arguments, watches real
 * endpoints until interrupted. Prints one line per token transition: {@code <instant> <TOKEN>
 * <DEPOSIT|WITHDRAWAL> <STATE> reason=<REASON> head=<n>}.
 */
public final class Watch {

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar chain-breaker-watch.jar                 replay the Klaytn halt of 2020-03-29",
          "       java -jar chain-breaker-watch.jar --rpc URL[,URL...] [--endpoint RPC_URL,WS_URL]",
          "           (--chain-id N | --identity ID | --preset NAME)",
          "           [--protocol evm|bitcoin|solana|cometbft|tron|aptos|sui|ton|xrpl|starknet|",
          "                       substrate|near|algorand|stellar|cardano]",
          "           --tokens A,B,C [--network NAME] [--resume-after-blocks N] [--resume-grace DUR]",
          "           [--SETTING VALUE]... any network setting of docs/configuration.md, e.g.",
          "           --halt-after 30s; the settings:",
          settingFlags(),
          "       java -jar chain-breaker-watch.jar --replay NAME|list [--speed N] [options above]",
          "           replay a real halt on virtual time (N: times real time; default: at once)",
          "       java -jar chain-breaker-watch.jar --catalog FILE",
          "           networks and tokens from a YAML file with the Spring starter's keys, re-read",
          "           when it changes; combines with no other option (the file holds them all)",
          "durations: 500ms, 10s, 5m, 1h; presets: " + presets());

  private static final long KLAYTN_LAST_BLOCK = 24_002_379;

  private Watch() {}

  /** Runs the watcher; exits 2 on bad arguments. */
  public static void main(String[] args) throws InterruptedException {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs with the given streams; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
    if (args.length == 0) {
      return replayKlaytn(out, err);
    }
    if (Arrays.asList(args).contains("--catalog")) {
      CountDownLatch stop = new CountDownLatch(1);
      CountDownLatch closed = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stop.countDown();
                    try {
                      // Let the engine close (endpoints, threads) before the JVM halts.
                      closed.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  },
                  "chain-breaker-watch-shutdown"));
      try {
        return watchCatalog(args, out, err, Duration.ofSeconds(1), Clock.systemUTC(), stop);
      } finally {
        closed.countDown();
      }
    }
    if (Arrays.asList(args).contains("--replay")) {
      return Replay.run(
          args, out, err, d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000)));
    }
    ChainBreaker breaker;
    try {
      breaker = configure(args).build();
    } catch (IllegalArgumentException e) {
      err.println("chain-breaker-watch: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    breaker
        .events()
        .onTokenTransition(t -> out.println(line(t)))
        .onNetworkHealthChange(c -> out.println(line(c)));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  breaker.close();
                  stopped.countDown();
                },
                "chain-breaker-watch-shutdown"));
    breaker.start();
    stopped.await();
    return 0;
  }

  /** The line printed for a transition. */
  static String line(TokenTransition t) {
    return line(t, t.symbol());
  }

  /**
   * The line printed for a transition when tokens come from a catalog file, where one asset can be
   * on several networks: the token is written {@code <SYMBOL>@<network>}.
   */
  static String qualifiedLine(TokenTransition t) {
    return line(t, t.tokenId().toString());
  }

  private static String line(TokenTransition t, String token) {
    return t.at().truncatedTo(ChronoUnit.MILLIS)
        + " "
        + token
        + " "
        + t.direction()
        + " "
        + t.to()
        + " reason="
        + t.reason()
        + " head="
        + (t.head() == null ? "none" : t.head());
  }

  /**
   * {@code --catalog FILE}: builds the engine from the file, prints its lines, and re-reads the
   * file every {@code poll} until {@code stop} is counted down; returns the exit code (2 if the
   * arguments or the file are bad at start).
   */
  static int watchCatalog(
      String[] args,
      PrintStream out,
      PrintStream err,
      Duration poll,
      Clock clock,
      CountDownLatch stop)
      throws InterruptedException {
    if (args.length == 1) {
      err.println("chain-breaker-watch: --catalog needs a value");
      err.println(USAGE);
      return 2;
    }
    if (args.length != 2 || !args[0].equals("--catalog")) {
      err.println(
          "chain-breaker-watch: --catalog FILE takes no other option: networks and tokens"
              + " come from the file");
      err.println(USAGE);
      return 2;
    }
    Path path = Path.of(args[1]);
    CatalogFile file;
    byte[] content;
    ChainBreaker breaker;
    try {
      content = CatalogWatcher.content(path);
      file = CatalogWatcher.read(path, content, null);
      breaker = engine(file.catalog(), clock);
    } catch (IOException e) {
      err.println("chain-breaker-watch: catalog " + path + " cannot be read: " + e);
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("chain-breaker-watch: " + e.getMessage());
      return 2;
    }
    breaker
        .events()
        .onTokenTransition(t -> out.println(qualifiedLine(t)))
        .onNetworkHealthChange(c -> out.println(line(c)));
    try (breaker;
        CatalogWatcher watcher =
            new CatalogWatcher(path, file, content, breaker, out, err, clock)) {
      breaker.start();
      watcher.start(poll);
      stop.await();
    }
    return 0;
  }

  /** An engine watching {@code catalog}, on {@code clock}. */
  static ChainBreaker engine(Catalog catalog, Clock clock) {
    ChainBreaker.Builder builder = ChainBreaker.builder().clock(clock);
    catalog.networks().forEach(builder::network);
    catalog.tokens().forEach(builder::token);
    return builder.build();
  }

  /** The line printed for a network health change. */
  static String line(NetworkHealthChange c) {
    return c.at().truncatedTo(ChronoUnit.MILLIS)
        + " NETWORK "
        + c.network()
        + " "
        + c.to()
        + " reason="
        + c.reason()
        + " head="
        + (c.head() == null ? "none" : c.head());
  }

  private static String presets() {
    return Arrays.stream(NetworkPreset.values())
        .map(p -> p.name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .collect(Collectors.joining(", "));
  }

  /**
   * Parses the arguments into an engine builder; throws with a specific message if they are bad.
   */
  static ChainBreaker.Builder configure(String[] args) {
    Map<String, String> options = new HashMap<>();
    Set<String> known = new LinkedHashSet<>(STRUCTURED_FLAGS);
    NetworkSettings.ALL.forEach(setting -> known.add("--" + setting.kebabName()));
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option " + name);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      if (options.put(name, args[++i]) != null) {
        throw new IllegalArgumentException(name + " is given twice");
      }
    }
    if (!options.containsKey("--rpc") && !options.containsKey("--endpoint")) {
      throw new IllegalArgumentException("--rpc is required (or --endpoint)");
    }
    if (!options.containsKey("--tokens")) {
      throw new IllegalArgumentException("--tokens is required");
    }
    if (!options.containsKey("--chain-id")
        && !options.containsKey("--identity")
        && !options.containsKey("--preset")) {
      throw new IllegalArgumentException("--chain-id, --identity or --preset is required");
    }
    NetworkPreset preset =
        options.containsKey("--preset") ? NetworkPreset.named(options.get("--preset")) : null;
    String name =
        options.getOrDefault(
            "--network",
            preset == null ? "network" : preset.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    NetworkConfig.Builder network = NetworkConfig.builder(name);
    if (preset != null) {
      network.preset(preset);
    }
    for (Setting<?> setting : NetworkSettings.ALL) {
      String value = options.get("--" + setting.kebabName());
      if (value != null) {
        set(network, setting, value);
      }
    }
    String rpc = options.get("--rpc");
    if (rpc != null) {
      network.rpcUrls(split(rpc));
    }
    String endpoint = options.get("--endpoint");
    if (endpoint != null) {
      List<String> urls = split(endpoint);
      if (urls.size() != 2) {
        throw new IllegalArgumentException(
            "--endpoint takes RPC_URL,WS_URL (one node's HTTP and"
                + " WebSocket URLs) but was '"
                + endpoint
                + "'");
      }
      network.endpoint(urls.get(0), urls.get(1));
    }
    if (options.containsKey("--resume-after-blocks") || options.containsKey("--resume-grace")) {
      int blocks =
          options.containsKey("--resume-after-blocks")
              ? (int) number("--resume-after-blocks", options.get("--resume-after-blocks"))
              : RecoveryRule.WITHDRAWAL_DEFAULT.blocks();
      Duration grace =
          options.containsKey("--resume-grace")
              ? duration("--resume-grace", options.get("--resume-grace"))
              : RecoveryRule.WITHDRAWAL_DEFAULT.grace();
      network.recovery(RecoveryRule.of(blocks, grace));
    }
    ChainBreaker.Builder builder = ChainBreaker.builder().network(network.build());
    Set<String> tokens = new LinkedHashSet<>();
    for (String token : split(Objects.requireNonNull(options.get("--tokens"), "required above"))) {
      if (!tokens.add(token)) {
        throw new IllegalArgumentException("token " + token + " is listed twice");
      }
      builder.token(token, name);
    }
    return builder;
  }

  /** Flags that are not one of {@link NetworkSettings#ALL}: endpoints, tokens, recovery. */
  private static final List<String> STRUCTURED_FLAGS =
      List.of(
          "--rpc",
          "--endpoint",
          "--tokens",
          "--network",
          "--preset",
          "--resume-after-blocks",
          "--resume-grace");

  /** The flag of every setting of the registry, for the usage text. */
  private static String settingFlags() {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder("          ");
    for (Setting<?> setting : NetworkSettings.ALL) {
      if (line.length() + setting.kebabName().length() + 3 > 96) {
        out.append(line).append('\n');
        line = new StringBuilder("          ");
      }
      line.append(" --").append(setting.kebabName());
    }
    return out.append(line).toString();
  }

  /** Sets the value of a flag: a value that cannot be read is reported against the flag. */
  private static <T> void set(NetworkConfig.Builder network, Setting<T> setting, String text) {
    setting.apply(network, read("--" + setting.kebabName(), setting.type(), text));
  }

  /** {@code text} read as every text source reads a value, or an error naming the flag. */
  private static <T> T read(String flag, Class<T> type, String text) {
    try {
      return Setting.parse(type, text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }

  static Duration duration(String option, String value) {
    return read(option, Duration.class, value);
  }

  private static long number(String option, String value) {
    return read(option, Integer.class, value);
  }

  private static List<String> split(String list) {
    List<String> items = new ArrayList<>();
    for (String s : list.split(",", -1)) {
      if (!s.isBlank()) {
        items.add(s.trim());
      }
    }
    if (items.isEmpty()) {
      throw new IllegalArgumentException("an empty list was given: '" + list + "'");
    }
    return items;
  }

  /**
   * The Klaytn halt of 2020-03-29, at one block per second on a simulated chain: blocks up to
   * #24002379, then nothing; the watcher suspends COSM, DTA and PXL within haltAfter, then the
   * chain resumes and they recover.
   */
  static int replayKlaytn(PrintStream out, PrintStream err) throws InterruptedException {
    Duration haltAfter = Duration.ofSeconds(5);
    try (SimulatedChain chain =
        SimulatedChain.builder()
            .chainId(8217)
            .firstBlock(KLAYTN_LAST_BLOCK - 24)
            .history(20, Duration.ofSeconds(1))
            .build()) {
      chain.stopAfter(KLAYTN_LAST_BLOCK);
      chain.produceBlocks(Duration.ofSeconds(1));
      out.println(
          "# Klaytn (chain 8217) replay: one block per second up to #"
              + KLAYTN_LAST_BLOCK
              + ", then nothing; haltAfter "
              + haltAfter.toSeconds()
              + "s");
      ChainBreaker breaker =
          ChainBreaker.builder()
              .network(
                  NetworkConfig.builder("klaytn")
                      .chainId(8217)
                      .rpcUrls(chain.endpoint().url(), chain.addEndpoint().url())
                      .blockInterval(Duration.ofSeconds(1))
                      .haltAfter(haltAfter)
                      .pollInterval(Duration.ofMillis(250))
                      .depositRecovery(RecoveryRule.of(3, Duration.ofSeconds(3)))
                      .withdrawalRecovery(RecoveryRule.of(5, Duration.ofSeconds(5)))
                      .build())
              .token("COSM", "klaytn")
              .token("DTA", "klaytn")
              .token("PXL", "klaytn")
              .build();
      CountDownLatch suspended = new CountDownLatch(6);
      CountDownLatch resumed = new CountDownLatch(6);
      Set<String> seenSuspended = new LinkedHashSet<>();
      breaker.events().onNetworkHealthChange(c -> out.println(line(c)));
      breaker
          .events()
          .onTokenTransition(
              t -> {
                out.println(line(t));
                String key = t.symbol() + t.direction();
                if (t.to() == BreakerState.SUSPENDED && seenSuspended.add(key)) {
                  suspended.countDown();
                } else if (t.to() == BreakerState.ALLOWED && seenSuspended.contains(key)) {
                  resumed.countDown();
                }
              });
      try (breaker) {
        breaker.start();
        if (!suspended.await(60, TimeUnit.SECONDS)) {
          err.println("chain-breaker-watch: the halt was not detected within 60 s");
          return 1;
        }
        NetworkStatus klaytn = breaker.snapshot().network("klaytn").orElseThrow();
        out.println(
            "# the chain stands at #"
                + chain.head().number()
                + "; suspended "
                + Duration.between(klaytn.headAdvancedAt(), klaytn.since()).toMillis()
                + " ms after that head was first seen: "
                + suspendedTokens(breaker));
        chain.resume();
        out.println("# the chain resumes");
        if (!resumed.await(60, TimeUnit.SECONDS)) {
          err.println("chain-breaker-watch: the recovery did not complete within 60 s");
          return 1;
        }
        out.println("# recovered at #" + chain.head().number() + "; done");
      }
    }
    return 0;
  }

  private static String suspendedTokens(ChainBreaker breaker) {
    List<String> names = new ArrayList<>();
    breaker
        .snapshot()
        .tokens()
        .forEach(
            t ->
                Arrays.stream(Direction.values())
                    .filter(d -> !t.status(d).allows())
                    .forEach(d -> names.add(t.symbol() + " " + d)));
    return String.join(", ", names);
  }
}
