package io.chainbreaker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.test.SimulatedChain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 2, unit = TimeUnit.MINUTES) // real time: a hang fails, not stalls
class WatchTest {

  private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z";
  private static final String LINE =
      TIME
          + " [A-Z]+ (DEPOSIT|WITHDRAWAL) "
          + "(ALLOWED|RECOVERING|SUSPENDED) reason=[A-Z_]+ head=(\\d+|none)";
  private static final String NETWORK_LINE =
      TIME + " NETWORK [a-z0-9-]+ [A-Z_]+ reason=[A-Z_]+" + " head=(\\d+|none)";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--rpc http://127.0.0.1:8545 --chain-id 1 | --tokens is required",
        "--rpc http://127.0.0.1:8545 --chain-id x --tokens ETH | --chain-id: 'x' is not a whole number",
        "--rpc http://127.0.0.1:8545 --chain-id 1 --tokens ETH --halt-after 10x | --halt-after: '10x' is not a duration (use 500ms, 10s, 5m, 1h)",
        "--rpc http://127.0.0.1:8545 --chain-id 1 --tokens ETH --halt-after 0s | haltAfter of network network must be positive but was PT0S",
        "--rpc ftp://node --chain-id 1 --tokens ETH | must start with http:// or https://",
        "--rpc http://127.0.0.1:8545 --chain-id 1 --tokens ETH,ETH | token ETH is listed twice",
        "--rpc http://127.0.0.1:8545 --chain-id 1 --tokens ETH --verbose | unknown option --verbose",
        "--rpc | --rpc needs a value",
        "--rpc http://127.0.0.1:8545 --tokens ETH | --chain-id, --identity or --preset is required",
        "--rpc http://127.0.0.1:8545 --preset ripple --tokens XRP | unknown network preset 'ripple'; presets: klaytn, klaytn-testnet, ethereum",
        "--rpc http://127.0.0.1:8545 --protocol ripple --identity x --tokens XRP | --protocol: 'ripple' is not one of evm, bitcoin, solana, cometbft, tron, aptos, sui, ton, xrpl, starknet, substrate, near, algorand, stellar, cardano",
        "--rpc http://127.0.0.1:8545 --protocol bitcoin --identity 0x12 --tokens BTC | identity of BITCOIN network network must be a genesis hash but was '0x12'",
        "--rpc http://127.0.0.1:8545 --preset base --tokens ETH --mode sometimes | --mode: 'sometimes' is not one of continuous, on-demand",
        "--rpc http://127.0.0.1:8545 --preset base --tokens ETH --slow-factor fast | --slow-factor: 'fast' is not a number",
        "--rpc http://127.0.0.1:8545 --preset base --tokens ETH --namespace sol | --namespace: 'sol' is not one of eth, klay",
        "--endpoint http://127.0.0.1:8545,http://127.0.0.1:8546 --preset base --tokens ETH | RPC URL must start with ws:// or wss://",
        "--endpoint ws://a:1 --preset base --tokens ETH | --endpoint takes RPC_URL,WS_URL"
      })
  void badArgumentsPrintTheProblemAndUsageAndExitWith2(String args, String problem)
      throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Watch.run(
            args.split(" "),
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(problem).contains("usage:");
  }

  @Test
  void watchesEndpointsGivenAsArgumentsAndPrintsOneLinePerTransition() throws Exception {
    try (SimulatedChain chain = SimulatedChain.builder().chainId(1001).build()) {
      chain.produceBlocks(Duration.ofMillis(100));
      ChainBreaker breaker =
          Watch.configure(
                  new String[] {
                    "--endpoint",
                    chain.endpoint().url() + "," + chain.endpoint().webSocketUrl(),
                    "--chain-id",
                    "1001",
                    "--tokens",
                    "KLAY,USDT",
                    "--network",
                    "kairos",
                    "--block-interval",
                    "100ms",
                    "--halt-after",
                    "1s",
                    "--poll-interval",
                    "100ms",
                    "--resume-after-blocks",
                    "2",
                    "--resume-grace",
                    "100ms"
                  })
              .build();
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      breaker
          .events()
          .onTokenTransition(t -> lines.add(Watch.line(t)))
          .onNetworkHealthChange(c -> lines.add(Watch.line(c)));
      try (breaker) {
        breaker.start();
        chain.halt();
        String line;
        do {
          line = lines.poll(20, TimeUnit.SECONDS);
          assertThat(line).isNotNull().matches(LINE + "|" + NETWORK_LINE);
        } while (!line.contains("SUSPENDED"));
        assertThat(line).contains(" reason=HALTED head=" + chain.head().number());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ton", "xrpl", "starknet", "substrate", "near", "algorand", "stellar", "cardano"})
  @org.junit.jupiter.api.Timeout(60)
  void watchesEachNewFamilyGivenItsProtocolAndIdentityAndSeesItHalt(String protocol)
      throws Exception {
    try (SimulatedChain chain = SimulatedChain.builder().chainId(7).build()) {
      chain.produceBlocks(Duration.ofMillis(100));
      ChainBreaker breaker =
          Watch.configure(
                  new String[] {
                    "--rpc",
                    chain.endpoint().url(),
                    "--protocol",
                    protocol,
                    "--identity",
                    chain.identity(protocol),
                    "--tokens",
                    "TKN",
                    "--block-interval",
                    "100ms",
                    "--halt-after",
                    "1s",
                    "--poll-interval",
                    "100ms"
                  })
              .build();
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      breaker.events().onTokenTransition(t -> lines.add(Watch.line(t)));
      try (breaker) {
        breaker.start();
        String line;
        do {
          line = lines.poll(20, TimeUnit.SECONDS);
          assertThat(line).isNotNull().matches(LINE);
        } while (!line.contains("ALLOWED"));
        chain.halt();
        do {
          line = lines.poll(20, TimeUnit.SECONDS);
          assertThat(line).isNotNull().matches(LINE);
        } while (!line.contains("SUSPENDED"));
        assertThat(line).contains(" reason=HALTED head=" + chain.head().number());
      }
    }
  }

  @Test
  void watchesANetworkOfAnotherFamilyGivenItsProtocolAndIdentity() throws Exception {
    try (SimulatedChain chain = SimulatedChain.builder().chainId(7).build()) {
      chain.produceBlocks(Duration.ofMillis(100));
      ChainBreaker breaker =
          Watch.configure(
                  new String[] {
                    "--rpc",
                    chain.endpoint().url(),
                    "--protocol",
                    "cometbft",
                    "--identity",
                    chain.identity("cometbft"),
                    "--tokens",
                    "ATOM",
                    "--network",
                    "hub",
                    "--block-interval",
                    "100ms",
                    "--halt-after",
                    "1s",
                    "--poll-interval",
                    "100ms"
                  })
              .build();
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      breaker.events().onTokenTransition(t -> lines.add(Watch.line(t)));
      try (breaker) {
        breaker.start();
        String line;
        do {
          line = lines.poll(20, TimeUnit.SECONDS);
          assertThat(line).isNotNull().matches(LINE);
        } while (!line.contains("ALLOWED"));
        chain.halt();
        do {
          line = lines.poll(20, TimeUnit.SECONDS);
          assertThat(line).isNotNull().matches(LINE);
        } while (!line.contains("SUSPENDED"));
        assertThat(line).contains(" reason=HALTED head=" + chain.head().number());
      }
    }
  }

  @Test
  void sequencerFeedOptionsReachTheNetworkAndABadAddressIsRefusedWithIt() {
    String[] args = {
      "--rpc", "http://127.0.0.1:1/",
      "--preset", "base",
      "--tokens", "ETH",
      "--sequencer-feed", "0xBCF85224fc0756B9Fa45aA7892530B47e10b6433",
      "--sequencer-check-interval", "10s",
      "--sequencer-grace-period", "0s"
    };
    try (ChainBreaker breaker = Watch.configure(args).build()) {
      io.chainbreaker.NetworkConfig base = breaker.catalog().network("base");
      assertThat(base.sequencerFeed()).isEqualTo("0xBCF85224fc0756B9Fa45aA7892530B47e10b6433");
      assertThat(base.sequencerCheckInterval()).isEqualTo(Duration.ofSeconds(10));
      assertThat(base.sequencerGracePeriod()).isZero();
    }
    args[7] = "base-feed";
    String[] bad = args;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Watch.configure(bad))
        .hasMessage(
            "sequencerFeed of network base must be a contract address (0x and 40 hex digits) but"
                + " was 'base-feed'");
  }

  @Test
  void signalOptionsReachTheNetwork() {
    ChainBreaker breaker =
        Watch.configure(
                new String[] {
                  "--rpc",
                  "http://127.0.0.1:1/",
                  "--preset",
                  "ethereum",
                  "--tokens",
                  "ETH,USDT",
                  "--mode",
                  "on-demand",
                  "--max-reorg-depth",
                  "30",
                  "--finality-stall-after",
                  "20m",
                  "--slow-factor",
                  "2.5",
                  "--namespace",
                  "klay"
                })
            .build();
    try (breaker) {
      assertThat(breaker.snapshot().networks().get(0).name()).isEqualTo("ethereum");
      assertThat(breaker.snapshot().networks().get(0).chainId()).isEqualTo(1);
      assertThat(breaker.snapshot().tokens()).hasSize(2);
    }
  }

  @Test
  void theKlaytnReplaySuspendsAtBlock24002379AndRecovers() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        Watch.replayKlaytn(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream()));
    assertThat(code).isZero();
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    for (String token : List.of("COSM", "DTA", "PXL")) {
      for (String direction : List.of("DEPOSIT", "WITHDRAWAL")) {
        assertThat(lines)
            .anyMatch(
                l ->
                    l.matches(LINE)
                        && l.contains(
                            " "
                                + token
                                + " "
                                + direction
                                + " SUSPENDED reason=HALTED head=24002379"));
        assertThat(lines)
            .anyMatch(l -> l.contains(" " + token + " " + direction + " RECOVERING reason=HALTED"));
      }
    }
    assertThat(lines.get(lines.size() - 1)).startsWith("# recovered at #");
    assertThat(lines.stream().filter(l -> !l.startsWith("#")))
        .allMatch(l -> l.matches(LINE) || l.matches(NETWORK_LINE));
    assertThat(lines)
        .anyMatch(
            l ->
                l.matches(NETWORK_LINE)
                    && l.contains(" NETWORK klaytn HALTED reason=HALTED head=24002379"));
  }
}
