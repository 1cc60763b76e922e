package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;

/**
 * The first hour with the starter: every configuration mistake fails start-up with a short report
 * naming the key as the user wrote it, its value, and what to write instead.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationErrorsTest {

  private static final String[] VALID = {
    "chain-breaker.networks.klaytn.chain-id=8217",
    "chain-breaker.networks.klaytn.rpc-urls[0]=http://127.0.0.1:1/",
    "chain-breaker.networks.klaytn.block-interval=1s",
    "chain-breaker.tokens.PXL.network=klaytn"
  };

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ChainBreakerAutoConfiguration.class))
          .withPropertyValues(VALID);

  @Test
  void aBlockIntervalWithoutAUnitIsRefusedNotReadAsOneMillisecond() {
    FailureAnalysis analysis = analyze("chain-breaker.networks.klaytn.block-interval=1");
    assertThat(analysis.getDescription())
        .contains("Property: chain-breaker.networks.klaytn.block-interval")
        .contains("Value: \"1\"")
        .contains(
            "Reason: blockInterval of network klaytn must be at least PT0.05S but was "
                + "PT0.001S; did you mean 1s?");
    assertThat(analysis.getAction())
        .contains("Update chain-breaker.networks.klaytn.block-interval")
        .contains("A duration written without a unit is read as milliseconds");
  }

  @Test
  void anUnknownPresetIsReportedWithTheKeyAndThePresetsThatExist() {
    FailureAnalysis analysis = analyze("chain-breaker.networks.klaytn.preset=ripple");
    assertThat(analysis.getDescription())
        .contains("Property: chain-breaker.networks.klaytn.preset")
        .contains("Value: \"ripple\"")
        .contains("Reason: unknown network preset 'ripple'; presets: klaytn, klaytn-testnet,");
    assertThat(analysis.getAction()).contains("Update chain-breaker.networks.klaytn.preset");
  }

  @Test
  void aNetworkOfAnotherFamilyIsConfiguredByProtocolAndIdentity() {
    runner
        .withPropertyValues(
            "chain-breaker.networks.ltc.protocol=bitcoin",
            "chain-breaker.networks.ltc.identity="
                + "12a765e31ffd4059bada1e25190f6e98c99d9714d334efa41a195a7e7e04bfe2",
            "chain-breaker.networks.ltc.rpc-urls[0]=http://user:pw@127.0.0.1:1/",
            "chain-breaker.networks.ltc.block-interval=150s",
            "chain-breaker.tokens.LTC.network=ltc")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(
                      context.getBean(io.chainbreaker.ChainBreaker.class).network("ltc").chainId())
                  .isZero();
            });
    assertThat(analyze("chain-breaker.networks.klaytn.protocol=bitcoin").getDescription())
        .contains("identity of BITCOIN network klaytn must be a genesis hash but was '8217'");
  }

  @Test
  void aHaltAfterWithoutAUnitIsReportedAgainstHaltAfterNotThePollInterval() {
    FailureAnalysis analysis = analyze("chain-breaker.networks.klaytn.halt-after=30");
    assertThat(analysis.getDescription())
        .contains("Property: chain-breaker.networks.klaytn.halt-after")
        .contains("did you mean 30s?")
        .doesNotContain("pollInterval");
  }

  @Test
  void settingsThatContradictEachOtherAreReportedAgainstTheKeyTheUserWrote() {
    assertThat(analyze("chain-breaker.networks.klaytn.halt-after=1500ms").getDescription())
        .contains("Property: chain-breaker.networks.klaytn.halt-after\n")
        .contains("must be at least twice blockInterval (PT2S) but was PT1.5S");
    // halt-after is derived (30 s) here: the key the user wrote is poll-interval.
    assertThat(analyze("chain-breaker.networks.klaytn.poll-interval=40s").getDescription())
        .contains("Property: chain-breaker.networks.klaytn.poll-interval\n")
        .contains("must be shorter than haltAfter (PT30S) but was PT40S");
  }

  @Test
  void aMisspeltKeyFailsStartUpNamingTheNearestValidKey() {
    FailureAnalysis analysis = analyze("chain-breaker.networks.klaytn.halt-afer=2s");
    assertThat(analysis.getDescription())
        .startsWith("Unknown Chain Breaker configuration keys:")
        .contains("Property: chain-breaker.networks.klaytn.halt-afer")
        .contains("Value: \"2s\"")
        .contains("did you mean chain-breaker.networks.klaytn.halt-after?");
    assertThat(analysis.getAction()).contains("block-interval, chain-id");

    assertThat(analyze("chain-breaker.tokens.PXL.netwrk=klaytn").getDescription())
        .contains("did you mean chain-breaker.tokens.PXL.network?");
    assertThat(analyze("chain-breaker.helth.enabled=true").getDescription())
        .contains("did you mean chain-breaker.health.enabled?");
    assertThat(
            analyze("chain-breaker.networks.klaytn.recovery.withdrawl.grace=5s").getDescription())
        .contains("did you mean chain-breaker.networks.klaytn.recovery.withdrawal.grace?");
    assertThat(
            analyze("chain-breaker.networks.klaytn.maintenance[0].strat=2026-01-01T00:00:00Z")
                .getDescription())
        .contains("did you mean chain-breaker.networks.klaytn.maintenance[0].start?");
  }

  @Test
  void anUnresolvedPlaceholderInAnRpcUrlIsNamedAsOne() {
    FailureAnalysis analysis =
        analyze(
            "chain-breaker.networks.klaytn.rpc-urls[1]=https://mainnet.infura.io/v3/${INFURA_KEY}");
    assertThat(analysis.getDescription())
        .contains("Property: chain-breaker.networks.klaytn.rpc-urls[1]")
        .contains("RPC URL contains the unresolved placeholder ${INFURA_KEY}: define INFURA_KEY")
        .doesNotContain("infura.io")
        .doesNotContain("malformed");
  }

  @Test
  void anRpcUrlWithoutASchemeSaysSo() {
    assertThat(
            analyze("chain-breaker.networks.klaytn.rpc-urls[0]=127.0.0.1:18556").getDescription())
        .contains("Property: chain-breaker.networks.klaytn.rpc-urls[0]")
        .contains(
            "RPC URL has no scheme: it must start with http:// or https://; did you mean "
                + "http://127.0.0.1:18556?")
        .doesNotContain("Illegal character");
  }

  @Test
  void bootPrintsTheShortReportInsteadOfTheStackTrace(CapturedOutput output) {
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(Starter.class).web(WebApplicationType.NONE);
    List<String> args = new ArrayList<>();
    for (String p : VALID) {
      args.add("--" + p);
    }
    args.add("--chain-breaker.networks.klaytn.halt-after=30");
    assertThatThrownBy(() -> app.run(args.toArray(new String[0])));
    assertThat(output.getOut() + output.getErr())
        .contains("APPLICATION FAILED TO START")
        .contains("Description:")
        .contains("Property: chain-breaker.networks.klaytn.halt-after")
        .contains("Action:")
        .doesNotContain("\tat io.chainbreaker");
  }

  /** Starts the context with these properties added and analyzes its failure. */
  private FailureAnalysis analyze(String... properties) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    runner.withPropertyValues(properties).run(context -> failure.set(context.getStartupFailure()));
    assertThat(failure.get()).as("start-up failure").isNotNull();
    StandardEnvironment environment = new StandardEnvironment();
    TestPropertyValues.of(VALID).and(properties).applyTo(environment);
    FailureAnalysis analysis = new ChainBreakerFailureAnalyzer(environment).analyze(failure.get());
    assertThat(analysis).as("analysis of " + failure.get()).isNotNull();
    return analysis;
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(ChainBreakerAutoConfiguration.class)
  static class Starter {}
}
