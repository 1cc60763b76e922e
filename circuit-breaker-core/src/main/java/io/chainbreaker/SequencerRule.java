package io.chainbreaker;

import io.chainbreaker.chain.SequencerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * A rollup's Chainlink L2 sequencer uptime feed ({@code sequencerFeed}), in Chainlink's pattern
 * (https://docs.chain.link/data-feeds/l2-sequencer-feeds): {@link Reason#SEQUENCER_DOWN} while the
 * last reading says down (answer 1), in force from that reading even before {@code haltAfter};
 * {@link Reason#SEQUENCER_GRACE} from the reading that says up again until a reading taken at least
 * {@code sequencerGracePeriod} after the feed's {@code startedAt} (when the status changed).
 *
 * <p>The feed can only add a suspension, never lift one: a reading that failed or is old leaves the
 * last good reading in force, so a feed last read down stays down, and the grace ends only on a
 * fresh reading taken after it. The feed is updated only when the status changes, so its own {@code
 * updatedAt} is no measure of freshness; our reading's time is. One class for both phases, each an
 * instance with its own reason (and its own policy: down suspends both directions, the grace
 * withdrawals).
 */
final class SequencerRule implements HaltRule {

  private final boolean grace;

  private SequencerRule(boolean grace) {
    this.grace = grace;
  }

  /** The sequencer is down. */
  static SequencerRule down() {
    return new SequencerRule(false);
  }

  /** The sequencer is back, within its grace period. */
  static SequencerRule grace() {
    return new SequencerRule(true);
  }

  @Override
  public Reason reason() {
    return grace ? Reason.SEQUENCER_GRACE : Reason.SEQUENCER_DOWN;
  }

  @Override
  public String description() {
    return grace
        ? "The sequencer is back up, but for less than `sequencerGracePeriod` (1 h) since the feed's"
            + " `startedAt`: its backlog is still being worked off ([Rollups](rollups.md))."
        : "The rollup's Chainlink L2 sequencer uptime feed (`sequencerFeed`) says the sequencer is"
            + " down: in force from the first reading that says so, even while blocks still come"
            + " and before `haltAfter` ([Rollups](rollups.md)).";
  }

  /** Down: both directions; the grace after it: withdrawals (they wait on the backlog). */
  @Override
  public Set<Direction> suspendsByDefault() {
    return grace ? WITHDRAWALS : BOTH;
  }

  @Override
  public NetworkHealth health() {
    return grace ? NetworkHealth.DEGRADED : NetworkHealth.HALTED;
  }

  @Override
  public Verdict judge(NetworkView v) {
    NetworkView.SequencerReading r = v.sequencer();
    if (v.config().sequencerFeed() == null || r == null) {
      return Verdict.CLEAR;
    }
    SequencerStatus s = r.status();
    Instant changed = Instant.ofEpochSecond(s.startedAt());
    String old = r.failure() == null ? "" : "; reads since failed: " + r.failure();
    if (!grace) {
      return s.down()
          ? Verdict.inForce(
              "the sequencer uptime feed "
                  + v.config().sequencerFeed()
                  + " reports the sequencer down since "
                  + changed
                  + " (read "
                  + r.readAt()
                  + old
                  + ")")
          : Verdict.CLEAR;
    }
    if (s.down()) {
      return Verdict.CLEAR; // SEQUENCER_DOWN's case
    }
    Duration period = v.config().sequencerGracePeriod();
    Instant graceEnds = changed.plus(period);
    if (r.readAt().isBefore(graceEnds)) {
      // Only a reading taken after the grace ends can end it: no deadline, new input does.
      return Verdict.inForce(
          "the sequencer is up again since "
              + changed
              + "; grace period of "
              + period
              + " until "
              + graceEnds
              + " (read "
              + r.readAt()
              + old
              + ")");
    }
    return Verdict.CLEAR;
  }
}
