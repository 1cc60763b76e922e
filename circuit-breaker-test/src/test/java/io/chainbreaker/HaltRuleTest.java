package io.chainbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.chain.BlockHead;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Each halt rule on its own, as a pure function of a {@link NetworkView}: what it concludes and
 * when that can next change. No engine, no scheduler, no sleeping; the engine tests ({@link
 * HaltRulesTest}, {@link SignalRulesTest}) show the same rules end to end.
 */
class HaltRuleTest {

  private static final long S = 1_000_000_000L;

  /** The ticker's origin is arbitrary, even negative: rules compare times by subtraction. */
  private static final long T0 = -5_000 * S;

  private static final Instant WALL = Instant.parse("2026-03-01T12:00:00Z");
  private static final long HEAD = 1_000;

  /**
   * A view to vary, field by field by name: 100 s after start, head #1000 stamped and seen now,
   * answered now.
   */
  private static final class View implements NetworkView {
    NetworkConfig config = network(b -> b);
    long now = T0 + 100 * S;
    Instant wall = WALL;
    long startNanos = T0;
    @Nullable BlockHead head = block(HEAD, WALL.getEpochSecond());
    long lastAdvanceNanos = now;
    boolean liveAdvance = true;
    long lastAnswerNanos = now;
    @Nullable BlockHead finalized;
    long lastFinalizedAdvanceNanos = now;
    long headAtFinalizedAdvance = HEAD;
    EndpointTracker.@Nullable Reorg deepReorg;
    List<NetworkView.BlockTime> recentHeads = new ArrayList<>();
    long slowFrom;
    @Nullable String probeFailure;
    NetworkView.@Nullable SequencerReading sequencer;

    /** The same view {@code seconds} later, nothing new having happened. */
    View after(long seconds) {
      now += seconds * S;
      wall = wall.plusSeconds(seconds);
      return this;
    }

    HaltRule.Verdict judge(HaltRule rule) {
      return rule.judge(this);
    }

    @Override
    public NetworkConfig config() {
      return config;
    }

    @Override
    public long now() {
      return now;
    }

    @Override
    public Instant wall() {
      return wall;
    }

    @Override
    public long startNanos() {
      return startNanos;
    }

    @Override
    public @Nullable BlockHead head() {
      return head;
    }

    @Override
    public long lastAdvanceNanos() {
      return lastAdvanceNanos;
    }

    @Override
    public boolean liveAdvance() {
      return liveAdvance;
    }

    @Override
    public long lastAnswerNanos() {
      return lastAnswerNanos;
    }

    @Override
    public @Nullable BlockHead finalized() {
      return finalized;
    }

    @Override
    public long lastFinalizedAdvanceNanos() {
      return lastFinalizedAdvanceNanos;
    }

    @Override
    public long headAtFinalizedAdvance() {
      return headAtFinalizedAdvance;
    }

    @Override
    public EndpointTracker.@Nullable Reorg deepReorg() {
      return deepReorg;
    }

    @Override
    public Collection<NetworkView.BlockTime> recentHeads() {
      return Collections.unmodifiableList(recentHeads);
    }

    @Override
    public long slowFrom() {
      return slowFrom;
    }

    @Override
    public @Nullable String probeFailure() {
      return probeFailure;
    }

    @Override
    public NetworkView.@Nullable SequencerReading sequencer() {
      return sequencer;
    }
  }

  private static NetworkConfig network(UnaryOperator<NetworkConfig.Builder> settings) {
    return settings
        .apply(
            NetworkConfig.builder("klaytn")
                .chainId(8217)
                .rpcUrls("https://node.example/")
                .blockInterval(Duration.ofSeconds(1))
                .haltAfter(Duration.ofSeconds(10))
                .unreachableAfter(Duration.ofSeconds(30))
                .timestampSkew(Duration.ofSeconds(5)))
        .build();
  }

  private static BlockHead block(long number, long timestamp) {
    return new BlockHead(number, "0x" + number, "0x" + (number - 1), timestamp);
  }

  @Test
  void everyAutomaticReasonHasExactlyOneRule() {
    Set<Reason> covered = EnumSet.noneOf(Reason.class);
    for (HaltRule rule : HaltRule.ALL) {
      assertThat(covered.add(rule.reason())).as(rule.reason() + " twice").isTrue();
    }
    // The others are not concluded from the network's view: the engine's own (STARTING,
    // HEALTHY, MONITOR_STALE), an operator's (OPERATOR), the store's, and the catalog's.
    assertThat(covered)
        .isEqualTo(
            EnumSet.of(
                Reason.UNREACHABLE,
                Reason.HALTED,
                Reason.DEEP_REORG,
                Reason.FINALITY_STALLED,
                Reason.SLOW_BLOCKS,
                Reason.PROBE_FAILED,
                Reason.MAINTENANCE,
                Reason.SEQUENCER_DOWN,
                Reason.SEQUENCER_GRACE));
  }

