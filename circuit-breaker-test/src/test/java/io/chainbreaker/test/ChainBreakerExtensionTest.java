package io.chainbreaker.test;

import static io.chainbreaker.BreakerState.SUSPENDED;
import static io.chainbreaker.Direction.WITHDRAWAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.NetworkConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The extension, run the way a user's build runs it: each test of {@link UsersTest} gets a fresh,
 * started rig, and every rig is closed after its test.
 */
class ChainBreakerExtensionTest {

  /** The rigs {@link UsersTest} was given, in order. */
  static final List<ChainBreakerRig> GIVEN = new ArrayList<>();

  /** A user's test class. Not run by the build itself: the launcher below runs it. */
  static class UsersTest {
    @RegisterExtension
    static final ChainBreakerExtension chainBreaker =
        ChainBreakerExtension.of(
            ChainBreakerRig.builder()
                .network(
                    NetworkConfig.builder("klaytn")
                        .chainId(8217)
                        .rpcUrls("https://public-en.node.kaia.io")
                        .blockInterval(Duration.ofSeconds(1))
                        .build())
                .token("PXL", "klaytn"));

    ChainBreaker fromBeforeEach;

    @BeforeEach
    void setUp(ChainBreaker breaker) {
      fromBeforeEach = breaker;
    }

    @Test
    void halts(ChainBreakerRig rig) {
      GIVEN.add(rig);
      assertThat(rig.breaker()).isSameAs(fromBeforeEach);
      assertThat(rig.breaker().allowsWithdrawal("PXL")).isTrue();
      rig.produceBlocks(5);
      rig.halt(Duration.ofSeconds(36)); // haltAfter 30 s + haltLateness 6 s: caught by then
      rig.transitions().next("PXL", WITHDRAWAL, SUSPENDED);
    }

    @Test
    void startsAfresh(ChainBreakerRig rig) {
      GIVEN.add(rig);
      assertThat(rig.time().now()).isEqualTo(VirtualTime.create().now());
      assertThat(rig.breaker().allowsWithdrawal("PXL")).isTrue();
      assertThat(rig.transitions().transitions()).noneMatch(t -> t.to() == SUSPENDED);
    }
  }

  @Test
  void givesEachTestItsOwnStartedRigAndClosesItAfterTheTest() {
    GIVEN.clear();
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(UsersTest.class)).build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);

    TestExecutionSummary summary = listener.getSummary();
    assertThat(summary.getFailures()).as("failures").isEmpty();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(GIVEN).hasSize(2).doesNotHaveDuplicates();
    for (ChainBreakerRig rig : GIVEN) {
      // A closed engine has cancelled its polls and watchdog: nothing is left to run.
      assertThat(rig.time().pendingTasks()).isZero();
    }
  }
}
