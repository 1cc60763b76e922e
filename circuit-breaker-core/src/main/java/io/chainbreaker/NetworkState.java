package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a network's monitor knows of the chain, kept on the monitor thread and read by the halt
 * rules as its {@link NetworkView}: the network head by quorum (a leap nothing corroborates held
 * back as suspect), its recent heads, finality, reorganisations, and the evaluation's time. It
 * judges nothing itself.
 */
final class NetworkState implements NetworkView {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);
  private static final int RECENT_HEADS = 256;

  private final Supplier<NetworkConfig> config;
  private final Supplier<List<EndpointTracker>> endpoints;
  private final Clock clock;
  private final ProbeWatch probe;
  private final SequencerWatch sequencer;
  private final ClockOffsetMeter clockOffset = new ClockOffsetMeter();

  private long now;
  private Instant wall;
  private long startNanos;
  private @Nullable BlockHead head;

  /** What a fleet's leader published, to go on from at the first usable answer; see seed. */
  private @Nullable NetworkStatus seed;

  private long lastAdvanceNanos;
  private @Nullable Instant lastAdvanceAt;
  private boolean liveAdvance;

  /** A head far past the network head that nothing corroborates yet (see {@link #suspect}). */
  private @Nullable BlockHead suspect;

  private long suspectSinceNanos;
  private long lastAnswerNanos = Long.MIN_VALUE;
  private final ArrayDeque<BlockTime> recentHeads = new ArrayDeque<>();
  private final Collection<BlockTime> recentHeadsView =
      Collections.unmodifiableCollection(recentHeads);
  private long slowFrom;
  private @Nullable BlockHead finalized;
  private long lastFinalizedAdvanceNanos;
  private long headAtFinalizedAdvance;
  private long reorgs;
  private EndpointTracker.@Nullable Reorg deepReorg;

  NetworkState(
      Supplier<NetworkConfig> config,
      Supplier<List<EndpointTracker>> endpoints,
      Clock clock,
      ProbeWatch probe,
      SequencerWatch sequencer) {
    this.config = config;
    this.endpoints = endpoints;
    this.clock = clock;
    this.probe = probe;
    this.sequencer = sequencer;
    this.wall = clock.instant();
  }

  // The view the rules read.

  @Override
  public NetworkConfig config() {
    return config.get();
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

  /** The recent heads as a read-only view, not copied. */
  @Override
  public Collection<BlockTime> recentHeads() {
    return recentHeadsView;
  }

  @Override
  public long slowFrom() {
    return slowFrom;
  }

  @Override
  public @Nullable String probeFailure() {
    return probe.failure();
  }

  @Override
  public NetworkView.@Nullable SequencerReading sequencer() {
    return sequencer.reading();
  }

  // What the monitor and its status read besides.

  /** When the network head last advanced, by this host's clock, or null. */
  @Nullable Instant lastAdvanceAt() {
    return lastAdvanceAt;
  }

  /** How many reorganisations were seen. */
  long reorgs() {
    return reorgs;
  }

  /** This host's clock against the block times, or null while unknown. */
  @Nullable Duration clockOffset() {
    return clockOffset.offset();
  }

  // What changes it.

  /** Monitoring starts at {@code nanos}. */
  void started(long nanos) {
    startNanos = nanos;
  }

  /**
   * The time of an evaluation about to judge this view, and the last usable answer then: kept by
   * the network, so that an endpoint that just failed (or one replaced by a catalog change) does
   * not take its last answer with it. One failed poll of the only endpoint is not {@code
   * unreachableAfter} without an answer.
   */
  void at(long nanos, Instant time) {
    now = nanos;
    wall = time;
    for (EndpointTracker e : endpoints.get()) {
      if (e.eligible()) {
        lastAnswerNanos = Math.max(lastAnswerNanos, e.lastAnswerNanos());
      }
    }
  }

  /** A rule that interrupts block production is in force: slow blocks count from the next head. */
  void blocksInterrupted() {
    if (head != null) {
      slowFrom = head.number() + 1;
    }
  }

  /** Goes on from the head a fleet's leader published, at the first usable answer. */
  void seed(NetworkStatus published) {
    if (published.head() != null && published.headAdvancedAt() != null) {
      seed = published; // applied with the first usable answer, see updateHead
    }
  }

  /**
   * Takes the seeded head as this monitor's own, with its last advance on this host's ticker, just
   * before the first usable answer is compared with it: time before an endpoint answered does not
   * count against the chain. When the head last advanced is the publishing host's wall time, taken
   * as this host's.
   */
  private void applySeed(long nanos) {
    NetworkStatus published = seed;
    seed = null;
    if (published == null || head != null) {
      return;
    }
    BlockHead h = Objects.requireNonNull(published.head(), "seeded with a head");
    Instant advancedAt = Objects.requireNonNull(published.headAdvancedAt(), "and its time");
    Duration ago = Duration.between(advancedAt, clock.instant());
    head = h;
    lastAdvanceAt = advancedAt;
    lastAdvanceNanos = nanos - Math.max(0, ago.toNanos());
    recentHeads.addLast(new BlockTime(h.number(), h.timestamp()));
  }

  /**
   * Derives the network head from the eligible endpoints' heads at {@code nanos}: the highest that
   * a quorum reached, never backwards, a leap nothing corroborates held back; then tells each
   * endpoint how it compares, and takes the highest finalized block.
   */
  void updateHead(long nanos) {
    NetworkConfig c = config.get();
    List<EndpointTracker> eligible = new ArrayList<>();
    for (EndpointTracker e : endpoints.get()) {
      if (e.eligible()) {
        eligible.add(e);
      }
    }
    if (eligible.isEmpty()) {
      return;
    }
    if (seed != null) {
      applySeed(nanos);
    }
    int n = eligible.size();
    int quorum = c.quorum() > 0 ? c.quorum() : n / 2 + 1;
    if (quorum > n) {
      return;
    }
    long[] numbers = new long[n];
    for (int i = 0; i < n; i++) {
      numbers[i] =
          Objects.requireNonNull(eligible.get(i).head(), "eligible implies a head").number();
    }
    Arrays.sort(numbers);
    // The highest number that at least `quorum` endpoints have reached.
    long candidate = numbers[n - quorum];
    if (head != null && candidate > head.number() && suspect(candidate, eligible, nanos)) {
      candidate = head.number(); // held: the network head stays where the evidence is
    }
    if (head != null && candidate == head.number()) {
      for (EndpointTracker e : eligible) {
        BlockHead h = e.head();
        if (h != null && h.number() == candidate && !h.hash().equals(head.hash())) {
          head = h; // the same height on another branch: not an advance
          break;
        }
      }
    }
    if (head == null || candidate > head.number()) {
      for (EndpointTracker e : eligible) {
        BlockHead h = e.head();
        if (h != null && h.number() == candidate) {
          head = h;
          break;
        }
      }
      BlockHead advanced =
          Objects.requireNonNull(head, "candidate is the height of an eligible endpoint's head");
      if (lastAdvanceAt != null) {
        liveAdvance = true; // a head before this one: the chain is seen to move
      }
      lastAdvanceNanos = nanos;
      Instant seenAt = clock.instant();
      lastAdvanceAt = seenAt;
      if (liveAdvance) {
        clockOffset.measure(seenAt, advanced, c);
      }
      recentHeads.addLast(new BlockTime(advanced.number(), advanced.timestamp()));
      if (recentHeads.size() > RECENT_HEADS) {
        recentHeads.removeFirst();
      }
    }
    BlockHead current = Objects.requireNonNull(head, "set above");
    // Lag is judged against what the others report: never against a head only this one reported.
    EndpointTracker top = null;
    long highest = Long.MIN_VALUE;
    long second = Long.MIN_VALUE;
    for (EndpointTracker e : eligible) {
      long number = Objects.requireNonNull(e.head(), "eligible implies a head").number();
      if (number > highest) {
        second = highest;
        highest = number;
        top = e;
      } else if (number > second) {
        second = number;
      }
    }
    for (EndpointTracker e : eligible) {
      long others = e == top ? second : highest;
      long own = Objects.requireNonNull(e.head(), "eligible implies a head").number();
      e.compareWith(
          current.number(),
          others == Long.MIN_VALUE ? own : Math.min(others, current.number()),
          nanos);
    }
    updateFinality(eligible, nanos, c);
  }

  /**
   * Whether {@code candidate}, above the network head, is held as suspect: a leap further than the
   * chain could have gone since the head last advanced, that no other answer corroborates. It is
   * corroborated when a second endpoint reports it, or when a later answer carries on from it at a
   * plausible pace; an answer back below it (at the old line) drops it. One bad answer therefore
   * never becomes the network head alone.
   */
  private boolean suspect(long candidate, List<EndpointTracker> eligible, long nanos) {
    long current = Objects.requireNonNull(head, "a network head to leap from").number();
    if (candidate - current <= plausibleRun(nanos - lastAdvanceNanos)) {
      suspect = null;
      return false;
    }
    int witnesses = 0;
    BlockHead reported = null;
    for (EndpointTracker e : eligible) {
      BlockHead h = e.head();
      if (h != null && h.number() >= candidate) {
        witnesses++;
        if (h.number() == candidate) {
          reported = h;
        }
      }
    }
    BlockHead held = suspect;
    if (witnesses >= 2
        || (held != null
            && candidate > held.number()
            && candidate - held.number() <= plausibleRun(nanos - suspectSinceNanos))) {
      suspect = null;
      return false;
    }
    if (held == null || held.number() != candidate) {
      suspect = reported;
      suspectSinceNanos = nanos;
      log.warn(
          "network {}: head #{} is {} blocks past the network head #{}, further than the chain"
              + " could have gone, and nothing corroborates it; held as suspect",
          config.get().name(),
          candidate,
          candidate - current,
          current);
    }
    return true;
  }

  /** How many blocks the chain could plausibly have produced in {@code elapsedNanos}. */
  private long plausibleRun(long elapsedNanos) {
    NetworkConfig c = config.get();
    return 16
        + Math.max(
            c.maxLagBlocks(),
            4 * Math.max(0, elapsedNanos) / Math.max(1, c.blockInterval().toNanos()));
  }

  private void updateFinality(List<EndpointTracker> eligible, long nanos, NetworkConfig c) {
    if (c.finalityStallAfter() == null) {
      return;
    }
    BlockHead best = null;
    for (EndpointTracker e : eligible) {
      BlockHead f = e.finalized();
      if (f != null && (best == null || f.number() > best.number())) {
        best = f;
      }
    }
    if (best != null && (finalized == null || best.number() > finalized.number())) {
      finalized = best;
      lastFinalizedAdvanceNanos = nanos;
      headAtFinalizedAdvance = Objects.requireNonNull(head, "set before finality").number();
    }
  }

  /** Counts every reorganisation; one at least {@code maxReorgDepth} deep is a security event. */
  void onReorg(EndpointTracker endpoint, EndpointTracker.Reorg r) {
    NetworkConfig c = config.get();
    reorgs++;
    String depth =
        r.beyondCache()
            ? "at least " + r.depth() + " blocks deep (below what we" + " saw)"
            : r.depth() + " blocks deep";
    String what =
        "reorganisation "
            + depth
            + ": #"
            + r.oldHead().number()
            + " "
            + r.oldHead().hash()
            + " replaced by a branch to #"
            + r.newHead().number()
            + " "
            + r.newHead().hash()
            + (r.beyondCache() ? "" : " from #" + r.ancestor());
    if (r.depth() >= c.maxReorgDepth()) {
      deepReorg = r;
      log.error(
          "network {} endpoint {}: deep {} (maxReorgDepth {})",
          c.name(),
          endpoint.url(),
          what,
          c.maxReorgDepth());
    } else {
      log.info("network {} endpoint {}: shallow {}", c.name(), endpoint.url(), what);
    }
  }

  /**
   * {@code reason}'s rule is no longer in force: evidence that only that rule read is spent (a deep
   * reorganisation whose branch is now deep enough no longer counts, even if a later configuration
   * asks for a deeper branch).
   */
  void ended(Reason reason) {
    if (reason == Reason.DEEP_REORG) {
      deepReorg = null;
    }
  }

  /** Whether the last {@code blocks} blocks came no slower than twice the block interval. */
  boolean cadenceNormal(int blocks) {
    BlockTime latest = recentHeads.peekLast();
    if (latest == null) {
      return false;
    }
    // The newest head seen at least `blocks` below the latest: polls slower than the blocks see
    // every few blocks, so the window may span a few more than asked, never fewer.
    BlockTime from = null;
    for (BlockTime entry : recentHeads) {
      if (entry.number() <= latest.number() - blocks) {
        from = entry;
      } else if (from == null) {
        from = entry;
        break;
      } else {
        break;
      }
    }
    if (from == null || from.number() == latest.number()) {
      return false;
    }
    double span = latest.timestamp() - from.timestamp();
    double allowed =
        2.0 * config.get().blockInterval().toMillis() / 1000.0 * (latest.number() - from.number())
            + 1;
    return span <= allowed;
  }
}
