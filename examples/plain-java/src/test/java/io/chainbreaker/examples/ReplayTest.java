package io.chainbreaker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.Reason;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.test.Incident;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReplayTest {

  private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z";
  private static final String LINE =
      TIME
          + " ([A-Z]+ (DEPOSIT|WITHDRAWAL) "
          + "(ALLOWED|RECOVERING|SUSPENDED)|NETWORK [a-z0-9-]+ [A-Z_]+) reason=[A-Z_]+ head=\\d+";
  private static final Pattern SUMMARY =
      Pattern.compile(
          "# ([A-Z]+ (DEPOSIT|WITHDRAWAL)) "
              + "suspended (\\S+) \\(.*\\), resumed (\\S+) \\(.*\\)");

  /** What a replay printed. */
  record Run(int code, List<String> lines, String err, List<Duration> sleeps) {
    List<String[]> summary() {
      List<String[]> rows = new ArrayList<>();
      for (String line : lines) {
        Matcher m = SUMMARY.matcher(line);
        if (m.matches()) {
          rows.add(new String[] {m.group(1), m.group(3), m.group(4)});
        }
      }
      return rows;
    }
  }

  static Run replay(String... args) throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<Duration> sleeps = new ArrayList<>();
    int code =
        Replay.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            sleeps::add);
    return new Run(
        code,
        out.toString(StandardCharsets.UTF_8).lines().toList(),
        err.toString(StandardCharsets.UTF_8),
        sleeps);
  }

  static Stream<Incident> incidents() {
    return Incident.all().stream();
  }

  /** The network the replay of {@code incident} watches: its preset and its own options. */
  private static NetworkConfig replayConfig(Incident incident) {
    try (ChainBreaker b = Watch.configure(Replay.arguments(incident, List.of())).build()) {
      return b.catalog().networks().get(0);
    }
  }

  static Stream<Incident> halts() {
    return Incident.all().stream().filter(Incident::blocksStop);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("halts")
  void suspendsEveryTokenWithinHaltAfterOfTheHaltAndResumesByTheRecoveryRuleAfterIt(
      Incident incident) throws Exception {
    Run run = replay("--replay", incident.name());
    NetworkConfig config = replayConfig(incident);
    if (incident.reorgDepth() > 0) {
      assertThat(run.lines())
          .as("the reorganisation on resume is seen")
          .anyMatch(l -> l.contains("DEPOSIT") && l.contains("reason=DEEP_REORG"));
    }

    assertThat(run.code()).isZero();
    assertThat(run.lines())
        .filteredOn(l -> !l.startsWith("#"))
        .isNotEmpty()
        .allMatch(l -> l.matches(LINE), "watcher line");
    assertThat(run.summary())
        .hasSize(incident.tokens().size() * 2)
        .allSatisfy(
            row -> {
              Instant suspended = Instant.parse(row[1]);
              Instant resumed = Instant.parse(row[2]);
              assertThat(suspended)
                  .as("%s suspended", row[0])
                  .isAfterOrEqualTo(incident.haltStart().plus(config.haltAfter()))
                  .isBeforeOrEqualTo(
                      incident.haltStart().plus(config.haltAfter()).plus(config.pollInterval()));
              RecoveryRule rule = config.recovery(Direction.valueOf(row[0].split(" ")[1]));
              // A reorganisation on resume holds deposits until its branch is maxReorgDepth deep.
              int held =
                  incident.reorgDepth() > 0 && row[0].endsWith("DEPOSIT")
                      ? config.maxReorgDepth()
                      : 0;
              assertThat(resumed)
                  .as("%s resumed", row[0])
                  .isAfterOrEqualTo(incident.haltEnd().plus(rule.grace()))
                  .isBeforeOrEqualTo(
                      incident
                          .haltEnd()
                          .plus(rule.grace())
                          .plus(incident.blockInterval().multipliedBy(rule.blocks() + held + 1))
                          .plus(config.pollInterval()));
            });
    assertThat(String.join("\n", run.lines())).contains(incident.source());
  }

  static Stream<Incident> blocksGoOn() {
    return Incident.all().stream().filter(i -> !i.blocksStop());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blocksGoOn")
  void whereBlocksGoOnOnlyDepositsAreSuspendedAndWithdrawalsNever(Incident incident)
      throws Exception {
    Run run = replay("--replay", incident.name());
    NetworkConfig config = replayConfig(incident);
    assertThat(run.code()).isZero();
    assertThat(String.join("\n", run.lines())).contains(incident.source());
    List<String[]> rows = run.summary();
    assertThat(rows).hasSize(incident.tokens().size()).allMatch(r -> r[0].endsWith("DEPOSIT"));
    assertThat(run.lines())
        .filteredOn(l -> l.endsWith("WITHDRAWAL never suspended"))
        .hasSize(incident.tokens().size());
    Instant expected;
    Reason reason;
    Duration asked = config.pollInterval();
    if (incident.kind() == Incident.Kind.FINALITY_STALL) {
      Duration stall = java.util.Objects.requireNonNull(config.finalityStallAfter());
      expected = incident.haltStart().plus(stall);
      reason = Reason.FINALITY_STALLED;
      // the finalized block is asked for at its own cadence, not at every poll
      Duration check = config.finalityCheckInterval();
      if (check != null && check.compareTo(asked) > 0) {
        asked = check;
      }
    } else {
      expected = incident.haltEnd(); // the branch is replaced
      reason = Reason.DEEP_REORG;
    }
    assertThat(run.lines()).anyMatch(l -> l.contains("DEPOSIT SUSPENDED reason=" + reason));
    for (String[] row : rows) {
      assertThat(Instant.parse(row[1]))
          .as("%s suspended", row[0])
          .isAfterOrEqualTo(expected.minus(incident.blockInterval()))
          .isBeforeOrEqualTo(expected.plus(asked).plus(incident.blockInterval().multipliedBy(2)));
      RecoveryRule rule = config.recovery(Direction.DEPOSIT);
      assertThat(Instant.parse(row[2]))
          .as("%s resumed", row[0])
          .isAfterOrEqualTo(incident.haltEnd().plus(rule.grace()))
          .isBeforeOrEqualTo(
              incident
                  .haltEnd()
                  .plus(rule.grace())
                  .plus(
                      incident
                          .blockInterval()
                          .multipliedBy(rule.blocks() + config.maxReorgDepth() + 2))
                  .plus(config.pollInterval()));
    }
  }

  @Test
  void everyReplayListsTokensOfItsOwnChainOnly() {
    java.util.Map<String, List<String>> listed =
        java.util.Map.ofEntries(
            java.util.Map.entry("cosmos-hub-2024-06-05", List.of("ATOM")),
            java.util.Map.entry("kusama-2024-02-15", List.of("KSM")),
            java.util.Map.entry("cardano-2025-11-21", List.of("ADA")),
            java.util.Map.entry("sui-2024-11-21", List.of("SUI")),
            java.util.Map.entry("aptos-2023-10-18", List.of("APT")));
    listed.forEach(
        (name, tokens) -> assertThat(Incident.named(name).tokens()).as(name).isEqualTo(tokens));
    assertThat(Incident.named("ton-2024-08-27").tokens()).contains("TON", "DOGS");
    assertThat(Incident.named("xrpl-2025-02-04").tokens()).startsWith("XRP");
  }

  @Test
  void theUsersOwnHaltAfterMovesTheSuspension() throws Exception {
    Incident cosmos = Incident.named("cosmos-hub-2024-06-05");
    Run run =
        replay(
            "--replay",
            cosmos.name(),
            "--tokens",
            "ATOM,OSMO",
            "--halt-after",
            "2m",
            "--poll-interval",
            "1s",
            "--resume-after-blocks",
            "3",
            "--resume-grace",
            "10s");

    assertThat(run.code()).isZero();
    assertThat(run.summary())
        .hasSize(4)
        .allSatisfy(
            row -> {
              assertThat(Instant.parse(row[1]))
                  .isBetween(
                      Instant.parse("2024-06-05T19:23:00Z"), Instant.parse("2024-06-05T19:23:01Z"));
              assertThat(Instant.parse(row[2]))
                  .isBetween(
                      Instant.parse("2024-06-06T00:02:12Z"), Instant.parse("2024-06-06T00:02:31Z"));
            });
    assertThat(run.summary())
        .extracting(row -> row[0])
        .containsExactly("ATOM DEPOSIT", "ATOM WITHDRAWAL", "OSMO DEPOSIT", "OSMO WITHDRAWAL");
  }

  @Test
  void anUnknownNameListsTheValidOnesAndExitsWith2() throws Exception {
    Run run = replay("--replay", "ethereum-2016-11-22");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("unknown incident 'ethereum-2016-11-22'").contains("usage:");
    Incident.all().forEach(i -> assertThat(run.err()).contains(i.name()));
  }

  @Test
  void listPrintsEveryIncidentWithItsSource() throws Exception {
    Run run = replay("--replay", "list");

    assertThat(run.code()).isZero();
    Incident.all()
        .forEach(
            i ->
                assertThat(run.lines())
                    .anySatisfy(l -> assertThat(l).startsWith(i.name()).endsWith(i.source())));
  }

  @Test
  void speedPacesTheLinesAtThatMultipleOfTheIncidentsTime() throws Exception {
    Run run = replay("--replay", "solana-2022-09-30", "--speed", "3600");

    List<Instant> stamps =
        run.lines().stream()
            .filter(l -> !l.startsWith("#"))
            .map(l -> Instant.parse(l.substring(0, l.indexOf(' '))))
            .toList();
    Duration incidentTime = Duration.between(stamps.get(0), stamps.get(stamps.size() - 1));
    Duration slept = run.sleeps().stream().reduce(Duration.ZERO, Duration::plus);
    assertThat(slept.toMillis()).isCloseTo(incidentTime.toMillis() / 3600, within(1L));
    assertThat(replay("--replay", "solana-2022-09-30").sleeps()).isEmpty();
  }

  @Test
  void endpointsAndABadSpeedAreRefused() throws Exception {
    Run rpc = replay("--replay", "sui-2024-11-21", "--rpc", "https://node.example");
    Run speed = replay("--replay", "sui-2024-11-21", "--speed", "0");

    assertThat(rpc.code()).isEqualTo(2);
    assertThat(rpc.err()).contains("--rpc is not used with --replay");
    assertThat(speed.code()).isEqualTo(2);
    assertThat(speed.err()).contains("--speed must be a positive number but was '0'");
  }
}