  @Test
  void unreachableBeforeAnyHeadComesExactlyUnreachableAfterTheStart() {
    View v = new View();
    v.head = null;
    v.now = T0 + 29 * S;
    HaltRule.Verdict before = v.judge(new UnreachableRule());
    assertThat(before.problem()).isNull();
    assertThat(before.nextChangeNanos()).isEqualTo(T0 + 30 * S);

    v.now = T0 + 30 * S;
    HaltRule.Verdict at = v.judge(new UnreachableRule());
    assertThat(at.problem()).isEqualTo("no endpoint on chain id 8217 answered since start (PT30S)");
    assertThat(at.nextChangeNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void unreachableAfterAHeadCountsFromTheLastAnswer() {
    View v = new View();
    long answered = v.now;
    assertThat(v.after(29).judge(new UnreachableRule()))
        .isEqualTo(HaltRule.Verdict.clearUntil(answered + 30 * S));
    assertThat(v.after(1).judge(new UnreachableRule()).problem())
        .isEqualTo("no endpoint on chain id 8217 answered for PT30S");

    v.lastAnswerNanos = Long.MIN_VALUE; // no eligible endpoint has an answer
    assertThat(v.judge(new UnreachableRule()).problem()).isNotNull();
  }

  @Test
  void haltedExactlyHaltAfterAfterTheLastAdvance() {
    View v = new View();
    long advanced = v.lastAdvanceNanos;
    assertThat(v.after(9).judge(new HaltedRule()))
        .isEqualTo(HaltRule.Verdict.clearUntil(advanced + 10 * S));
    HaltRule.Verdict at = v.after(1).judge(new HaltedRule());
    assertThat(at.problem()).isEqualTo("no new head for PT10S after #1000");
    assertThat(at.nextChangeNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void haltedNeverOnAnOnDemandNetworkNorBeforeTheFirstHead() {
    View v = new View();
    v.config = network(b -> b.mode(NetworkMode.ON_DEMAND));
    assertThat(v.after(3600).judge(new HaltedRule())).isEqualTo(HaltRule.Verdict.CLEAR);

    View none = new View();
    none.head = null;
    assertThat(none.after(3600).judge(new HaltedRule())).isEqualTo(HaltRule.Verdict.CLEAR);
  }

  @Test
  void anOldBlockHaltsAtStartButNotOnceHeadsAdvance() {
    View v = new View();
    v.head = block(HEAD, WALL.getEpochSecond() - 16); // older than haltAfter + timestampSkew
    v.liveAdvance = false;
    assertThat(v.judge(new HaltedRule()).problem())
        .isEqualTo(
            "latest block #1000 is PT16S old by this host's clock and no newer head was seen yet");

    v.liveAdvance = true; // heads advance: a wrong host clock cannot halt
    assertThat(v.judge(new HaltedRule()))
        .isEqualTo(HaltRule.Verdict.clearUntil(v.lastAdvanceNanos + 10 * S));
  }

  @Test
  void theBlockTimeDeadlineComesBeforeHaltAfterWhenTheFirstHeadIsAlreadyOld() {
    View v = new View();
    v.head = block(HEAD, WALL.getEpochSecond() - 12);
    v.liveAdvance = false;
    // Stale once older than 15 s by whole seconds: at block time + 16 s, that is in 4 s.
    assertThat(v.judge(new HaltedRule())).isEqualTo(HaltRule.Verdict.clearUntil(v.now + 4 * S));
  }

  @Test
  void aBlockStampedCenturiesAheadDoesNotOverflowTheDeadline() {
    View v = new View();
    v.head = block(HEAD, WALL.plus(Duration.ofDays(365 * 300)).getEpochSecond());
    v.liveAdvance = false;
    assertThat(v.judge(new HaltedRule()))
        .isEqualTo(HaltRule.Verdict.clearUntil(v.lastAdvanceNanos + 10 * S));
  }

  @Test
  void aDeepReorgHoldsUntilItsBranchIsMaxReorgDepthDeep() {
    View v = new View();
    v.config = network(b -> b.maxReorgDepth(5));
    v.deepReorg = new EndpointTracker.Reorg(7, 993, block(1_000, 0), block(1_001, 0));
    HaltRule.Verdict held = v.judge(new DeepReorgRule());
    assertThat(held.problem()).isEqualTo("reorganisation 7 blocks deep at #1000 (maxReorgDepth 5)");
    assertThat(held.nextChangeNanos()).isEqualTo(Long.MAX_VALUE);

    v.deepReorg = new EndpointTracker.Reorg(9, -1, block(1_000, 0), block(1_001, 0));
    assertThat(v.judge(new DeepReorgRule()).problem()).startsWith("reorganisation at least 9");

    v.head = block(1_006, 0);
    assertThat(v.judge(new DeepReorgRule())).isEqualTo(HaltRule.Verdict.CLEAR);
  }

  @Test
  void finalityStallsOnlyWhileTheHeadMovesOn() {
    View v = new View();
    v.config = network(b -> b.finalityStallAfter(Duration.ofSeconds(60)));
    v.finalized = block(990, 0);
    long advanced = v.lastFinalizedAdvanceNanos;
    v.head = block(1_050, 0);
    assertThat(v.after(59).judge(new FinalityStalledRule()))
        .isEqualTo(HaltRule.Verdict.clearUntil(advanced + 60 * S));
    assertThat(v.after(1).judge(new FinalityStalledRule()).problem())
        .isEqualTo("finalized block #990 has not advanced for PT1M while the head reached #1050");

    v.head = block(HEAD, 0); // the head stood still too: a halt, not a finality stall
    assertThat(v.judge(new FinalityStalledRule())).isEqualTo(HaltRule.Verdict.CLEAR);

    v.config = network(b -> b); // not watched
    v.head = block(1_050, 0);
    assertThat(v.judge(new FinalityStalledRule())).isEqualTo(HaltRule.Verdict.CLEAR);
  }

  @Test
  void slowBlocksWhenTheMeanIntervalPassesSlowFactorOverTheWindow() {
    View v = new View();
    v.config = network(b -> b.slowWindow(10).slowFactor(2.0));
    for (int i = 0; i <= 10; i++) {
      v.recentHeads.add(new NetworkView.BlockTime(990 + i, 3 * i)); // a block every 3 s
    }
    assertThat(v.judge(new SlowBlocksRule()).problem())
        .isEqualTo("mean block interval 3.0 s over the last 10 blocks, expected 1.0 s");

    v.slowFrom = 996; // after a halt's gap: too few blocks left to judge
    assertThat(v.judge(new SlowBlocksRule())).isEqualTo(HaltRule.Verdict.CLEAR);
  }

  @Test
  void slowBlocksNotWhileBlocksComeAtTheirPace() {
    View v = new View();
    v.config = network(b -> b.slowWindow(10).slowFactor(2.0));
    for (int i = 0; i <= 10; i++) {
      v.recentHeads.add(new NetworkView.BlockTime(990 + i, 2 * i)); // twice as slow: not more
    }
    assertThat(v.judge(new SlowBlocksRule())).isEqualTo(HaltRule.Verdict.CLEAR);
  }

  @Test
  void aFailedProbeIsInForceUntilTheNextProbe() {
    View v = new View();
    assertThat(v.judge(new ProbeFailedRule())).isEqualTo(HaltRule.Verdict.CLEAR);
    v.probeFailure = "the liveness probe reported the network not live";
    assertThat(v.judge(new ProbeFailedRule()))
        .isEqualTo(HaltRule.Verdict.inForce("the liveness probe reported the network not live"));
  }

  @Test
  void maintenanceFromItsStartToItsEnd() {
    MaintenanceWindow w =
        new MaintenanceWindow(WALL.plusSeconds(60), WALL.plusSeconds(660), "hard fork");
    View v = new View();
    v.config = network(b -> b.maintenance(w));
    long t = v.now;
    assertThat(v.judge(new MaintenanceRule())).isEqualTo(HaltRule.Verdict.clearUntil(t + 60 * S));
    assertThat(v.after(60).judge(new MaintenanceRule()))
        .isEqualTo(
            HaltRule.Verdict.inForceUntil(
                "maintenance until 2026-03-01T12:11:00Z: hard fork", t + 660 * S));
    assertThat(v.after(600).judge(new MaintenanceRule())).isEqualTo(HaltRule.Verdict.CLEAR);
  }

  private static final String FEED = "0xFdB631F5EE196F0ed6FAa767959853A9F217697D";

  /** A reading of the feed taken now: down or up since {@code changedAt}. */
  private static NetworkView.SequencerReading reading(
      View v, boolean down, Instant changedAt, @Nullable String failure) {
    return new NetworkView.SequencerReading(
        new io.chainbreaker.chain.SequencerStatus(
            down, changedAt.getEpochSecond(), changedAt.getEpochSecond(), "18446744073709551617"),
        v.now,
        v.wall,
        failure);
  }

  @Test
  void aSequencerReportedDownSuspendsAtOnceLongBeforeHaltAfter() {
    View v = new View();
    v.config = network(b -> b.sequencerFeed(FEED));
    v.sequencer = reading(v, true, WALL.minusSeconds(2), null);
    // The head was seen this instant: HALTED is 10 s away, the feed speaks now.
    assertThat(v.judge(new HaltedRule()).problem()).isNull();
    HaltRule.Verdict down = v.judge(SequencerRule.down());
    assertThat(down.problem())
        .isEqualTo(
            "the sequencer uptime feed "
                + FEED
                + " reports the sequencer down since 2026-03-01T11:59:58Z (read 2026-03-01T12:00:00Z)");
    assertThat(down.nextChangeNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(v.judge(SequencerRule.grace())).isEqualTo(HaltRule.Verdict.CLEAR);
  }

  @Test
  void aFeedThatCannotBeReadKeepsTheSequencerDownItLastReported() {
    View v = new View();
    v.config = network(b -> b.sequencerFeed(FEED));
    v.sequencer = reading(v, true, WALL, null);
    View later = v.after(3600);
    later.sequencer =
        new NetworkView.SequencerReading(
            v.sequencer.status(),
            T0,
            WALL,
            "eth_call returned JSON-RPC error -32000: execution reverted");
    assertThat(later.judge(SequencerRule.down()).problem())
        .contains("down since 2026-03-01T12:00:00Z")
        .endsWith(
            "; reads since failed: eth_call returned JSON-RPC error -32000: execution reverted)");
  }

  @Test
  void theGracePeriodHoldsUntilAReadingTakenAfterStartedAtPlusTheGrace() {
    View v = new View();
    v.config = network(b -> b.sequencerFeed(FEED).sequencerGracePeriod(Duration.ofHours(1)));
    Instant back = WALL.minusSeconds(600); // up again for 10 min
    v.sequencer = reading(v, false, back, null);
    assertThat(v.judge(SequencerRule.down())).isEqualTo(HaltRule.Verdict.CLEAR);
    HaltRule.Verdict grace = v.judge(SequencerRule.grace());
    assertThat(grace.problem())
        .isEqualTo(
            "the sequencer is up again since 2026-03-01T11:50:00Z; grace period of PT1H until"
                + " 2026-03-01T12:50:00Z (read 2026-03-01T12:00:00Z)");
    // Time alone does not end it: a stale reading never lifts anything.
    assertThat(grace.nextChangeNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(v.after(7200).judge(SequencerRule.grace()).problem()).isNotNull();

    v.sequencer = reading(v, false, back, null); // read again, 50 min after the grace ended
    assertThat(v.judge(SequencerRule.grace())).isEqualTo(HaltRule.Verdict.CLEAR);
  }

  @Test
  void theGraceStartsAtTheFeedsStartedAtNotAtOurFirstReading() {
    View v = new View();
    v.config = network(b -> b.sequencerFeed(FEED).sequencerGracePeriod(Duration.ofMinutes(30)));
    v.sequencer = reading(v, false, WALL.minusSeconds(1800), null); // back exactly 30 min ago
    assertThat(v.judge(SequencerRule.grace())).isEqualTo(HaltRule.Verdict.CLEAR);
    v.sequencer = reading(v, false, WALL.minusSeconds(1799), null);
    assertThat(v.judge(SequencerRule.grace()).problem()).isNotNull();
  }

  @Test
  void noFeedConfiguredOrNoneReadYetConcludesNothing() {
    View v = new View();
    v.sequencer = reading(v, true, WALL, null); // a reading but no feed configured
    assertThat(v.judge(SequencerRule.down())).isEqualTo(HaltRule.Verdict.CLEAR);
    v.config = network(b -> b.sequencerFeed(FEED));
    v.sequencer = null;
    assertThat(v.judge(SequencerRule.down())).isEqualTo(HaltRule.Verdict.CLEAR);
    assertThat(v.judge(SequencerRule.grace())).isEqualTo(HaltRule.Verdict.CLEAR);
  }
}
